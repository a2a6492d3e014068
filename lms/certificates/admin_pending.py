"""Wagtail admin for the certificates waiting to be issued: what failed, why, and when it is tried
again; staff who may reissue certificates can also retry one now.

A row here is a completion without its certificate yet (:mod:`lms.certificates.pending`); it
disappears by itself once the certificate is issued.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from lms.courses.progress import resolve_course
from maalem.core.confirm import ConfirmView
from maalem.core.pagination import LargeListPaginator

from . import pending
from .models import PendingIssuance

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RETRY_PERMISSION = "maalem_certificates.revoke_certificate"


def course_title(row: PendingIssuance) -> str:
    course = resolve_course(row.completion.course_key)
    return course.title if course is not None else str(row.completion.course_key)


def learner(row: PendingIssuance) -> str:
    user = row.completion.learner
    return user.get_full_name().strip() or user.get_username()


class PendingIndexView(generic.IndexView):
    paginator_class = LargeListPaginator

    def get_base_queryset(self) -> Any:
        return super().get_base_queryset().select_related("completion__learner")

    def get_list_more_buttons(self, instance: PendingIssuance) -> list[Any]:
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm(RETRY_PERMISSION):
            buttons.append(
                MenuItem(
                    _("Retry now"),
                    url=reverse("certificates_admin:retry", args=[instance.pk]),
                    icon_name="repeat",
                    priority=40,
                )
            )
        return buttons


class PendingIssuanceViewSet(ModelViewSet):
    model = PendingIssuance
    icon = "time"
    menu_label = gettext_lazy("Certificates waiting")
    add_to_admin_menu = True
    menu_order = 311
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = PendingIndexView
    form_fields: list[str] = []
    list_filter = ["status"]
    # The first column carries each row's buttons.
    list_display = [
        "created_at",
        Column("learner", label=gettext_lazy("learner"), accessor=learner),
        Column("course", label=gettext_lazy("course"), accessor=course_title),
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
    ]


class RetryView(ConfirmView):
    permission = RETRY_PERMISSION
    header_icon = "repeat"
    page_title = gettext_lazy("Retry issuing the certificate")
    submit_label = gettext_lazy("Retry now")
    reason_required = False
    explanation = gettext_lazy(
        "The certificate is issued at once if the cause has gone; otherwise the attempts "
        "start over."
    )
    success_message = gettext_lazy("Issuing the certificate again.")

    def get_object(self) -> PendingIssuance:
        return get_object_or_404(
            PendingIssuance.objects.select_related("completion__learner"), pk=self.kwargs["pk"]
        )

    def get_summary(self) -> list[tuple[StrOrPromise, Any]]:
        row = self.object
        return [
            (_("Learner"), learner(row)),
            (_("Course"), course_title(row)),
            (_("Attempts"), row.attempts),
            (_("Last error"), row.last_error),
        ]

    def perform(self, reason: str) -> None:
        pending.retry_now(self.object)

    def get_success_url(self) -> str:
        return reverse("certificates_pending:index")
