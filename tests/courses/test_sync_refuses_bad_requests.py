"""The sync API refuses, whole, a batch its published description does not allow, and a request
from anyone but a signed-in learner on the site's own pages."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from lms.courses import sync
from lms.courses.models import LessonProgress, SyncEvent
from tests.builders import lessons_of, make_course
from tests.courses.sync_builders import enrolled_learner, lesson_done, send

pytestmark = pytest.mark.django_db

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "sync-api.openapi.yaml"


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
