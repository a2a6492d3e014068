"""A sync batch costs a fixed number of queries, not a number per event, and applies the same
rules as one event at a time: the same results, one completion, sent once after commit."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from lms.courses import services, sync
from lms.courses.models import CourseCompletion, LessonProgress, QuizAttempt, SyncEvent
from lms.courses.signals import course_completed
from tests.builders import correct_answers, lessons_of, make_course, wrong_answers
from tests.courses.sync_builders import enrolled_learner, lesson_done, quiz_submitted, send

pytestmark = pytest.mark.django_db

#: Queries for a whole batch, whatever its size: the session, the lessons, their courses, the
#: locked enrolments, the ids seen before, lessons done, attempts, three inserts, completion,
#: and the report's totals of the attempts (courses, questions) and of the completions.
BATCH_QUERIES = 25


def batch_of(size: int, lessons: list[Any], other_course_lesson: Any) -> list[dict[str, Any]]:
    """``size`` events of every kind: lessons done, quiz answers wrong then right, a lesson of a
    course the learner has not started, and the course's last quiz passed at the end."""
    *reading, quiz = lessons
    kinds = [
        lambda: lesson_done(reading[0]),
        lambda: quiz_submitted(quiz, wrong_answers(quiz)),
        lambda: lesson_done(reading[1]),
        lambda: lesson_done(other_course_lesson),
        lambda: {**lesson_done(reading[0]), "lesson_id": 10**9},
    ]
    events = [kinds[i % len(kinds)]() for i in range(size - 1)]
    return [*events, *reading_done(reading), quiz_submitted(quiz, correct_answers(quiz))][-size:]


def reading_done(reading: list[Any]) -> list[dict[str, Any]]:
    return [lesson_done(lesson) for lesson in reading]


@pytest.mark.parametrize("size", [1, 10, 50])
def test_a_batch_costs_a_fixed_number_of_queries(
    client, size, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    learner, _ = enrolled_learner(client)
    course = make_course(lessons=4, max_quiz_attempts=50)
    services.enrol(learner, course)
    lessons = lessons_of(course)
    other = lessons_of(make_course(lessons=2))[0]
    events = batch_of(size, lessons, other)
    completed: list[Any] = []
    course_completed.connect(receiver := lambda **kw: completed.append(kw), weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            with django_assert_max_num_queries(BATCH_QUERIES):
                answer = send(client, *events)
    finally:
        course_completed.disconnect(receiver)

    results = answer.json()["results"]
    assert [r["id"] for r in results] == [e["id"] for e in events]
    assert results[-1]["status"] == "applied"
    assert SyncEvent.objects.filter(learner=learner).count() == size
    if size >= len(lessons):
        assert results[-1]["passed"] is True
        assert CourseCompletion.objects.filter(learner=learner).count() == 1
        assert [kw["course_key"] for kw in completed] == [course.translation_key]
        assert completed[0]["learner"] == learner


def test_a_batch_gives_the_results_of_one_event_at_a_time(client):
    events = []
    outcomes = []
    for one_at_a_time in (False, True):
        c = Client()
        learner, _ = enrolled_learner(c)
        course = make_course(lessons=4, max_quiz_attempts=3)
        services.enrol(learner, course)
        lessons = lessons_of(course)
        other = lessons_of(make_course(lessons=2))[0]
        quiz = lessons[-1]
        events = [*batch_of(12, lessons, other), quiz_submitted(quiz, wrong_answers(quiz))]
        if one_at_a_time:
            results = [send(c, event).json()["results"][0] for event in events]
        else:
            results = send(c, *events).json()["results"]
        outcomes.append(
            (
                [{k: v for k, v in r.items() if k not in ("id", "lesson_id")} for r in results],
                LessonProgress.objects.filter(enrolment__learner=learner).count(),
                list(
                    QuizAttempt.objects.filter(enrolment__learner=learner)
                    .order_by("number")
                    .values_list("number", "score", "passed")
                ),
                list(CourseCompletion.objects.filter(learner=learner).values_list("score")),
            )
        )

    batch, single = outcomes
    assert batch == single
    statuses = [r["status"] for r in batch[0]]
    assert "rejected" in statuses and "applied" in statuses
    assert batch[0][-2]["passed"] is True
    assert batch[0][-1]["message"] == "You have already passed this quiz."
    assert batch[1] == 5 and len(batch[3]) == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_batch_sent_by_two_requests_at_once_is_applied_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    learner, lessons = enrolled_learner(Client(), max_quiz_attempts=5)
    quiz = lessons[-1]
    events = sync.parse_batch(
        {"events": [lesson_done(lessons[0]), quiz_submitted(quiz, wrong_answers(quiz))]}
    )
    start = threading.Barrier(4)
    results: list[list[dict[str, Any]]] = []

    def replay() -> None:
        try:
            start.wait()
            results.append(sync.sync(learner, events))
        finally:
            connection.close()

    threads = [threading.Thread(target=replay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 4
    assert all(result == results[0] for result in results)
    assert QuizAttempt.objects.count() == 1
    assert LessonProgress.objects.count() == 1
    assert SyncEvent.objects.count() == 2
