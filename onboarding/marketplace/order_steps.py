"""The order outbox's rows: created with the state change that needs them.

A step is created inside the transaction of that change, and its task is queued only after the
commit. Running a step is :mod:`onboarding.marketplace.order_outbox`; this module never calls a
provider. A step is unique per order, kind and ``about`` (the state a text message announces),
so a change retried, or a webhook delivered twice, never makes a second one.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from ..conf import app_settings
from .order_models import Order, OrderStep

RUN_ORDER_STEP = "onboarding.marketplace.order_tasks.run_order_step"


def send(step_id: int, countdown: float | None = None) -> None:
    """Queue the step's task now (by name: the tasks module imports the outbox)."""
    from celery import current_app

    options: dict[str, Any] = {} if countdown is None else {"countdown": countdown}
    current_app.tasks[RUN_ORDER_STEP].apply_async((step_id,), **options)


def send_on_commit(step_id: int, countdown: float | None = None) -> None:
    transaction.on_commit(lambda: send(step_id, countdown))


def ensure_step(order: Order, kind: str, *, about: str = "") -> OrderStep:
    """The order's step of ``kind`` (about ``about``), created and queued if it is new."""
    step, created = OrderStep.objects.get_or_create(
        order=order,
        kind=kind,
        about=about,
        defaults={
            "max_attempts": app_settings.MAX_ATTEMPTS,
            "next_attempt_at": timezone.now(),
            # Its message is on its way: the sweeper leaves it alone while it waits in the queue.
            "enqueued_at": timezone.now(),
        },
    )
    if created:
        send_on_commit(step.pk)
    return step
