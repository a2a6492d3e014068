"""The orders' sweeper: lost work made late, never lost (like :mod:`onboarding.sweeper`).

Run by the beat every few seconds on the sweeper's queue. It re-enqueues order steps that are
due and whose message was lost, or whose worker died (lease expired); and it asks the provider
about orders still unpaid past their hold, whose webhook may never come: paid, they go on;
failed or expired, they are cancelled and their pieces go back on sale. An order that never got
a payment page by then is given up.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from ..conf import app_settings
from . import order_payments, order_steps
from .order_models import Order, OrderState, OrderStep, OrderStepStatus

logger = logging.getLogger(__name__)

Status = OrderStepStatus


def sweep() -> dict[str, int]:
    """Re-enqueue due or stale order steps and re-check unpaid orders past their hold."""
    now = timezone.now()
    batch = app_settings.SWEEP_BATCH
    lost_since = now - timedelta(seconds=app_settings.REQUEUE_AFTER)
    steps = list(
        OrderStep.objects.filter(
            Q(status__in=[Status.PENDING, Status.FAILED], next_attempt_at__lte=now)
            | Q(status=Status.RUNNING, lease_until__lt=now)
        )
        .filter(Q(enqueued_at=None) | Q(enqueued_at__lt=lost_since))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    OrderStep.objects.filter(pk__in=steps).update(enqueued_at=now)
    for step_id in steps:
        order_steps.send(step_id)
    overdue = list(
        Order.objects.filter(state=OrderState.PENDING_PAYMENT, reserved_until__lt=now)
        .order_by("reserved_until")
        .values_list("pk", "payment_session_ref")[:batch]
    )
    outcomes: dict[str, int] = {}
    for order_id, session_ref in overdue:
        if session_ref:
            outcome = order_payments.recheck(order_id)
        elif order_payments.abandon(
            order_id, reason="no payment page could be made in time", actor_label="sweeper"
        ):
            outcome = "cancelled"
        else:
            outcome = "settled"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    counts = {"steps": len(steps), "orders": len(overdue)}
    if steps or overdue:
        logger.info("order sweeper: %s, unpaid orders: %s", counts, outcomes)
    return counts
