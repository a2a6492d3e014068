"""Completions made straight in the database, for tests that issue many certificates."""

from __future__ import annotations

from typing import Any

from lms.courses.models import CourseCompletion, Enrolment
from tests.builders import make_learner


def completions(course: Any, count: int) -> list[CourseCompletion]:
    """``count`` learners who completed ``course``, without the lessons, and without the
    ``course_completed`` signal (the caller issues the certificates)."""
    made = []
    for _ in range(count):
        learner = make_learner()
        enrolment = Enrolment.objects.create(learner=learner, course_key=course.translation_key)
        made.append(
            CourseCompletion.objects.create(
                learner=learner, course_key=course.translation_key, enrolment=enrolment
            )
        )
    return made
