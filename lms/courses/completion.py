"""The only place that decides a course is complete.

A course is complete when every live lesson of it is done: a reading lesson by the learner
marking it done, a quiz lesson by passing its quiz. The completion is recorded once per learner
and course. Two phones sending the last answer together are serialised by the row lock that
the caller holds on the enrolment; the unique constraint on ``CourseCompletion`` is the backstop
should a caller forget the lock.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import Max

from maalem.core.signals import send_after_commit

from .models import CourseCompletion, CoursePage, Enrolment, QuizAttempt
from .signals import course_completed


def complete_course_if_finished(
    enrolment: Enrolment, course: CoursePage
) -> CourseCompletion | None:
    """Record the completion if every lesson of ``course`` is now done.

    Call it inside ``transaction.atomic()`` while holding ``select_for_update()`` on
    ``enrolment``. Returns the new completion, or None when the course is not finished or was
    already completed. ``course_completed`` is sent after the outer transaction commits.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("complete_course_if_finished() must run inside transaction.atomic().")
    if CourseCompletion.objects.filter(enrolment=enrolment).exists():
        return None
    required = set(course.lessons().values_list("translation_key", flat=True))
    done = set(enrolment.lessons_done.values_list("lesson_key", flat=True))
    if not required or not required <= done:
        return None

    best_scores = (
        QuizAttempt.objects.filter(enrolment=enrolment, lesson_key__in=required)
        .values("lesson_key")
        .annotate(best=Max("score"))
        .values_list("best", flat=True)
    )
    scores = list(best_scores)
    try:
        with transaction.atomic():
            completion = CourseCompletion.objects.create(
                learner_id=enrolment.learner_id,
                course_key=enrolment.course_key,
                enrolment=enrolment,
                score=round(sum(scores) / len(scores)) if scores else None,
            )
    except IntegrityError:
        # Another writer recorded it between our check and insert; theirs is the one.
        return None

    # A failing receiver must not turn the learner's passed quiz into an error page: the
    # completion is committed already, and receivers can be re-run from the stored rows.
    send_after_commit(
        course_completed,
        CourseCompletion,
        completion=completion,
        learner=completion.learner,
        course_key=completion.course_key,
    )
    return completion
