"""The learner progress reports trainers read in the Wagtail admin, with CSV and XLSX export.

Two views: one row per course (how many enrolled, in progress and completed, the average quiz
score and the questions most often failed), and one row per learner in each course. The first
reads totals kept up to date as learners work (:mod:`lms.courses.rollups`); the second counts at
most 10,000 rows and reads a page of learners at a time (:mod:`lms.courses.report_data`). A page
of either costs the same few queries for ten learners or half a million, and exports stream
their rows.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from maalem.core.exports import ExportRows, SafeSpreadsheetExportMixin
from maalem.core.pagination import CappedCountPaginator

from .models import CoursePage, Enrolment
from .report_data import (
    CourseReportRow,
    LearnerRow,
    courses_for_trainer,
    enrolments_of,
    in_chunks,
    learner_progress,
    learner_row,
    lesson_counts,
    progress_report,
)
from .trainers import PROGRESS_REPORT_PERMISSION

__all__ = ["LearnerProgressReportView", "ProgressReportView", "courses_for_trainer"]


def can_view_progress_report(user: Any) -> bool:
    return bool(user.has_perm(PROGRESS_REPORT_PERMISSION))


def trainer_courses(request: HttpRequest) -> dict[uuid.UUID, CoursePage]:
    """The courses the signed-in trainer may report on, worked out once per request."""
    courses = getattr(request, "_lms_report_courses", None)
    if courses is None:
        courses = courses_for_trainer(request.user)
        setattr(request, "_lms_report_courses", courses)  # noqa: B010
    return courses


class TrainerReportView(SafeSpreadsheetExportMixin, ReportView):
    header_icon = "list-ul"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_view_progress_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MostFailedColumn(Column):
    cell_template_name = "courses/admin/most_failed_cell.html"


class ProgressReportView(TrainerReportView):
    page_title = _("Learner progress")
    index_url_name = "lms_progress_report"
    index_results_url_name = "lms_progress_report_results"
    columns = [
        TitleColumn(
            "title",
            label=_("Course"),
            get_url=lambda row: reverse("lms_learner_report") + f"?course={row.page_id}",
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

    def get_filename(self) -> str:
        return f"learner-progress-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self) -> list[CourseReportRow]:
        return progress_report(trainer_courses(self.request))


class LearnerFilterSet(WagtailFilterSet):
    course = django_filters.ChoiceFilter(label=_("Course"), method="filter_course")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        method="filter_status",
        choices=[("in_progress", _("In progress")), ("completed", _("Completed"))],
    )

    class Meta:
        model = Enrolment
        fields: list[str] = []

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        self.courses = trainer_courses(request)
        self.filters["course"].extra["choices"] = sorted(
            ((str(course.pk), course.title) for course in self.courses.values()),
            key=lambda choice: choice[1].casefold(),
        )

    def filter_course(self, queryset: QuerySet[Enrolment], name: str, value: str) -> Any:
        keys = [key for key, course in self.courses.items() if str(course.pk) == value]
        return queryset.filter(course_key__in=keys)

    def filter_status(self, queryset: QuerySet[Enrolment], name: str, value: str) -> Any:
        return queryset.filter(completion__isnull=value == "in_progress")


class LearnerRows(ExportRows):
    """An export's rows, read from the database a chunk at a time rather than all at once."""

    def __init__(self, view: LearnerProgressReportView, queryset: QuerySet[Enrolment]) -> None:
        super().__init__(queryset)
        self.view, self.model = view, LearnerRow

    def __iter__(self) -> Iterator[LearnerRow]:
        for chunk in in_chunks(self.rows, self.chunk_size):
            for enrolment in chunk:
                yield self.view.row(enrolment)


class LearnerProgressReportView(TrainerReportView):
    page_title = _("Progress by learner")
    index_url_name = "lms_learner_report"
    index_results_url_name = "lms_learner_report_results"
    filterset_class = LearnerFilterSet
    paginate_by = 50
    # Past 10,000 enrolments the page says "more than 10,000" rather than counting them all.
    paginator_class = CappedCountPaginator
    columns = [
        Column("learner", label=_("Learner")),
        Column("course", label=_("Course")),
        DateColumn("enrolled_at", label=_("Enrolled")),
        Column("lessons", label=_("Lessons done")),
        Column("quiz_attempts", label=_("Quiz attempts")),
        Column("best_score", label=_("Best quiz score (%)")),
        DateColumn("completed_at", label=_("Completed")),
        DateColumn("last_seen_at", label=_("Last seen")),
    ]
    list_export = [
        "learner",
        "course",
        "enrolled_at",
        "lessons_done",
        "lessons_total",
        "quiz_attempts",
        "best_score",
        "completed_at",
        "last_seen_at",
    ]
    export_headings = {
        "learner": _("Learner"),
        "course": _("Course"),
        "enrolled_at": _("Enrolled"),
        "lessons_done": _("Lessons done"),
        "lessons_total": _("Lessons in the course"),
        "quiz_attempts": _("Quiz attempts"),
        "best_score": _("Best quiz score (%)"),
        "completed_at": _("Completed"),
        "last_seen_at": _("Last seen"),
    }

    def get_filename(self) -> str:
        return f"progress-by-learner-{datetime.date.today():%Y-%m-%d}"

    @cached_property
    def lesson_totals(self) -> dict[uuid.UUID, int]:
        return lesson_counts(trainer_courses(self.request))

    def row(self, enrolment: Enrolment) -> LearnerRow:
        return learner_row(enrolment, trainer_courses(self.request), self.lesson_totals)

    def get_queryset(self) -> QuerySet[Enrolment]:
        return enrolments_of(trainer_courses(self.request))

    def paginate_queryset(self, queryset: Any, page_size: int) -> Any:
        # The database counts and skips bare enrolment ids; only the page's rows are then read
        # with their numbers, and become report rows.
        ids = queryset.values_list("pk", flat=True)
        paginator, page, page_ids, is_paginated = super().paginate_queryset(ids, page_size)
        enrolments = learner_progress(Enrolment.objects.filter(pk__in=list(page_ids)))
        page.object_list = [self.row(enrolment) for enrolment in enrolments]
        return paginator, page, page.object_list, is_paginated

    def as_spreadsheet(self, queryset: Any, spreadsheet_format: str) -> Any:
        return super().as_spreadsheet(LearnerRows(self, queryset), spreadsheet_format)
