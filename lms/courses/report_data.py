"""The numbers behind the learner progress reports.

A course is the same course in every language (learner records point at its ``translation_key``),
so the numbers add up the learners of all its translations and the title comes from the default
language. Every function runs a fixed number of queries whatever the number of learners: the
per-course report reads totals kept up to date as learners work, and the per-learner report
counts a page of learners at a time in the database.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext
from wagtail.models import Locale, Page
from wagtail.permissions import policy_registry

from .models import (
    CoursePage,
    CourseRollup,
    Enrolment,
    LessonPage,
    LessonProgress,
    QuestionRollup,
    QuizAttempt,
)
from .rollups import COURSE_TOTALS

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


def rank_most_failed(
    rows: dict[uuid.UUID, CourseReportRow],
    failures: dict[uuid.UUID, Counter[tuple[uuid.UUID, str]]],
) -> None:
    """Fill each row's most-failed questions from its failures per (lesson key, question id)."""
    prompts = _question_prompts({lesson for counter in failures.values() for lesson, _q in counter})
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


def progress_report(courses: dict[uuid.UUID, CoursePage]) -> list[CourseReportRow]:
    """Enrolled, in progress, completed, average quiz score and most-failed questions per course.

    Read from the totals kept up to date as learners work (:mod:`lms.courses.rollups`): a few
    rows per course and per quiz question, whatever the number of learners.
    """
    keys = list(courses)
    rows = {
        key: CourseReportRow(page_id=course.pk, title=course.title)
        for key, course in courses.items()
    }
    for key, enrolled, completed, attempts, score_sum in (
        CourseRollup.objects.filter(course_key__in=keys)
        .values_list("course_key")
        .annotate(*(Sum(name) for name in COURSE_TOTALS))
        .order_by()
    ):
        rows[key].enrolled, rows[key].completed = enrolled, completed
        rows[key].average_score = round(score_sum / attempts) if attempts else None
    failures: dict[uuid.UUID, Counter[tuple[uuid.UUID, str]]] = defaultdict(Counter)
    for key, lesson_key, question_id, count in (
        QuestionRollup.objects.filter(course_key__in=keys)
        .values_list("course_key", "lesson_key", "question_id")
        .annotate(Sum("failures"))
        .order_by()
    ):
        if count > 0:  # every wrong answer to it was erased since
            failures[key][(lesson_key, question_id)] = count
    rank_most_failed(rows, failures)
    return sorted(rows.values(), key=lambda row: row.title.casefold())


def _count_per_enrolment(queryset: QuerySet[Any]) -> Coalesce:
    counted = queryset.filter(enrolment=OuterRef("pk")).order_by().values("enrolment")
    return Coalesce(
        Subquery(counted.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        Value(0),
    )


def enrolments_of(keys: Iterable[uuid.UUID]) -> QuerySet[Enrolment]:
    """The enrolments in the courses ``keys``, oldest first: what the learner report pages through.

    Bare rows, so that counting them or skipping to a page reads an index only; the numbers are
    added to the page's rows alone by :func:`learner_progress`.
    """
    return Enrolment.objects.filter(course_key__in=list(keys)).order_by("pk")


def learner_progress(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """``enrolments`` with the learner's lessons done, quiz attempts and best score, oldest first.

    Counted by the database in correlated subqueries, so a page of rows is one query; give it a
    page of rows (``pk__in``), not every learner.
    """
    best = (
        QuizAttempt.objects.filter(enrolment=OuterRef("pk"))
        .order_by()
        .values("enrolment")
        .annotate(best=Max("score"))
        .values("best")
    )
    return (
        enrolments.select_related("learner", "completion")
        .only(
            "course_key",
            "enrolled_at",
            "last_seen_at",
            "learner__first_name",
            "learner__last_name",
            "learner__username",
            "completion__completed_at",
        )
        .annotate(
            lessons_done_count=_count_per_enrolment(LessonProgress.objects.all()),
            attempts_count=_count_per_enrolment(QuizAttempt.objects.all()),
            best_score=Subquery(best, output_field=IntegerField()),
        )
        .order_by("pk")
    )


def in_chunks(enrolments: QuerySet[Enrolment], size: int) -> Iterator[list[Enrolment]]:
    """``enrolments`` with their numbers, ``size`` at a time, each chunk found by keyset (the
    enrolments after the last one read) rather than by an offset that rereads the ones before."""
    last = 0
    while True:
        ids = list(enrolments.filter(pk__gt=last).values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield list(learner_progress(Enrolment.objects.filter(pk__in=ids)))
        last = ids[-1]


def lesson_counts(courses: dict[uuid.UUID, CoursePage]) -> dict[uuid.UUID, int]:
    """Live lessons per course, in one query."""
    by_path = {course.path: key for key, course in courses.items()}
    counts: Counter[uuid.UUID] = Counter()
    if not by_path:
        return {}
    lessons = LessonPage.objects.live().filter(
        depth__in={course.depth + 1 for course in courses.values()}
    )
    for path in lessons.values_list("path", flat=True):
        key = by_path.get(path[: -Page.steplen])
        if key is not None:
            counts[key] += 1
    return dict(counts)


@dataclass
class LearnerRow:
    """One learner in one course, as the report shows and exports it. No phone number: a name."""

    learner: str
    course: str
    enrolled_at: datetime.datetime
    lessons_done: int
    lessons_total: int
    quiz_attempts: int
    best_score: int | None
    completed_at: datetime.datetime | None
    last_seen_at: datetime.datetime | None

    @property
    def lessons(self) -> str:
        return f"{self.lessons_done} / {self.lessons_total}"


def learner_name(user: Any) -> str:
    return user.get_full_name().strip() or user.get_username()


def learner_row(
    enrolment: Any, courses: dict[uuid.UUID, CoursePage], totals: dict[uuid.UUID, int]
) -> LearnerRow:
    completion = getattr(enrolment, "completion", None)
    course = courses.get(enrolment.course_key)
    return LearnerRow(
        learner=learner_name(enrolment.learner),
        course=course.title if course else "",
        enrolled_at=enrolment.enrolled_at,
        lessons_done=enrolment.lessons_done_count,
        lessons_total=totals.get(enrolment.course_key, 0),
        quiz_attempts=enrolment.attempts_count,
        best_score=enrolment.best_score,
        completed_at=completion.completed_at if completion else None,
        last_seen_at=enrolment.last_seen_at,
    )
