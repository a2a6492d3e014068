"""A sync batch applied in a fixed number of queries, whatever the number of events.

The rules are those of :mod:`lms.courses.services`, checked against the learner's progress
read once for the whole batch: the batch reads its lessons, courses, enrolments (locked, as
the services lock them), lessons done and quiz attempts in one query each, applies the events
in the phone's order in memory, then writes what they did with one insert per table.
Completion is still decided by :mod:`lms.courses.completion`, once for the batch.

Each event's id is claimed by inserting its ``SyncEvent`` row in the same transaction: should
another request have recorded one of these ids meanwhile, the insert fails, nothing of the
batch is kept, and the caller replays the events one at a time, which reads their stored
results.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from . import completion, rollups, services
from .models import CoursePage, Enrolment, LessonPage, LessonProgress, QuizAttempt, SyncEvent
from .quizzes import QuizRules


@dataclass
class _Attempts:
    used: int = 0
    passed: bool = False


@dataclass
class _Progress:
    """What the batch knows of the learner's progress, kept up to date as events apply."""

    enrolments: dict[uuid.UUID, Enrolment]
    done: dict[int, set[uuid.UUID]]
    attempts: dict[tuple[int, uuid.UUID], _Attempts]
    new_done: list[LessonProgress] = field(default_factory=list)
    new_attempts: list[QuizAttempt] = field(default_factory=list)
    touched: dict[int, tuple[Enrolment, CoursePage]] = field(default_factory=dict)


def apply_batch(learner: Any, events: list[Any], outcome: Any) -> list[dict[str, Any]]:
    """Apply the events not seen before and record them; return one result per event.

    ``outcome(event, lesson, act)`` turns what ``act()`` does (or the ``LearningError`` it
    raises) into the event's stored result; ``lesson`` is None if it is no longer available.
    """
    with transaction.atomic():
        lessons = {
            lesson.pk: lesson
            for lesson in LessonPage.objects.live().filter(pk__in={e.lesson_id for e in events})
        }
        courses = {
            course.path: course
            for course in CoursePage.objects.filter(
                path__in={lesson.path[: -LessonPage.steplen] for lesson in lessons.values()}
            )
        }
        progress = _read_progress(learner, courses.values(), lessons.values())
        stored = dict(
            SyncEvent.objects.filter(
                learner=learner, client_id__in={e.client_id for e in events}
            ).values_list("client_id", "result")
        )
        new_rows = []
        for event in events:
            if event.client_id in stored:
                continue
            lesson = lessons.get(event.lesson_id)
            course = courses.get(lesson.path[: -LessonPage.steplen]) if lesson else None
            result = outcome(
                event,
                lesson if course else None,
                lambda: _apply(progress, event, lesson, course),  # noqa: B023 (called at once)
            )
            stored[event.client_id] = result
            new_rows.append(
                SyncEvent(
                    learner=learner,
                    client_id=event.client_id,
                    type=event.type,
                    payload=event.payload,
                    result=result,
                )
            )
        LessonProgress.objects.bulk_create(progress.new_done)
        QuizAttempt.objects.bulk_create(progress.new_attempts)
        rollups.count_attempts(progress.new_attempts)
        completion.complete_courses_if_finished(list(progress.touched.values()))
        SyncEvent.objects.bulk_create(new_rows)
    return [stored[event.client_id] for event in events]


def _read_progress(learner: Any, courses: Any, lessons: Any) -> _Progress:
    enrolments = {
        enrolment.course_key: enrolment
        for enrolment in Enrolment.objects.select_for_update().filter(
            learner=learner, course_key__in=[course.translation_key for course in courses]
        )
    }
    for enrolment in enrolments.values():
        enrolment.learner = learner
    ids = [enrolment.pk for enrolment in enrolments.values()]
    done: dict[int, set[uuid.UUID]] = defaultdict(set)
    for enrolment_id, key in LessonProgress.objects.filter(enrolment_id__in=ids).values_list(
        "enrolment_id", "lesson_key"
    ):
        done[enrolment_id].add(key)
    attempts: dict[tuple[int, uuid.UUID], _Attempts] = defaultdict(_Attempts)
    for enrolment_id, key, passed in QuizAttempt.objects.filter(
        enrolment_id__in=ids, lesson_key__in=[lesson.translation_key for lesson in lessons]
    ).values_list("enrolment_id", "lesson_key", "passed"):
        seen = attempts[(enrolment_id, key)]
        seen.used += 1
        seen.passed = seen.passed or passed
    return _Progress(enrolments, done, attempts)


def _apply(progress: _Progress, event: Any, lesson: Any, course: Any) -> Any:
    """What ``services.mark_lesson_done`` or ``services.submit_quiz`` would do, in memory.

    Returns the new ``QuizAttempt`` for a quiz, None for a lesson done; raises the services'
    ``LearningError`` for what they refuse, checked in the same order.
    """
    if event.type == SyncEvent.Type.LESSON_DONE:
        services.check_reading_lesson(lesson)
        _done(progress, _enrolment(progress, course), course, lesson)
        return None
    answers = event.answers or {}
    services.check_quiz_answers(lesson, answers)
    score, results = services.grade(lesson, answers)
    enrolment = _enrolment(progress, course)
    seen = progress.attempts[(enrolment.pk, lesson.translation_key)]
    services.check_attempt_allowed(QuizRules(course.max_quiz_attempts, seen.used, seen.passed))
    attempt = QuizAttempt(
        enrolment=enrolment,
        lesson_key=lesson.translation_key,
        number=seen.used + 1,
        score=score,
        passed=score >= course.pass_mark,
        answers={qid: list(chosen) for qid, chosen in answers.items()},
        results=results,
    )
    progress.new_attempts.append(attempt)
    seen.used += 1
    seen.passed = seen.passed or attempt.passed
    if attempt.passed:
        _done(progress, enrolment, course, lesson)
    return attempt


def _enrolment(progress: _Progress, course: CoursePage) -> Enrolment:
    enrolment = progress.enrolments.get(course.translation_key)
    if enrolment is None:
        raise services.not_enrolled()
    return enrolment


def _done(
    progress: _Progress, enrolment: Enrolment, course: CoursePage, lesson: LessonPage
) -> None:
    done = progress.done[enrolment.pk]
    if lesson.translation_key not in done:
        done.add(lesson.translation_key)
        progress.new_done.append(
            LessonProgress(enrolment=enrolment, lesson_key=lesson.translation_key)
        )
    progress.touched[enrolment.pk] = (enrolment, course)
