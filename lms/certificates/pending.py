"""Completions waiting for their certificate, kept as an outbox so none is silently left without.

- :func:`record` writes a :class:`~.models.PendingIssuance` row when a completion is announced;
  issuing deletes it in the transaction that stores the certificate.
- :func:`attempt` claims the row with a conditional UPDATE (one worker at a time, for a lease),
  issues, and on failure records the reason and schedules the next attempt with a doubling,
  jittered delay; after ``LMS_CERTIFICATES_ISSUE_MAX_ATTEMPTS`` the row waits for an operator.
- :func:`sweep`, run by the beat, re-queues the rows that are due (a lost message, a dead worker)
  and records the recent completions whose announcement was lost before any row was written.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from lms.courses.models import CourseCompletion

from . import issuing, queueing
from .conf import app_settings
from .models import PendingIssuance

logger = logging.getLogger(__name__)

LEASE_SECONDS = 300
SWEEP_BATCH = 500
ORPHAN_AFTER = timedelta(minutes=2)
ORPHAN_WINDOW = timedelta(days=7)


def backoff(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failure: doubling, capped, half of it random,
    so the completions that failed together (a database outage) do not retry together."""
    ceiling = min(
        app_settings.ISSUE_RETRY_BACKOFF_MAX,
        app_settings.ISSUE_RETRY_BACKOFF * 2 ** max(attempts - 1, 0),
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def record(completion: CourseCompletion) -> PendingIssuance:
    pending, _created = PendingIssuance.objects.get_or_create(completion=completion)
    return pending


def describe(error: BaseException) -> str:
    """The error's kind and first line: what an operator needs, without the row values that a
    database error's detail lines may quote."""
    first_line = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first_line}"[:300]


def _claim(completion_id: Any) -> PendingIssuance | None:
    now = timezone.now()
    claimed = PendingIssuance.objects.filter(
        completion_id=completion_id,
        status=PendingIssuance.Status.WAITING,
        next_attempt_at__lte=now,
    ).update(
        attempts=F("attempts") + 1,
        next_attempt_at=now + timedelta(seconds=LEASE_SECONDS),
    )
    if claimed != 1:
        return None
    return PendingIssuance.objects.select_related("completion__learner").get(
        completion_id=completion_id
    )


def attempt(completion_id: Any) -> str:
    """Try to issue the certificate of a pending completion if it is due; say what happened."""
    pending = _claim(completion_id)
    if pending is None:
        return "not due"
    try:
        certificate = issuing.issue_certificate(pending.completion)
    except Exception as error:  # noqa: BLE001 - recorded on the row, retried, shown to staff
        return _failed(pending, error)
    if certificate is None:
        PendingIssuance.objects.filter(pk=pending.pk).delete()
        return "already issued"
    return "issued"


def _failed(pending: PendingIssuance, error: Exception) -> str:
    pending.last_error = describe(error)
    if pending.attempts >= app_settings.ISSUE_MAX_ATTEMPTS:
        pending.status = PendingIssuance.Status.GAVE_UP
        pending.save(update_fields=["status", "last_error"])
        logger.error(
            "certificate for completion %s not issued after %d attempts; waiting for an operator",
            pending.completion_id,
            pending.attempts,
            exc_info=error,
        )
        return "gave up"
    delay = backoff(pending.attempts)
    pending.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    pending.save(update_fields=["next_attempt_at", "last_error"])
    logger.warning(
        "certificate for completion %s not issued (attempt %d), retrying in %.0f s",
        pending.completion_id,
        pending.attempts,
        delay,
        exc_info=error,
    )
    queueing.send_on_commit(queueing.ISSUE_PENDING, str(pending.completion_id), countdown=delay)
    return "failed, will retry"


def retry_now(pending: PendingIssuance) -> None:
    """An operator's retry: a fresh set of attempts, the first one queued at once."""
    PendingIssuance.objects.filter(pk=pending.pk).update(
        status=PendingIssuance.Status.WAITING, attempts=0, next_attempt_at=timezone.now()
    )
    queueing.send_on_commit(queueing.ISSUE_PENDING, str(pending.completion_id))


def sweep() -> dict[str, int]:
    """Re-queue the pending issuances that are due; record the recent completions that have
    neither a certificate nor a pending row (their announcement was lost). Returns counts."""
    now = timezone.now()
    orphans = list(
        CourseCompletion.objects.filter(
            certificates__isnull=True,
            pending_certificate__isnull=True,
            completed_at__lt=now - ORPHAN_AFTER,
            completed_at__gt=now - ORPHAN_WINDOW,
        ).values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for completion_id in orphans:
        PendingIssuance.objects.get_or_create(
            completion_id=completion_id, defaults={"next_attempt_at": now}
        )
    due = list(
        PendingIssuance.objects.filter(
            status=PendingIssuance.Status.WAITING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("completion_id", flat=True)[:SWEEP_BATCH]
    )
    for completion_id in due:
        queueing.send(queueing.ISSUE_PENDING, str(completion_id))
    counts = {"recorded": len(orphans), "queued": len(due)}
    if any(counts.values()):
        logger.info("certificate sweeper: %s", counts)
    return counts
