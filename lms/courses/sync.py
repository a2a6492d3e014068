"""Progress made on a phone, possibly offline, replayed to the server exactly once.

A phone queues what the learner did while offline (a lesson finished, a quiz answered), names
each event with its own UUID, and sends the queue when the connection returns, perhaps several
times over if an answer is lost on the way back. Each event is applied through
:mod:`lms.courses.services`, so every rule of the forms holds, and is recorded with its result
in a :class:`~lms.courses.models.SyncEvent`; an id seen before gets the stored result back.

The forms name a tap with the same id when the page's script sends them, and the phone queues
the tap under that id if the answer does not come back: the forms record it here too, so the
replay of a tap that did reach the server is answered "already recorded".
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from . import services
from .models import LessonPage, SyncEvent
from .templatetags.lms_tags import local_percent

#: The most events one request may carry; a phone with more sends them in several requests.
MAX_BATCH = 50

APPLIED, REJECTED = "applied", "rejected"


class MalformedBatch(ValueError):
    """A batch no honest client sends; nothing of it is applied.

    The message is for the developer of the client, so it is not translated.
    """


@dataclass(frozen=True)
class Event:
    client_id: uuid.UUID
    type: str
    lesson_id: int
    answers: dict[str, list[str]] | None
    payload: dict[str, Any]


def parse_batch(data: Any) -> list[Event]:
    """Check a whole batch before any of it is applied; raise ``MalformedBatch`` if it is wrong."""
    if not isinstance(data, Mapping) or not isinstance(data.get("events"), list):
        raise MalformedBatch('Send a JSON object with an "events" list.')
    items = data["events"]
    if not items:
        raise MalformedBatch("The batch has no events.")
    if len(items) > MAX_BATCH:
        raise MalformedBatch(f"Send at most {MAX_BATCH} events at a time.")
    return [_parse_event(index, item) for index, item in enumerate(items)]


def _parse_event(index: int, item: Any) -> Event:
    def fail(problem: str) -> MalformedBatch:
        return MalformedBatch(f"Event {index}: {problem}.")

    if not isinstance(item, Mapping):
        raise fail("not an object")
    try:
        client_id = uuid.UUID(str(item.get("id")))
    except ValueError:
        raise fail('"id" is not a UUID') from None
    event_type = item.get("type")
    if event_type not in SyncEvent.Type.values:
        raise fail(f'"type" must be one of {", ".join(SyncEvent.Type.values)}')
    lesson_id = item.get("lesson_id")
    # bool is an int in Python; true is not a lesson.
    if not isinstance(lesson_id, int) or isinstance(lesson_id, bool) or lesson_id < 1:
        raise fail('"lesson_id" is not a page id')
    occurred_at = item.get("occurred_at")
    if not isinstance(occurred_at, str) or not _is_datetime(occurred_at):
        raise fail('"occurred_at" is not an ISO 8601 date and time')
    answers = None
    if event_type == SyncEvent.Type.QUIZ_SUBMITTED:
        answers = item.get("answers")
        if not isinstance(answers, Mapping) or not all(
            isinstance(chosen, list) and all(isinstance(option, str) for option in chosen)
            for chosen in answers.values()
        ):
            raise fail('"answers" must map question ids to lists of option ids')
        answers = {str(question): list(chosen) for question, chosen in answers.items()}
    payload = {"lesson_id": lesson_id, "occurred_at": occurred_at}
    if answers is not None:
        payload["answers"] = answers
    return Event(client_id, event_type, lesson_id, answers, payload)


def _is_datetime(value: str) -> bool:
    try:
        return parse_datetime(value) is not None
    except ValueError:
        return False


def sync(learner: Any, events: list[Event]) -> list[dict[str, Any]]:
    """Apply each event once, in the order the phone made them; return one result per event.

    The batch costs the same few queries whatever its size (:mod:`lms.courses.sync_batch`).
    Should another request have recorded one of its ids meanwhile, the batch is undone and
    replayed one event at a time, which reads that request's result.
    """
    from .sync_batch import apply_batch

    try:
        return apply_batch(learner, events, _stored_result)
    except IntegrityError:
        return [record(learner, event) for event in events]


def _stored_result(event: Event, lesson: LessonPage | None, act: Any) -> dict[str, Any]:
    return {"id": str(event.client_id), "type": event.type, **outcome(event, lesson, act)}


def tapped(client_id: str, event_type: str, lesson_id: int, answers: Any = None) -> Event | None:
    """The event a form's tap names with ``client_id``; None if it names none (no script)."""
    try:
        parsed = uuid.UUID(client_id)
    except ValueError:
        return None
    payload: dict[str, Any] = {"lesson_id": lesson_id, "occurred_at": timezone.now().isoformat()}
    if answers is not None:
        payload["answers"] = answers
    return Event(parsed, event_type, lesson_id, answers, payload)


def record(learner: Any, event: Event, store_refusals: bool = True) -> dict[str, Any]:
    """Apply ``event`` unless this learner's phone sent its id before; return its result.

    A form does not store refusals: it raises the ``LearningError`` and records nothing, so the
    learner sees why on the form's page and may try again with the same id.
    """
    stored = SyncEvent.objects.filter(learner=learner, client_id=event.client_id).first()
    if stored is not None:
        return stored.result
    try:
        with transaction.atomic():
            # Inserting the row first claims the id: a concurrent replay of the same event
            # waits on the unique index until this transaction ends, then fails to insert
            # and reads the result written here.
            row = SyncEvent.objects.create(
                learner=learner,
                client_id=event.client_id,
                type=event.type,
                payload=event.payload,
            )
            outcome = apply(learner, event, store_refusals)
            row.result = {"id": str(event.client_id), "type": event.type, **outcome}
            row.save(update_fields=["result"])
    except IntegrityError:
        stored = SyncEvent.objects.filter(learner=learner, client_id=event.client_id).first()
        if stored is None:
            raise
        return stored.result
    return row.result


def apply(learner: Any, event: Event, store_refusals: bool = True) -> dict[str, Any]:
    """Do what the learner did, through the same services as the forms."""
    lesson = LessonPage.objects.live().filter(pk=event.lesson_id).first()

    def act() -> Any:
        assert lesson is not None
        if event.type == SyncEvent.Type.LESSON_DONE:
            services.mark_lesson_done(learner, lesson)
            return None
        return services.submit_quiz(learner, lesson, event.answers or {})

    return outcome(event, lesson, act, store_refusals)


def outcome(
    event: Event, lesson: LessonPage | None, act: Any, store_refusals: bool = True
) -> dict[str, Any]:
    """The result of ``act()``, which applies ``event`` and returns its quiz attempt, if any.

    A refusal by the rules is a result too, stored like a success: the phone is told once,
    and replaying the event does not try again.
    """
    result: dict[str, Any] = {"lesson_id": event.lesson_id}
    if lesson is None:
        return {**result, "status": REJECTED, "message": _("This lesson is no longer available.")}
    try:
        attempt = act()
    except services.LearningError as error:
        if not store_refusals:
            raise
        return {**result, "status": REJECTED, "message": error.message}
    if attempt is None:
        return {**result, "status": APPLIED, "message": _("You finished this lesson.")}
    verdict = _("Passed: %(score)s") if attempt.passed else _("Not passed yet: %(score)s")
    return {
        **result,
        "status": APPLIED,
        "message": verdict % {"score": local_percent(attempt.score)},
        "attempt": attempt.number,
        "score": attempt.score,
        "passed": attempt.passed,
    }
