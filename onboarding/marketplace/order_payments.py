"""An order's money at the payment provider: its payment session, its refund, and what the
provider says of them, applied to the order.

What the provider says arrives three ways: the answer to our own call (the outbox), a webhook
(only a hint: the session or refund is fetched again, see :func:`apply_event`), and the
sweeper's re-check of unpaid orders past their hold. All end in :func:`apply_session` and
:func:`apply_refund`, which decide from the order's state under its row lock, so that duplicate,
late and out-of-order news end the same way: paid exactly once, refunded exactly once.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import translation

from ..providers import get_backend
from ..providers.base import ProviderError, ProviderRejected
from ..providers.payment_sessions import PaymentEvent, PaymentSession, Refund
from . import order_states, order_steps
from .order_conf import order_settings
from .order_models import Order, OrderState, OrderStepKind

logger = logging.getLogger(__name__)

S = OrderState


def buyer_url(order: Order, language: str | None = None) -> str:
    """The buyer's page of the order, absolute (for text messages and the payment page)."""
    with translation.override(language or order.buyer_language):
        path = reverse("marketplace_orders:order", kwargs={"token": order.buyer_token})
    return order_settings.BASE_URL + path


def create_session(order: Order, idempotency_key: str) -> PaymentSession:
    """Open the order's payment session at the provider (the same key on every retry)."""
    return get_backend("payments").create_payment_session(
        account_ref=order.payment_account_ref,
        amount_minor=order.items_total,
        reference=order.public_id,
        description=f"{order.shop_name} #{order.public_id}"[:200],
        return_url=buyer_url(order),
        cancel_url=buyer_url(order) + "?cancelled=1",
        idempotency_key=idempotency_key,
    )


def create_refund(order: Order, idempotency_key: str) -> Refund:
    """Give the buyer all her money back (the same key on every retry)."""
    if not order.payment_ref:
        raise ProviderRejected(f"order {order.public_id} has no payment to refund")
    return get_backend("payments").refund(
        payment_ref=order.payment_ref,
        amount_minor=order.items_total,
        idempotency_key=idempotency_key,
        reason="cancelled",
    )


def record_session(order_id: int, session: PaymentSession, *, actor_label: str) -> None:
    """Keep the session's reference and page on the order, then apply its status."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if not order.payment_session_ref:
            order.payment_session_ref = session.ref
            order.hosted_url = session.hosted_url
            order.save(update_fields=["payment_session_ref", "hosted_url", "updated_at"])
        apply_session(order_id, session, actor_label=actor_label)


def record_refund(order_id: int, refund: Refund, *, actor_label: str) -> None:
    with transaction.atomic():
        Order.objects.filter(pk=order_id, refund_ref="").update(refund_ref=refund.ref)
        apply_refund(order_id, refund, actor_label=actor_label)


def apply_session(order_id: int, session: PaymentSession, *, actor_label: str) -> str:
    """Apply a session as the provider serves it; return what it did (for logs and tests)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if session.ref != order.payment_session_ref and order.payment_session_ref:
            return "another session"
        if session.status == "succeeded":
            return _paid(order, session, actor_label)
        if session.status in ("failed", "expired"):
            if order.state != S.PENDING_PAYMENT:
                return "already settled"
            order_states.transition(
                order.pk,
                S.CANCELLED,
                actor_label=actor_label,
                reason=f"payment {session.status}",
                expected_from=S.PENDING_PAYMENT,
            )
            return "cancelled"
    return "still open"


