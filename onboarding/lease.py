"""A running step's lease, kept short and renewed while its provider call is on the wire.

A worker that claims a step (:func:`onboarding.outbox.claim`) owns it until ``lease_until``. The
lease is short (``ONBOARDING_LEASE_SECONDS``), so that the sweeper hands the step of a dead
worker to another one within seconds; a live worker renews it from a thread every quarter of
the lease until its call returns, however long the call takes.

Each renewal is a conditional UPDATE fenced by the attempt counter: it only extends the lease of
the attempt that holds it. Once another worker has claimed the step (the lease ran out while the
database could not be reached, say), the renewal matches nothing and the thread stops; the
result of the old attempt is then dropped when it is written back (``_lock_if_still_ours``).
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from types import TracebackType

from django.db import DatabaseError, connection, models
from django.db.models import F, Q
from django.utils import timezone

from .conf import app_settings
from .models import OnboardingStep, StepStatus

logger = logging.getLogger(__name__)


def claim_row(model: type[models.Model], step_id: int) -> bool:
    """Take the lease of outbox row ``step_id`` for this worker; ``False`` if it is not due or
    someone else holds it.

    The race: the same step id can be in two workers' hands (a message redelivered under
    acks_late, the sweeper's copy racing the original, an operator's retry). The WHERE clause is
    checked by the database under the row's write lock: the second UPDATE waits for the first
    one, re-reads the row (now running, with a lease in the future) and matches nothing.
    ``model`` is any outbox row with the fields of :class:`OnboardingStep`'s lease.
    """
    now = timezone.now()
    due = Q(status__in=[StepStatus.PENDING, StepStatus.FAILED], next_attempt_at__lte=now)
    stale = Q(status=StepStatus.RUNNING, lease_until__lt=now)
    claimed = model._default_manager.filter(Q(pk=step_id) & (due | stale)).update(
        status=StepStatus.RUNNING,
        lease_until=now + timedelta(seconds=app_settings.LEASE_SECONDS),
        attempts=F("attempts") + 1,
        enqueued_at=None,  # its message has arrived
        updated_at=now,
    )
    return claimed == 1


def renew(step_id: int, attempt: int, model: type[models.Model] = OnboardingStep) -> bool:
    """Extend the lease of attempt ``attempt`` of the step; ``False`` if it is not that attempt's
    any more (another worker claimed the step, or it was written back).

    ``model`` is the outbox's row: any model with the fields of :class:`OnboardingStep`'s lease
    (``status``, ``attempts``, ``lease_until``), so other apps' outboxes share this heartbeat.
    """
    now = timezone.now()
    renewed = model._default_manager.filter(
        pk=step_id, status=StepStatus.RUNNING, attempts=attempt
    ).update(lease_until=now + timedelta(seconds=app_settings.LEASE_SECONDS))
    return renewed == 1


class Heartbeat:
    """Renews the step's lease in a thread for as long as the ``with`` block runs."""

    def __init__(
        self, step_id: int, attempt: int, model: type[models.Model] = OnboardingStep
    ) -> None:
        self.step_id = step_id
        self.attempt = attempt
        self.model = model
        self.every = app_settings.LEASE_SECONDS / 4
        self.beats = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"lease-of-step-{step_id}", daemon=True
        )

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    if not renew(self.step_id, self.attempt, self.model):
                        if self._stop.is_set():
                            return  # the result was written while this renewal waited for it
                        logger.warning(
                            "step %s: attempt %s no longer holds the step; its lease is not "
                            "renewed",
                            self.step_id,
                            self.attempt,
                        )
                        return
                    self.beats += 1
                except DatabaseError as error:
                    # Try again at the next beat: the lease has three more beats to run.
                    logger.warning("step %s: the lease was not renewed: %s", self.step_id, error)
        finally:
            # This thread's own database connection.
            connection.close()
