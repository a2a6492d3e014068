"""Queueing onboarding's background work, by task name.

The tasks of :mod:`onboarding.tasks` call the outbox, the webhook intake and the sweeper, and
those queue tasks in turn. Naming the task, as the beat schedule does, instead of importing it
keeps these modules free of an import cycle. ``OnboardingConfig.ready`` imports the tasks, so they
are registered in every process and ``task_always_eager`` is honoured.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction

RUN_STEP = "onboarding.tasks.run_step"
PROCESS_WEBHOOK = "onboarding.tasks.process_webhook"
REFRESH_ACCOUNT = "onboarding.tasks.refresh_account"
SWEEP = "onboarding.tasks.sweep_steps"
# The queue the host routes the sweeper to, and every worker consumes beside the default one.
SWEEPER_QUEUE = "onboarding.sweeper"


def send(task_name: str, *args: Any, countdown: float | None = None) -> None:
    """Queue the task now, with ``args`` (ids, never model instances)."""
    # A KeyError here means onboarding.tasks was not imported: fail loudly rather than send a
    # message no worker of this code base would recognise.
    options: dict[str, Any] = {} if countdown is None else {"countdown": countdown}
    current_app.tasks[task_name].apply_async(args, **options)


def send_on_commit(task_name: str, *args: Any, countdown: float | None = None) -> None:
    """Queue the task once the current transaction has committed (at once outside one)."""
    transaction.on_commit(lambda: send(task_name, *args, countdown=countdown))
