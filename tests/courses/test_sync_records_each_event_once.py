"""The sync API records each event a phone sends exactly once, however often and however fast it
arrives."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from lms.courses import sync
from lms.courses.models import LessonProgress, QuizAttempt, SyncEvent
from tests.builders import wrong_answers
from tests.courses.sync_builders import enrolled_learner, lesson_done, quiz_submitted, send

pytestmark = pytest.mark.django_db


def test_a_lesson_finished_offline_is_recorded_once_however_often_the_phone_sends_it(client):
    learner, (first, *_rest) = enrolled_learner(client)
    event = lesson_done(first)

    answers = [send(client, event) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    results = [answer.json()["results"] for answer in answers]
    assert results[0] == [
        {
            "id": event["id"],
            "type": "lesson_done",
            "lesson_id": first.pk,
            "status": "applied",
            "message": "You finished this lesson.",
        }
    ]
    assert results[1] == results[2] == results[0]
    assert LessonProgress.objects.filter(lesson_key=first.translation_key).count() == 1
    assert SyncEvent.objects.filter(learner=learner).count() == 1


def test_the_same_event_twice_in_one_batch_is_applied_once(client):
    learner, lessons = enrolled_learner(client, max_quiz_attempts=3)
    event = quiz_submitted(lessons[-1], wrong_answers(lessons[-1]))

    results = send(client, event, event).json()["results"]

    assert results[0] == results[1]
    assert QuizAttempt.objects.count() == 1


def test_two_learners_phones_may_use_the_same_event_id(client):
    learner, (first, *_rest) = enrolled_learner(client)
    other_client = Client()
    other, (other_first, *_others) = enrolled_learner(other_client)
    shared_id = uuid.uuid4()

    mine = send(client, lesson_done(first, shared_id)).json()["results"]
    theirs = send(other_client, lesson_done(other_first, shared_id)).json()["results"]

    assert mine[0]["status"] == theirs[0]["status"] == "applied"
    assert theirs[0]["lesson_id"] == other_first.pk
    assert LessonProgress.objects.filter(enrolment__learner=other).count() == 1
    assert LessonProgress.objects.filter(enrolment__learner=learner).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_event_sent_by_two_requests_at_once_is_applied_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    learner, lessons = enrolled_learner(Client(), max_quiz_attempts=5)
    quiz = lessons[-1]
    (event,) = sync.parse_batch({"events": [quiz_submitted(quiz, wrong_answers(quiz))]})
    start = threading.Barrier(4)
    results: list[dict[str, Any]] = []

    def replay() -> None:
        try:
            start.wait()
            results.append(sync.record(learner, event))
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
    assert SyncEvent.objects.count() == 1
