"""What a learner sees of their own progress: read-only queries for the learner pages.

Nothing here writes, redirects or adds a message: enrolling, finishing lessons and remembering
the last lesson opened are :mod:`lms.courses.services`, and what a page refuses is
:mod:`lms.courses.views`. Each function runs a fixed number of queries whatever the size of the
course, so a 100-lesson course costs the same to show as a 5-lesson one.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from wagtail.models import Locale, Page

from . import local_cache
from .done_keys import done_keys
from .enrolment_query import enrolment_with_done_keys
from .models import (
    CourseCompletion,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LearningPath,
    LessonPage,
)
from .quizzes import quiz_context
from .signal_handlers import page_urls_generation


@dataclass
class LessonState:
    """A lesson as listed in its course: enough to link to it, without loading the page."""

    id: int
    title: str
    url: str
    translation_key: uuid.UUID
    number: int
    done: bool
    current: bool = False


@dataclass
class CourseProgress:
    course: CoursePage
    enrolment: Enrolment | None
    lessons: list[LessonState]
    completion: CourseCompletion | None = None
    missing_prerequisites: list[CoursePage] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def done_count(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.done)

    @property
    def percent(self) -> int:
        if self.completion:
            return 100
        return round(100 * self.done_count / self.total) if self.total else 0

    @property
    def completed(self) -> bool:
        return self.completion is not None

    @property
    def resume_lesson(self) -> LessonState | None:
        """Where the learner picks up: the lesson they last opened if unfinished, else the next
        unfinished one."""
        if not self.lessons:
            return None
        last = self.enrolment.last_lesson_key if self.enrolment else None
        for lesson in self.lessons:
            if lesson.translation_key == last and not lesson.done:
                return lesson
        return next((lesson for lesson in self.lessons if not lesson.done), self.lessons[0])


def resolve_course(course_key: uuid.UUID, locale: Locale | None = None) -> CoursePage | None:
    """The course with this key in ``locale`` (the active one by default), or any language."""
    pages = CoursePage.objects.filter(translation_key=course_key)
    locale = locale or Locale.get_active()
    return pages.filter(locale=locale).first() or pages.first()


def enrolment_for(learner: Any, course: CoursePage) -> Enrolment | None:
    if not learner.is_authenticated:
        return None
    # One query, compiled once per connection (a unique constraint makes it one row at most).
    return enrolment_with_done_keys(learner.pk, course.translation_key)


def missing_prerequisites(learner: Any, course: CoursePage) -> list[CoursePage]:
    # .all() rather than .live(): in an admin preview this is modelcluster's in-memory queryset.
    prerequisites = [course for course in course.prerequisites.all() if course.live]
    if not prerequisites:
        return []
    completed = set(
        CourseCompletion.objects.filter(
            learner=learner, course_key__in=[p.translation_key for p in prerequisites]
        ).values_list("course_key", flat=True)
    )
    return [p for p in prerequisites if p.translation_key not in completed]


def _lesson_rows(course: CoursePage, request: HttpRequest | None = None) -> list[dict[str, Any]]:
    """The course's live lessons as plain rows, the same for every learner.

    A listing needs only titles and URLs, and a lesson's URL is its course's plus its slug
    (lessons have no children to route through). Cached until any page is published,
    unpublished, moved or deleted.
    """
    key = f"lms:lesson-rows:{page_urls_generation(request)}:{course.pk}"
    rows = local_cache.get(key)
    if rows is None:
        rows = list(
            Page.objects.child_of(course)
            .live()
            .order_by("path")
            .values("id", "title", "slug", "translation_key")
        )
        local_cache.set(key, rows, 300)
    return rows


def course_progress(
    course: CoursePage,
    learner: Any,
    enrolment: Enrolment | None = None,
    request: HttpRequest | None = None,
) -> CourseProgress:
    if enrolment is None:
        enrolment = enrolment_for(learner, course)
    rows = _lesson_rows(course, request)
    course_url = course.get_url(request) if request else course.url
    done: set[uuid.UUID] = set()
    completion = None
    if enrolment is not None:
        done = done_keys(enrolment)
        try:
            completion = enrolment.completion
        except CourseCompletion.DoesNotExist:
            completion = None
    missing = (
        []
        if enrolment
        else (missing_prerequisites(learner, course) if learner.is_authenticated else [])
    )
    return CourseProgress(
        course=course,
        enrolment=enrolment,
        lessons=[
            LessonState(
                id=row["id"],
                title=row["title"],
                url=f"{course_url}{row['slug']}/",
                translation_key=row["translation_key"],
                number=i,
                done=row["translation_key"] in done,
            )
            for i, row in enumerate(rows, start=1)
        ],
        completion=completion,
        missing_prerequisites=missing,
    )


@dataclass
class CourseCard:
    course: CoursePage
    lesson_count: int
    enrolled: bool = False
    completed: bool = False
    done_count: int = 0

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        return round(100 * self.done_count / self.lesson_count) if self.lesson_count else 0


def course_cards(
    courses: list[CoursePage], learner: Any, enrolments: list[Enrolment] | None = None
) -> dict[uuid.UUID, CourseCard]:
    """Cards for a list of courses, with the learner's status, in a fixed number of queries.
    ``enrolments``, the learner's enrolments with their completion and lessons done already
    fetched, spares querying them again."""
    if not courses:
        return {}
    under_courses = Q()
    for course in courses:
        under_courses |= Q(path__startswith=course.path, depth=course.depth + 1)
    lesson_paths = (
        Page.objects.live().type(LessonPage).filter(under_courses).values_list("path", flat=True)
    )
    counts = Counter(path[: -Page.steplen] for path in lesson_paths)
    cards = {c.translation_key: CourseCard(course=c, lesson_count=counts[c.path]) for c in courses}
    if enrolments is None and learner.is_authenticated:
        enrolments = list(
            Enrolment.objects.filter(learner=learner, course_key__in=cards.keys())
            .prefetch_related("lessons_done")
            .select_related("completion")
        )
    for enrolment in enrolments or ():
        card = cards.get(enrolment.course_key)
        if card is not None:
            card.enrolled = True
            card.done_count = len(enrolment.lessons_done.all())
            card.completed = hasattr(enrolment, "completion")
    return cards


def catalogue_for(index: CourseIndexPage, learner: Any) -> dict[str, Any]:
    courses = list(
        CoursePage.objects.child_of(index).live().select_related("cover_image").order_by("path")
    )
    cards = course_cards(courses, learner)
    paths = []
    for path in LearningPath.objects.filter(locale_id=index.locale_id).prefetch_related(
        "items__course"
    ):
        steps = [
            cards[item.course.translation_key]
            for item in path.items.all()
            if item.course.translation_key in cards
        ]
        if steps:
            paths.append({"path": path, "cards": steps})
    in_a_path = {card.course.pk for entry in paths for card in entry["cards"]}
    return {
        "paths": paths,
        "cards": list(cards.values()),
        "other_cards": [card for card in cards.values() if card.course.pk not in in_a_path],
    }


def lesson_context(
    lesson: LessonPage, request: HttpRequest, course: CoursePage, enrolment: Enrolment | None
) -> dict[str, Any]:
    """The lesson's place in its course, the learner's progress, and their quiz if it is one."""
    progress = course_progress(course, request.user, enrolment, request=request)
    position = next((state for state in progress.lessons if state.id == lesson.pk), None)
    if position is None:  # not live (a preview): built only then, as its address costs a lookup
        position = LessonState(
            id=lesson.pk,
            title=lesson.title,
            url=lesson.get_url(request) or "",
            translation_key=lesson.translation_key,
            number=0,
            done=False,
        )
    position.current = True
    index = position.number - 1
    previous_lesson = progress.lessons[index - 1] if index > 0 else None
    next_lesson = progress.lessons[index + 1] if 0 <= index < len(progress.lessons) - 1 else None
    context: dict[str, Any] = {
        "course": course,
        "progress": progress,
        "position": position,
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
    }
    if lesson.is_quiz:
        context.update(quiz_context(lesson, course, progress.enrolment, request))
    return context


def my_learning(learner: Any) -> dict[str, Any]:
    """The learner's courses, in progress and completed, in the active language."""
    enrolments = list(
        Enrolment.objects.filter(learner=learner)
        .select_related("completion")
        .prefetch_related("lessons_done")
        .order_by("-last_seen_at", "-enrolled_at")
    )
    keys = [e.course_key for e in enrolments]
    try:
        active_locale_id = Locale.get_active().pk
    except Locale.DoesNotExist:  # a site with no content language set up yet
        active_locale_id = None
    pages: dict[uuid.UUID, CoursePage] = {}
    for page in (
        CoursePage.objects.live().filter(translation_key__in=keys).select_related("cover_image")
    ):
        if page.translation_key not in pages or page.locale_id == active_locale_id:
            pages[page.translation_key] = page
    cards = course_cards(list(pages.values()), learner, enrolments) if pages else {}
    in_progress: list[CourseCard] = []
    completed: list[CourseCard] = []
    for enrolment in enrolments:
        card = cards.get(enrolment.course_key)
        if card is None:
            continue
        (completed if card.completed else in_progress).append(card)
    return {"in_progress": in_progress, "completed": completed}
