"""A "lesson done" or quiz form sent by the page's script carries the id the phone would queue
the tap under; the form records it once, so a replay of the same tap (by the form or the sync
API) applies nothing more."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lms.courses.models import LessonProgress, QuizAttempt, SyncEvent
from tests.builders import correct_answers, wrong_answers
from tests.courses.sync_builders import enrolled_learner, lesson_done, send

pytestmark = pytest.mark.django_db


def tap_done(client: Client, lesson: Any, event_id: uuid.UUID) -> Any:
    return client.post(reverse("lms:lesson_done", args=[lesson.pk]), {"event_id": str(event_id)})


def tap_quiz(client: Client, quiz: Any, answers: dict[str, list[str]], event_id: uuid.UUID) -> Any:
    fields = {f"q-{question}": chosen for question, chosen in answers.items()}
    return client.post(
        reverse("lms:submit_quiz", args=[quiz.pk]), {**fields, "event_id": str(event_id)}
    )


def test_a_lesson_done_tap_sent_twice_with_its_id_is_recorded_once(client):
    learner, (first, *_rest) = enrolled_learner(client)
    tap = uuid.uuid4()

    answers = [tap_done(client, first, tap) for _ in range(2)]

    assert [answer.status_code for answer in answers] == [302, 302]
    assert LessonProgress.objects.filter(enrolment__learner=learner).count() == 1
    assert SyncEvent.objects.get(learner=learner).client_id == tap


def test_the_queued_replay_of_a_lesson_done_tap_that_reached_the_server_is_already_recorded(
    client,
):
    learner, (first, *_rest) = enrolled_learner(client)
    tap = uuid.uuid4()
    tap_done(client, first, tap)

    replay = send(client, lesson_done(first, tap)).json()["results"]

    assert replay[0]["status"] == "applied"
    assert SyncEvent.objects.filter(learner=learner).count() == 1
    assert LessonProgress.objects.filter(enrolment__learner=learner).count() == 1


def test_a_quiz_tap_sent_twice_with_its_id_makes_one_attempt(client):
    learner, lessons = enrolled_learner(client)
    quiz = lessons[-1]
    tap = uuid.uuid4()

    answers = [tap_quiz(client, quiz, wrong_answers(quiz), tap) for _ in range(2)]

    assert answers[0]["Location"] == answers[1]["Location"]
    assert answers[0]["Location"].endswith("?attempt=1#result")
    assert QuizAttempt.objects.filter(enrolment__learner=learner).count() == 1
    assert SyncEvent.objects.filter(learner=learner, client_id=tap).count() == 1


def test_the_queued_replay_of_a_quiz_tap_that_reached_the_server_makes_no_second_attempt(client):
    learner, lessons = enrolled_learner(client)
    quiz = lessons[-1]
    tap = uuid.uuid4()
    tap_quiz(client, quiz, wrong_answers(quiz), tap)
    event = {
        "id": str(tap),
        "type": "quiz_submitted",
        "lesson_id": quiz.pk,
        "occurred_at": "2026-03-02T10:21:30.000Z",
        "answers": wrong_answers(quiz),
    }

    replay = send(client, event).json()["results"]

    assert replay[0]["attempt"] == 1
    assert QuizAttempt.objects.filter(enrolment__learner=learner).count() == 1


def test_a_refused_tap_records_nothing_so_the_learner_can_try_again_with_the_same_id(client):
    learner, lessons = enrolled_learner(client)
    quiz = lessons[-1]
    tap = uuid.uuid4()

    refused = tap_quiz(client, quiz, {}, tap)
    assert refused.status_code == 400
    assert not SyncEvent.objects.exists()

    accepted = tap_quiz(client, quiz, correct_answers(quiz), tap)
    assert accepted.status_code == 302
    assert QuizAttempt.objects.get(enrolment__learner=learner).passed


def test_a_form_without_an_id_records_no_synced_event(client):
    learner, (first, *_rest) = enrolled_learner(client)

    client.post(reverse("lms:lesson_done", args=[first.pk]))

    assert LessonProgress.objects.filter(enrolment__learner=learner).count() == 1
    assert not SyncEvent.objects.exists()


def test_an_id_another_tap_used_does_not_stand_for_a_quiz_tap(client):
    learner, lessons = enrolled_learner(client)
    quiz = lessons[-1]
    tap = uuid.uuid4()
    tap_done(client, lessons[0], tap)

    answer = tap_quiz(client, quiz, wrong_answers(quiz), tap)

    assert answer["Location"].endswith("?attempt=1#result")
    assert QuizAttempt.objects.filter(enrolment__learner=learner).count() == 1
