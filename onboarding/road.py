"""The road to selling: the courses an operator requires before a seller account, and how far a
learner is along them.

Shown where a learner looks for it: at the top of "My learning", on the page of each required
course (both through lms.courses' ``lms_learner_panels`` hook) and on the onboarding page.
Read-only; the rule itself is :class:`onboarding.models.OnboardingRule`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from wagtail.models import Locale

from lms.courses.models import CourseCompletion, CoursePage, Enrolment

from .models import OnboardingRule

DONE, STARTED, NOT_STARTED = "done", "started", "not_started"


@dataclass
class RoadCourse:
    title: str
    url: str
    translation_key: uuid.UUID
    status: str = NOT_STARTED  # done, started or not_started


@dataclass
class Road:
    """The required courses in catalogue order, each with the learner's status."""

    courses: list[RoadCourse]

    @property
    def total(self) -> int:
        return len(self.courses)

    @property
    def done_count(self) -> int:
        return sum(1 for course in self.courses if course.status == DONE)

    @property
    def complete(self) -> bool:
        return self.done_count == self.total

    @property
    def next_course(self) -> RoadCourse | None:
        """Where to go next: a course already started, else the first one not started."""
        for status in (STARTED, NOT_STARTED):
            found = next((course for course in self.courses if course.status == status), None)
            if found is not None:
                return found
        return None

    def includes(self, page: Any) -> bool:
        key = getattr(page, "translation_key", None)
        return any(course.translation_key == key for course in self.courses)


def required_courses() -> list[CoursePage]:
    """The live courses the rule requires, in the active language where translated."""
    # In the order of the catalogue the operator picked them from, whatever the language shown.
    order = dict(
        OnboardingRule.load()
        .required_courses.order_by("path")
        .values_list("translation_key", "path")
    )
    if not order:
        return []
    try:
        active_locale_id: int | None = Locale.get_active().pk
    except Locale.DoesNotExist:  # a site with no content language set up yet
        active_locale_id = None
    pages: dict[uuid.UUID, CoursePage] = {}
    for page in CoursePage.objects.live().filter(translation_key__in=order):
        if page.translation_key not in pages or page.locale_id == active_locale_id:
            pages[page.translation_key] = page
    return sorted(pages.values(), key=lambda page: order[page.translation_key])


def road_for(learner: Any, request: HttpRequest | None = None) -> Road | None:
    """The learner's road to selling, or ``None`` while the rule requires no course."""
    pages = required_courses()
    if not pages:
        return None
    courses = [
        RoadCourse(
            title=page.title,
            url=(page.get_url(request) if request else page.url) or "",
            translation_key=page.translation_key,
        )
        for page in pages
    ]
    if learner is not None and learner.is_authenticated:
        keys = [course.translation_key for course in courses]
        done = set(
            CourseCompletion.objects.filter(learner=learner, course_key__in=keys).values_list(
                "course_key", flat=True
            )
        )
        started = set(
            Enrolment.objects.filter(learner=learner, course_key__in=keys).values_list(
                "course_key", flat=True
            )
        )
        for course in courses:
            if course.translation_key in done:
                course.status = DONE
            elif course.translation_key in started:
                course.status = STARTED
    return Road(courses)
