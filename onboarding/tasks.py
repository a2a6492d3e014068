"""Background work of onboarding. Each task takes ids and calls a service function.

Retries are not Celery's: a failed step's next attempt is scheduled on its row (see
:mod:`onboarding.outbox`), and the sweeper re-enqueues whatever a lost message left behind.
``acks_late``, ``reject_on_worker_lost`` and a prefetch of 1 come from the host's Celery settings.
The outbox queues these tasks by name (:mod:`onboarding.queueing`), as the beat schedule does: a
renamed task is renamed there too.
"""

from __future__ import annotations

from celery import shared_task

from . import account_updates, notifications, outbox, sweeper


@shared_task
def run_step(step_id: int) -> str:
    return outbox.run_step(step_id)


@shared_task
def process_webhook(event_pk: int) -> str:
    return account_updates.process_webhook(event_pk)


@shared_task
def refresh_account(account_ref: str) -> bool:
    return account_updates.apply_account_update(account_ref, actor_label="sweeper")


@shared_task
def sweep_steps(steps_only: bool = False) -> dict[str, int]:
    """Periodic (beat): re-enqueue steps that are due or stale, and webhooks left unprocessed.

    Routed by the host to a queue of its own (``SWEEPER_QUEUE``), so that it never waits behind
    the work it rescues."""
    return sweeper.sweep(steps_only=steps_only)


@shared_task
def notify_learner(case_id: int, state: str) -> bool:
    return notifications.notify_learner(case_id, state)
