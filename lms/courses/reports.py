"""The learner progress report trainers read in the Wagtail admin, with CSV and XLSX export.

One row per course. A course is the same course in every language (learner records point at its
``translation_key``), so the numbers add up the learners of all its translations and the title
comes from the default language. The queries are a fixed few whatever the number of learners;
only the per-question failures are counted in Python, in one pass over the quiz attempts.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale, Page
from wagtail.permissions import policy_registry

from maalem.core.exports import SafeSpreadsheetExportMixin

from .models import CourseCompletion, CoursePage, Enrolment, LessonPage, QuizAttempt
from .trainers import PROGRESS_REPORT_PERMISSION

MOST_FAILED_SHOWN = 3


@dataclass(frozen=True)
class FailedQuestion:
    prompt: str
    failures: int

    def __str__(self) -> str:
        return ngettext(
            "%(prompt)s (%(count)d failed)", "%(prompt)s (%(count)d failed)", self.failures
        ) % {"prompt": self.prompt, "count": self.failures}


@dataclass
class CourseReportRow:
    page_id: int
    title: str
    enrolled: int = 0
    completed: int = 0
    average_score: int | None = None
    most_failed: list[FailedQuestion] = field(default_factory=list)

    @property
    def in_progress(self) -> int:
        # Every completion belongs to an enrolment, so the rest are still working on it.
        return self.enrolled - self.completed

    @property
    def most_failed_text(self) -> str:
        return "; ".join(str(question) for question in self.most_failed)


def can_view_progress_report(user: Any) -> bool:
    return bool(user.has_perm(PROGRESS_REPORT_PERMISSION))


def courses_for_trainer(user: Any) -> dict[uuid.UUID, CoursePage]:
    """The courses ``user`` may report on, one page per course, in the default language if it has
    one.

    A trainer sees the courses inside the subtrees their groups have page permissions on (any
    translation there counts); a superuser sees every course.
    """
    pages = policy_registry.get_by_type(Page).instances_user_has_any_permission_for(
        user, ["add", "change", "publish"]
    )
    keys = CoursePage.objects.filter(pk__in=pages.values("pk")).values("translation_key")
    default_locale_id = Locale.get_default().pk
    courses: dict[uuid.UUID, CoursePage] = {}
    for course in CoursePage.objects.filter(translation_key__in=keys).order_by("path"):
        known = courses.get(course.translation_key)
        if known is None or (
            course.locale_id == default_locale_id and known.locale_id != default_locale_id
        ):
            courses[course.translation_key] = course
    return courses


def _question_prompts(lesson_keys: Iterable[uuid.UUID]) -> dict[tuple[uuid.UUID, str], str]:
    """(lesson key, question id) -> prompt, preferring the default language's wording."""
    default_locale_id = Locale.get_default().pk
    lessons = sorted(
        LessonPage.objects.filter(translation_key__in=list(lesson_keys)).order_by("path"),
        key=lambda lesson: lesson.locale_id == default_locale_id,
    )
    prompts: dict[tuple[uuid.UUID, str], str] = {}
    for lesson in lessons:  # default-language lessons last, so their prompts win
        for question in lesson.questions:
            prompts[(lesson.translation_key, question.id)] = question.value["prompt"]
    return prompts


def progress_report(courses: dict[uuid.UUID, CoursePage]) -> list[CourseReportRow]:
    """Enrolled, in progress, completed, average quiz score and most-failed questions per course."""
    keys = list(courses)
    rows = {
        key: CourseReportRow(page_id=course.pk, title=course.title)
        for key, course in courses.items()
    }
    for key, count in (
        Enrolment.objects.filter(course_key__in=keys)
        .values_list("course_key")
        .annotate(Count("pk"))
        .order_by()
    ):
        rows[key].enrolled = count
    for key, count in (
        CourseCompletion.objects.filter(course_key__in=keys)
        .values_list("course_key")
        .annotate(Count("pk"))
        .order_by()
    ):
        rows[key].completed = count
    attempts = QuizAttempt.objects.filter(enrolment__course_key__in=keys)
    for key, average in (
        attempts.values_list("enrolment__course_key").annotate(Avg("score")).order_by()
    ):
        rows[key].average_score = round(average) if average is not None else None

    failures: dict[uuid.UUID, Counter[tuple[uuid.UUID, str]]] = defaultdict(Counter)
    for key, lesson_key, results in attempts.values_list(
        "enrolment__course_key", "lesson_key", "results"
    ):
        failures[key].update(
            (lesson_key, question_id) for question_id, right in results.items() if not right
        )
    prompts = _question_prompts(
        {lesson for counter in failures.values() for lesson, _question in counter}
    )
    # Ties go in the order the questions are asked, whatever order the database returned.
    position = {question: index for index, question in enumerate(prompts)}
    for key, counter in failures.items():
        ranked = sorted(
            counter.items(), key=lambda item: (-item[1], position.get(item[0], len(position)))
        )
        rows[key].most_failed = [
            # A question deleted since the attempt still counts; its id stands in for the prompt.
            FailedQuestion(prompt=prompts.get(question, question[1]), failures=count)
            for question, count in ranked[:MOST_FAILED_SHOWN]
        ]
    return sorted(rows.values(), key=lambda row: row.title.casefold())


class MostFailedColumn(Column):
    cell_template_name = "courses/admin/most_failed_cell.html"


class ProgressReportView(SafeSpreadsheetExportMixin, ReportView):
    page_title = _("Learner progress")
    header_icon = "list-ul"
    index_url_name = "lms_progress_report"
    index_results_url_name = "lms_progress_report_results"
    columns = [
        TitleColumn(
            "title",
            label=_("Course"),
            get_url=lambda row: reverse("wagtailadmin_pages:edit", args=[row.page_id]),
        ),
        Column("enrolled", label=_("Enrolled")),
        Column("in_progress", label=_("In progress")),
        Column("completed", label=_("Completed")),
        Column("average_score", label=_("Average quiz score (%)")),
        MostFailedColumn("most_failed", label=_("Questions most often failed")),
    ]
    list_export = [
        "title",
        "enrolled",
        "in_progress",
        "completed",
        "average_score",
        "most_failed_text",
    ]
    export_headings = {
        "title": _("Course"),
        "enrolled": _("Enrolled"),
        "in_progress": _("In progress"),
        "completed": _("Completed"),
        "average_score": _("Average quiz score (%)"),
        "most_failed_text": _("Questions most often failed"),
    }

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_view_progress_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self) -> str:
        return f"learner-progress-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self) -> list[CourseReportRow]:
        return progress_report(courses_for_trainer(self.request.user))
