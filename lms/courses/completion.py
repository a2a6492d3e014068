"""The only place that decides a course is complete.

A course is complete when every live lesson of it is done: a reading lesson by the learner
marking it done, a quiz lesson by passing its quiz. The completion is recorded once per learner
and course. Two phones sending the last answer together are serialised by the row lock that
the caller holds on the enrolment; the unique constraint on ``CourseCompletion`` is the backstop
should a caller forget the lock.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q

from maalem.core.signals import send_after_commit

from . import rollups
from .models import CourseCompletion, CoursePage, Enrolment, LessonPage, LessonProgress, QuizAttempt
from .signals import course_completed


def complete_course_if_finished(
    enrolment: Enrolment, course: CoursePage
) -> CourseCompletion | None:
    """Record the completion if every lesson of ``course`` is now done.

    Call it inside ``transaction.atomic()`` while holding ``select_for_update()`` on
    ``enrolment``. Returns the new completion, or None when the course is not finished or was
    already completed. ``course_completed`` is sent after the outer transaction commits.
    """
    completed = complete_courses_if_finished([(enrolment, course)])
    return completed[0] if completed else None


def complete_courses_if_finished(
    pairs: Sequence[tuple[Enrolment, CoursePage]],
) -> list[CourseCompletion]:
    """``complete_course_if_finished`` for several enrolments, in a fixed number of queries.

    The same rule and the same conditions: inside ``transaction.atomic()``, each enrolment
    locked by the caller. Returns the completions recorded now.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("complete_course_if_finished() must run inside transaction.atomic().")
    if not pairs:
        return []
    ids = [enrolment.pk for enrolment, _course in pairs]
    already = set(
        CourseCompletion.objects.filter(enrolment_id__in=ids).values_list("enrolment_id", flat=True)
    )
    pairs = [(e, c) for e, c in pairs if e.pk not in already]
    if not pairs:
        return []
    required = _required_lessons([course for _enrolment, course in pairs])
    done: dict[int, set[uuid.UUID]] = defaultdict(set)
    for enrolment_id, key in LessonProgress.objects.filter(
        enrolment_id__in=[e.pk for e, _c in pairs]
    ).values_list("enrolment_id", "lesson_key"):
        done[enrolment_id].add(key)
    finished = [(e, c) for e, c in pairs if required[c.path] and required[c.path] <= done[e.pk]]
    if not finished:
        return []
    best: dict[int, dict[uuid.UUID, int]] = defaultdict(dict)
    for enrolment_id, key, score in (
        QuizAttempt.objects.filter(enrolment_id__in=[e.pk for e, _c in finished])
        .values("enrolment_id", "lesson_key")
        .annotate(best=Max("score"))
        .values_list("enrolment_id", "lesson_key", "best")
    ):
        best[enrolment_id][key] = score
    completions = []
    for enrolment, course in finished:
        scores = [s for key, s in best[enrolment.pk].items() if key in required[course.path]]
        completions.append(
            CourseCompletion(
                learner_id=enrolment.learner_id,
                course_key=enrolment.course_key,
                enrolment=enrolment,
                score=round(sum(scores) / len(scores)) if scores else None,
            )
        )
    try:
        with transaction.atomic():
            CourseCompletion.objects.bulk_create(completions)
    except IntegrityError:
        # Another writer recorded one between our check and insert; theirs is the one.
        completions = [c for c in completions if _create_alone(c)]
    rollups.count_completions(completions)
    for completion in completions:
        # A failing receiver must not turn the learner's passed quiz into an error page: the
        # completion is committed already, and receivers can be re-run from the stored rows.
        send_after_commit(
            course_completed,
            CourseCompletion,
            completion=completion,
            learner=completion.enrolment.learner,
            course_key=completion.course_key,
        )
    return completions


def _required_lessons(courses: Sequence[CoursePage]) -> dict[str, set[uuid.UUID]]:
    """Each course's live lessons (by path), as ``CoursePage.lessons()`` lists them."""
    under = Q()
    for course in courses:
        under |= Q(path__startswith=course.path, depth=course.depth + 1)
    required: dict[str, set[uuid.UUID]] = defaultdict(set)
    for path, key in LessonPage.objects.live().filter(under).values_list("path", "translation_key"):
        required[path[: -LessonPage.steplen]].add(key)
    return required


def _create_alone(completion: CourseCompletion) -> bool:
    try:
        with transaction.atomic():
            completion.save(force_insert=True)
    except IntegrityError:
        return False
    return True