def _paid(order: Order, session: PaymentSession, actor_label: str) -> str:
    money = {
        "payment_ref": session.payment_ref,
        "fee": session.fee_minor,
        "net": session.amount_minor - session.fee_minor,
    }
    if order.state == S.PENDING_PAYMENT:
        order_states.transition(
            order.pk,
            S.PAID,
            actor_label=actor_label,
            reason="payment succeeded",
            expected_from=S.PENDING_PAYMENT,
            **money,
        )
        return "paid"
    if order.state == S.CANCELLED and not order.payment_ref:
        # Paid after the order was given up (its hold ran out while the buyer was on the
        # payment page): the pieces may be sold already, so the money goes back.
        Order.objects.filter(pk=order.pk).update(**money)
        order_steps.ensure_step(order, OrderStepKind.REFUND)
        logger.warning("order %s was paid after it was cancelled: refunding", order.public_id)
        return "paid late, refunding"
    return "already paid"


def apply_refund(order_id: int, refund: Refund, *, actor_label: str) -> str:
    """Apply a refund as the provider serves it: a succeeded one makes the order refunded."""
    if refund.status == "failed":
        logger.error("order %s: refund %s failed at the provider", order_id, refund.ref)
        return "refund failed"
    if refund.status != "succeeded":
        return "refund pending"
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.state != S.CANCELLED or refund.payment_ref != order.payment_ref:
            return "nothing to refund" if order.state != S.REFUNDED else "already refunded"
        order_states.transition(
            order.pk,
            S.REFUNDED,
            actor_label=actor_label,
            reason="refund succeeded",
            expected_from=S.CANCELLED,
            refund_ref=refund.ref,
        )
    return "refunded"


def abandon(order_id: int, *, reason: str, actor_label: str = "system") -> bool:
    """Cancel an order still waiting for payment (its pieces go back on sale)."""
    try:
        order_states.transition(
            order_id,
            S.CANCELLED,
            actor_label=actor_label,
            reason=reason,
            expected_from=S.PENDING_PAYMENT,
        )
    except order_states.InvalidTransition:
        return False
    return True


def order_of_event(event: PaymentEvent) -> Order | None:
    """The order a payment event is about: by its session, else by the reference we gave."""
    order = None
    if event.session_ref:
        order = Order.objects.filter(payment_session_ref=event.session_ref).first()
    if order is None and event.reference:
        order = Order.objects.filter(public_id=event.reference).first()
    return order


def apply_event(event: PaymentEvent) -> bool | None:
    """Apply a payment or refund webhook by fetching what it is about from the provider.

    ``None``: not about one of our orders; ``True``: applied; ``False``: the provider did not
    answer, try again later (the event stays unprocessed).
    """
    order = order_of_event(event)
    if order is None:
        return None
    backend = get_backend("payments")
    try:
        if event.type.startswith("refund."):
            refund = backend.get_refund(event.refund_ref)
            apply_refund(order.pk, refund, actor_label="provider webhook")
        else:
            session_ref = event.session_ref or order.payment_session_ref
            session = backend.get_payment_session(session_ref)
            if not order.payment_session_ref and session.reference == order.public_id:
                record_session(order.pk, session, actor_label="provider webhook")
            else:
                apply_session(order.pk, session, actor_label="provider webhook")
    except ProviderRejected as refused:
        logger.error("order %s: event %s refused by provider: %s", order.pk, event.id, refused)
        return True
    except ProviderError as failure:
        logger.warning("order %s: event %s not applied: %s", order.pk, event.id, failure)
        return False
    return True


def recheck(order_id: int, *, actor_label: str = "sweeper") -> str:
    """Ask the provider about an unpaid order's session (its webhook may be lost)."""
    order = Order.objects.get(pk=order_id)
    if order.state != S.PENDING_PAYMENT:
        return "settled"
    if not order.payment_session_ref:
        return "no session yet"
    try:
        session = get_backend("payments").get_payment_session(order.payment_session_ref)
    except ProviderRejected as refused:
        abandon(order_id, reason=f"the provider does not know its payment: {refused}")
        return "cancelled"
    except ProviderError as failure:
        logger.warning("order %s not re-checked: %s", order.public_id, failure)
        return "provider not reached"
    return apply_session(order_id, session, actor_label=actor_label)
