from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page

from .reports import LearnerProgressReportView, ProgressReportView, can_view_progress_report
from .trainers import PROGRESS_REPORT_CODENAME, place_new_lesson
from .translation_report import MissingTranslationsView, warn_if_untranslated


class ProgressReportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return can_view_progress_report(request.user)


@hooks.register("register_admin_urls")
def register_progress_report_urls() -> list[URLPattern]:
    return [
        path("reports/learner-progress/", ProgressReportView.as_view(), name="lms_progress_report"),
        path(
            "reports/learner-progress/results/",
            ProgressReportView.as_view(results_only=True),
            name="lms_progress_report_results",
        ),
        path(
            "reports/progress-by-learner/",
            LearnerProgressReportView.as_view(),
            name="lms_learner_report",
        ),
        path(
            "reports/progress-by-learner/results/",
            LearnerProgressReportView.as_view(results_only=True),
            name="lms_learner_report_results",
        ),
        path(
            "reports/missing-translations/",
            MissingTranslationsView.as_view(),
            name="lms_missing_translations",
        ),
        path(
            "reports/missing-translations/results/",
            MissingTranslationsView.as_view(results_only=True),
            name="lms_missing_translations_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_progress_report_menu_item() -> MenuItem:
    return ProgressReportMenuItem(
        _("Learner progress"), reverse("lms_progress_report"), icon_name="list-ul", order=800
    )


@hooks.register("register_reports_menu_item")
def register_learner_report_menu_item() -> MenuItem:
    return ProgressReportMenuItem(
        _("Progress by learner"), reverse("lms_learner_report"), icon_name="user", order=801
    )


@hooks.register("register_reports_menu_item")
def register_missing_translations_menu_item() -> MenuItem:
    return ProgressReportMenuItem(
        _("Missing translations"),
        reverse("lms_missing_translations"),
        icon_name="globe",
        order=802,
    )


@hooks.register("before_edit_page")
def say_which_languages_a_page_is_missing_in(request: HttpRequest, page: Page) -> None:
    warn_if_untranslated(request, page)


@hooks.register("register_permissions")
def register_progress_report_permission() -> QuerySet[Permission]:
    # Lists the permission in the group editor so an operator can give it to another group too.
    # The row exists once setup_trainers has run.
    return Permission.objects.filter(
        content_type__app_label="maalem_courses", codename=PROGRESS_REPORT_CODENAME
    )


@hooks.register("after_create_page")
def put_a_new_lesson_before_the_final_quiz(request: HttpRequest, page: Page) -> None:
    place_new_lesson(page, user=request.user)
