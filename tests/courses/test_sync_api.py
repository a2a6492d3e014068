"""The sync API records what a learner did offline exactly once, under the rules of the forms."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import connection
from django.test import Client
from django.urls import reverse

from lms.courses import services, sync
from lms.courses.models import LessonProgress, QuizAttempt, SyncEvent
from tests.builders import correct_answers, lessons_of, make_course, make_learner, wrong_answers

pytestmark = pytest.mark.django_db

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "sync-api.openapi.yaml"


def lesson_done(lesson: Any, client_id: uuid.UUID | None = None) -> dict[str, Any]:
    return {
        "id": str(client_id or uuid.uuid4()),
        "type": "lesson_done",
        "lesson_id": lesson.pk,
        "occurred_at": "2026-03-02T10:15:00.000Z",
    }


def quiz_submitted(quiz: Any, answers: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": "quiz_submitted",
        "lesson_id": quiz.pk,
        "occurred_at": "2026-03-02T10:21:30.000Z",
        "answers": answers,
    }


def send(client: Client, *events: Any, body: Any = None) -> Any:
    data = json.dumps({"events": list(events)} if body is None else body)
    return client.post(
        reverse("lms_api:sync_events"),
        data,
        content_type="application/json",
        headers={"accept-language": "en"},
    )


def enrolled_learner(client: Client, **course_fields: Any) -> tuple[Any, list[Any]]:
    course = make_course(lessons=2, **course_fields)
    learner = make_learner()
    services.enrol(learner, course)
    client.force_login(learner)
    return learner, lessons_of(course)


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


def test_a_quiz_answered_offline_is_graded_like_the_form(client):
    learner, lessons = enrolled_learner(client)
    quiz = lessons[-1]

    (result,) = send(client, quiz_submitted(quiz, correct_answers(quiz))).json()["results"]

    assert result["status"] == "applied"
    assert (result["score"], result["passed"], result["attempt"]) == (100, True, 1)
    assert result["message"] == "Passed: 100%"
    assert LessonProgress.objects.filter(lesson_key=quiz.translation_key).exists()


def test_a_quiz_answer_past_the_last_attempt_comes_back_rejected_and_changes_nothing(client):
    learner, lessons = enrolled_learner(client, max_quiz_attempts=1)
    quiz = lessons[-1]
    services.submit_quiz(learner, quiz, wrong_answers(quiz))
    late = quiz_submitted(quiz, correct_answers(quiz))

    (result,) = send(client, late).json()["results"]

    assert result["status"] == "rejected"
    assert result["message"] == (
        "You have used your 1 attempt at this quiz. Ask your trainer for help."
    )
    assert QuizAttempt.objects.count() == 1
    assert not LessonProgress.objects.filter(lesson_key=quiz.translation_key).exists()
    assert send(client, late).json()["results"] == [result]
    assert SyncEvent.objects.get(client_id=late["id"]).result["status"] == "rejected"


def test_an_unanswered_question_comes_back_rejected_without_using_an_attempt(client):
    learner, lessons = enrolled_learner(client)
    quiz = lessons[-1]
    answers = correct_answers(quiz)
    answers.pop(next(iter(answers)))

    (result,) = send(client, quiz_submitted(quiz, answers)).json()["results"]

    assert (result["status"], result["message"]) == (
        "rejected",
        "Answer every question before you submit.",
    )
    assert not QuizAttempt.objects.exists()


def test_a_lesson_of_a_course_not_started_comes_back_rejected(client):
    course = make_course(lessons=1, quiz=False)
    client.force_login(make_learner())

    (result,) = send(client, lesson_done(lessons_of(course)[0])).json()["results"]

    assert (result["status"], result["message"]) == (
        "rejected",
        "Start the course before working on its lessons.",
    )
    assert not LessonProgress.objects.exists()


def test_results_are_written_in_the_language_the_phone_asks_for(client):
    learner, (first, *_rest) = enrolled_learner(client)

    answer = client.post(
        reverse("lms_api:sync_events"),
        json.dumps({"events": [lesson_done(first)]}),
        content_type="application/json",
        headers={"accept-language": "ar"},
    )

    (result,) = answer.json()["results"]
    assert result["message"] != "You finished this lesson."
    assert result["message"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("not json", id="not-json"),
        pytest.param([], id="not-an-object"),
        pytest.param({"events": []}, id="no-events"),
        pytest.param({"events": ["done"]}, id="event-not-an-object"),
        pytest.param({"events": [{"type": "lesson_done"}]}, id="no-id"),
        pytest.param({"events": [{"id": "not-a-uuid"}]}, id="id-not-a-uuid"),
        pytest.param({"events": [{"id": str(uuid.uuid4()), "type": "x"}]}, id="unknown-type"),
        pytest.param(
            {"events": [{"id": str(uuid.uuid4()), "type": "lesson_done", "lesson_id": "1"}]},
            id="lesson-id-not-a-number",
        ),
        pytest.param(
            {
                "events": [
                    {
                        "id": str(uuid.uuid4()),
                        "type": "lesson_done",
                        "lesson_id": 1,
                        "occurred_at": "yesterday",
                    }
                ]
            },
            id="not-a-date",
        ),
        pytest.param(
            {
                "events": [
                    {
                        "id": str(uuid.uuid4()),
                        "type": "quiz_submitted",
                        "lesson_id": 1,
                        "occurred_at": "2026-03-02T10:21:30Z",
                        "answers": {"q": "a"},
                    }
                ]
            },
            id="answers-not-lists",
        ),
    ],
)
def test_a_malformed_batch_is_refused_whole_and_nothing_of_it_is_applied(client, body):
    learner, (first, *_rest) = enrolled_learner(client)
    good = lesson_done(first)
    if isinstance(body, dict) and body.get("events"):
        # A well-formed event first: it must not be applied either.
        body = {"events": [good, *body["events"]]}
    raw = body if isinstance(body, str) else json.dumps(body)

    answer = client.post(reverse("lms_api:sync_events"), raw, content_type="application/json")

    assert answer.status_code == 400
    assert answer.json()["error"]
    assert not LessonProgress.objects.exists()
    assert not SyncEvent.objects.exists()


def test_a_batch_over_the_limit_is_refused(client):
    learner, (first, *_rest) = enrolled_learner(client)

    answer = send(client, *[lesson_done(first) for _ in range(sync.MAX_BATCH + 1)])

    assert answer.status_code == 400
    assert str(sync.MAX_BATCH) in answer.json()["error"]
    assert not SyncEvent.objects.exists()


def test_a_visitor_who_is_not_signed_in_is_refused(client):
    course = make_course(lessons=1, quiz=False)

    answer = send(client, lesson_done(lessons_of(course)[0]))

    assert answer.status_code == 403
    assert answer.json()["error"]
    assert not SyncEvent.objects.exists()


def test_a_request_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    learner, (first, *_rest) = enrolled_learner(client)

    answer = send(client, lesson_done(first))

    assert answer.status_code == 403
    assert not LessonProgress.objects.exists()


def test_a_request_with_the_csrf_cookie_as_token_is_accepted():
    client = Client(enforce_csrf_checks=True)
    learner, (first, *_rest) = enrolled_learner(client)
    client.get(first.url)  # the page sets the csrftoken cookie, as on the phone
    token = client.cookies["csrftoken"].value

    answer = client.post(
        reverse("lms_api:sync_events"),
        json.dumps({"events": [lesson_done(first)]}),
        content_type="application/json",
        headers={"x-csrftoken": token},
    )

    assert answer.status_code == 200
    assert LessonProgress.objects.count() == 1


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


def test_the_openapi_description_is_valid_and_matches_the_api():
    description = yaml.safe_load(OPENAPI.read_text())

    assert description["openapi"].startswith("3.1")
    assert list(description["paths"]) == [reverse("lms_api:sync_events")]
    schemas = description["components"]["schemas"]
    assert schemas["Batch"]["properties"]["events"]["maxItems"] == sync.MAX_BATCH
    assert schemas["Event"]["properties"]["type"]["enum"] == SyncEvent.Type.values
    assert set(description["paths"]["/api/v1/events/"]["post"]["responses"]) == {
        "200",
        "400",
        "403",
    }


def test_the_service_worker_is_served_from_the_root_with_each_language_s_offline_page(client):
    answer = client.get(reverse("lms_api:service_worker"))

    assert reverse("lms_api:service_worker") == "/sw.js"
    assert answer["Content-Type"].startswith("text/javascript")
    script = answer.content.decode()
    for offline_page in ("/ar/learn/offline/", "/fr/learn/offline/", "/en/learn/offline/"):
        assert offline_page in script
    assert client.get("/sw.js", headers={"if-none-match": answer["ETag"]}).status_code == 304


def test_the_offline_page_tells_the_learner_they_are_offline_and_sends_nobody_s_queue(client):
    learner = make_learner()
    client.force_login(learner)

    answer = client.get("/en/learn/offline/")

    assert answer.status_code == 200
    html = answer.content.decode()
    assert "You are offline" in html
    # The phone keeps this page for whoever signs in next: it names no learner, unlike the
    # learner's own pages, whose queue it would otherwise send.
    assert 'data-learner=""' in html
    assert f'data-learner="{learner.pk}"' in client.get("/en/learn/").content.decode()
