"""Running an order's steps, kept as an outbox like onboarding's (:mod:`onboarding.outbox`).

A step row is created with the state change that needs it (:mod:`.order_steps`). A task may be
lost or run twice, so the row is the truth: :func:`run_step` claims it with a conditional
UPDATE, holds it under a lease renewed while the call runs, calls the provider outside any
transaction with the idempotency key stored on the row, and writes the result and the order's
change in one transaction, fenced by the attempt counter.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..lease import Heartbeat, claim_row
from ..outbox import backoff
from ..pii import redact
from ..providers.base import ProviderError, ProviderRejected
from . import order_payments, order_steps
from .order_models import Order, OrderState, OrderStep, OrderStepKind, OrderStepStatus
from .order_notifications import NotSent, text_buyer, text_seller

logger = logging.getLogger(__name__)

Status = OrderStepStatus


def claim(step_id: int) -> OrderStep | None:
    """Take the step for this worker, or ``None`` if it is not due or someone else holds it."""
    if not claim_row(OrderStep, step_id):
        return None
    return OrderStep.objects.select_related("order").get(pk=step_id)


def run_step(step_id: int) -> str:
    """Run one step if it is due; return what happened (for logs and tests)."""
    step = OrderStep.objects.filter(pk=step_id).only("status").first()
    if step is None:
        return "gone"
    if step.status == Status.SUCCEEDED:
        return "already succeeded"
    claimed = claim(step_id)
    if claimed is None:
        return "not claimed"
    if claimed.attempts > claimed.max_attempts:
        _fail(claimed, "no answer within the lease on the last attempt", retry=False)
        return "gave up"
    if not _still_needed(claimed):
        _write(claimed, Status.SUCCEEDED, {"skipped": f"the order is {claimed.order.state}"})
        return "not needed"
    with Heartbeat(claimed.pk, claimed.attempts, model=OrderStep):
        try:
            result = _call(claimed)
        except (ProviderError, NotSent) as error:
            _fail(claimed, str(error), retry=True)
            return "failed, will retry"
        except ProviderRejected as error:
            _fail(claimed, str(error), retry=False)
            return "rejected"
        _succeed(claimed, result)
    return "succeeded"


def _still_needed(step: OrderStep) -> bool:
    # A payment page for an order no longer waiting for payment would take money for nothing.
    if step.kind == OrderStepKind.PAYMENT_SESSION:
        return step.order.state == OrderState.PENDING_PAYMENT
    return True


def _call(step: OrderStep) -> Any:
    order = step.order
    if step.kind == OrderStepKind.PAYMENT_SESSION:
        return order_payments.create_session(order, str(step.idempotency_key))
    if step.kind == OrderStepKind.REFUND:
        return order_payments.create_refund(order, str(step.idempotency_key))
    if step.kind == OrderStepKind.SMS_BUYER:
        return text_buyer(order, step.about)
    if step.kind == OrderStepKind.SMS_SELLER:
        return text_seller(order, step.about)
    raise ProviderRejected(f"no provider for order steps of kind {step.kind!r}")


def _lock_if_still_ours(step: OrderStep) -> OrderStep | None:
    """The step locked for writing, unless another worker took it over since our claim (the
    attempt counter is the fencing token)."""
    current = OrderStep.objects.select_for_update().get(pk=step.pk)
    if current.status != Status.RUNNING or current.attempts != step.attempts:
        logger.warning("order step %s: attempt %s lost its lease", step.pk, step.attempts)
        return None
    return current


def _write(step: OrderStep, status: str, response: dict[str, Any], ref: str = "") -> bool:
    with transaction.atomic():
        current = _lock_if_still_ours(step)
        if current is None:
            return False
        current.status = status
        current.lease_until = None
        current.next_attempt_at = None
        current.last_error = ""
        current.external_ref = ref or current.external_ref
        current.last_response = response
        current.save()
    return True


def _succeed(step: OrderStep, result: Any) -> None:
    with transaction.atomic():
        current = _lock_if_still_ours(step)
        if current is None:
            return
        current.status = Status.SUCCEEDED
        current.lease_until = None
        current.next_attempt_at = None
        current.last_error = ""
        raw = getattr(result, "raw", None)
        ref = getattr(result, "ref", "")
        current.external_ref = str(ref)[:100]
        current.last_response = redact(raw) if raw else {"result": str(result)[:200]}
        current.save()
        if step.kind == OrderStepKind.PAYMENT_SESSION:
            order_payments.record_session(step.order_id, result, actor_label="payment provider")
        elif step.kind == OrderStepKind.REFUND:
            order_payments.record_refund(step.order_id, result, actor_label="payment provider")
    logger.info("order step %s (%s of order %s) succeeded", step.pk, step.kind, step.order_id)


def _fail(step: OrderStep, error: str, *, retry: bool) -> None:
    with transaction.atomic():
        current = _lock_if_still_ours(step)
        if current is None:
            return
        current.status = Status.FAILED
        current.lease_until = None
        current.last_error = error[:255]
        current.last_response = {"error": error[:1000]}
        will_retry = retry and current.attempts < current.max_attempts
        if will_retry:
            delay = backoff(current.attempts)
            current.next_attempt_at = timezone.now() + timedelta(seconds=delay)
            current.enqueued_at = current.next_attempt_at
            order_steps.send_on_commit(current.pk, countdown=delay)
        else:
            current.next_attempt_at = None
        current.save()
        if not will_retry and step.kind == OrderStepKind.PAYMENT_SESSION:
            # No payment page can be made: the order cannot be paid, its pieces go back on sale.
            order_payments.abandon(step.order_id, reason=f"no payment page: {error}")
    log = logger.error if not retry or step.kind == OrderStepKind.REFUND else logger.warning
    log(
        "order step %s (%s of order %s) attempt %s failed: %s",
        step.pk,
        step.kind,
        step.order_id,
        step.attempts,
        error,
    )


def pending_session_step(order: Order) -> OrderStep | None:
    """The order's payment-session step if it has not succeeded yet."""
    return (
        OrderStep.objects.filter(order=order, kind=OrderStepKind.PAYMENT_SESSION)
        .exclude(status=Status.SUCCEEDED)
        .first()
    )
