"""The road to selling: the courses an operator requires before a seller account, and how far a
learner is along them.

Shown where a learner looks for it: at the top of "My learning", on the page of each required
course (both through lms.courses' ``lms_learner_panels`` hook) and on the onboarding page.
Read-only; the rule itself is :class:`onboarding.models.OnboardingRule`.

The required courses as a request shows them (titles and addresses, the same for every learner)
are cached under lms.courses' page-URL generation, which any change to a page bumps, and which
a change to the rule bumps too (:func:`forget_required_courses`). Only the learner's own status
is read for each request, never cached.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from wagtail.models import Locale

from lms.courses import local_cache
from lms.courses.models import CourseCompletion, CoursePage, Enrolment
from lms.courses.signal_handlers import forget_page_urls, page_urls_generation

from .models import OnboardingRule

DONE, STARTED, NOT_STARTED = "done", "started", "not_started"
# A new generation is a new key; the timeout only bounds how long an unused one stays.
CACHE_SECONDS = 60 * 60


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


def road_courses(request: HttpRequest | None = None) -> list[tuple[str, str, uuid.UUID]]:
    """Title, address and translation key of each required course, as ``request`` shows them;
    cached per site, language and page-URL generation when there is a request."""
    if request is None:
        return [(page.title, page.url or "", page.translation_key) for page in required_courses()]
    generation = page_urls_generation(request)
    key = f"onboarding:road:{generation}:{request.get_host()}:{get_language()}"
    courses: list[tuple[str, str, uuid.UUID]] | None = local_cache.get(key)
    if courses is None:
        courses = [
            (page.title, page.get_url(request) or "", page.translation_key)
            for page in required_courses()
        ]
        local_cache.set(key, courses, CACHE_SECONDS)
    return courses


def forget_required_courses(sender: Any = None, **kwargs: Any) -> None:
    """Connected to the rule's saves, deletions and changes of its courses (receivers.py)."""
    forget_page_urls()


def road_for(learner: Any, request: HttpRequest | None = None) -> Road | None:
    """The learner's road to selling, or ``None`` while the rule requires no course."""
    required = road_courses(request)
    if not required:
        return None
    courses = [
        RoadCourse(title=title, url=url, translation_key=translation_key)
        for title, url, translation_key in required
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
