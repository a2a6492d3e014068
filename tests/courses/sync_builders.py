"""Events as a phone queues them, and a way to send them, for the tests of the sync API."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.test import Client
from django.urls import reverse

from lms.courses import services
from tests.builders import lessons_of, make_course, make_learner


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
