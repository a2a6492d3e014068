"""An order's state machine: the only code that changes an order's state.

Every change goes through :func:`transition`, which locks the order row, checks the move against
:data:`TRANSITIONS`, writes the new state, its timeline row and the effects of entering the new
state (the stock given back, the refund to make, the text messages to send, each an outbox row
of :mod:`onboarding.marketplace.order_steps`) in one transaction. The outbox's tasks only run
after the commit, so a change that is rolled back sends nothing.

::

    pending_payment → paid → accepted → shipped → delivered
    pending_payment → cancelled                 (payment failed, expired or abandoned)
    paid | accepted → cancelled → refunded      (the seller cancels; refunded once the refund
                                                 has succeeded at the provider)
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import order_steps, order_stock
from .order_models import Order, OrderEvent, OrderState, OrderStepKind

logger = logging.getLogger(__name__)

S = OrderState

# Allowed moves: from each state, the states it may go to. delivered and refunded are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.ACCEPTED, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset({S.REFUNDED}),
    S.REFUNDED: frozenset(),
}
TERMINAL_STATES = frozenset(state for state, targets in TRANSITIONS.items() if not targets)

#: The moves the seller makes from her dashboard.
SELLER_MOVES: dict[str, frozenset[str]] = {
    S.ACCEPTED: frozenset({S.PAID}),
    S.SHIPPED: frozenset({S.ACCEPTED}),
    S.DELIVERED: frozenset({S.SHIPPED}),
    S.CANCELLED: frozenset({S.PAID, S.ACCEPTED}),
}

#: The states the buyer is told about by text message.
BUYER_TOLD = frozenset({S.PAID, S.ACCEPTED, S.SHIPPED, S.DELIVERED, S.CANCELLED, S.REFUNDED})


class InvalidTransition(Exception):
    """A move the state machine does not allow, or an order no longer in the state expected."""


def transition(
    order_id: int,
    to: str,
    *,
    actor: Any = None,
    actor_label: str,
    reason: str,
    expected_from: str | tuple[str, ...] | frozenset[str] | None = None,
    **changes: Any,
) -> Order:
    """Move an order to state ``to`` and record why; return the order as it now is.

    ``actor`` is the user who makes the move (``None`` for the system or the buyer);
    ``actor_label`` says who or what in the timeline ("seller", "payment provider",
    "sweeper"...). ``expected_from`` makes the move conditional: when the order is no longer in
    one of those states (someone moved it first) :class:`InvalidTransition` is raised.
    ``changes`` are other fields written with the state (the payment's reference and fee...).
    """
    with transaction.atomic():
        # The row lock serialises concurrent writers (two webhooks, the sweeper, the seller's
        # button): the second one reads the state the first one wrote and is checked against it.
        order = Order.objects.select_for_update().get(pk=order_id)
        from_state = order.state
        if expected_from is not None:
            expected = (expected_from,) if isinstance(expected_from, str) else expected_from
            if from_state not in expected:
                raise InvalidTransition(
                    f"Order {order.public_id} is {from_state}, not {' or '.join(sorted(expected))}:"
                    f" it was moved by someone else first, so it does not go to {to}."
                )
        if to not in TRANSITIONS.get(from_state, frozenset()):
            allowed = ", ".join(sorted(TRANSITIONS.get(from_state, ()))) or "nothing (it is final)"
            raise InvalidTransition(
                f"Order {order.public_id} cannot go from {from_state} to {to}; from {from_state} "
                f"it can go to {allowed}."
            )
        if to == S.REFUNDED and not order.payment_ref:
            raise InvalidTransition(
                f"Order {order.public_id} was never paid: there is nothing to refund."
            )
        for name, value in changes.items():
            setattr(order, name, value)
        order.state = to
        if to == S.PAID and order.paid_at is None:
            order.paid_at = timezone.now()
        order.save()
        OrderEvent.objects.create(
            order=order,
            from_state=from_state,
            to_state=to,
            actor=actor,
            actor_label=actor_label[:50],
            reason=reason[:255],
        )
        _enter(order, from_state, to)
    logger.info("order %s: %s -> %s (%s: %s)", order.public_id, from_state, to, actor_label, reason)
    return order


def record_opening(order: Order, *, actor_label: str, reason: str) -> OrderEvent:
    """Write the first line of an order just created. Call it in the transaction that creates
    the order."""
    return OrderEvent.objects.create(
        order=order,
        from_state="",
        to_state=order.state,
        actor_label=actor_label[:50],
        reason=reason[:255],
    )


def _enter(order: Order, from_state: str, to: str) -> None:
    """The effects of entering ``to``, written in the transaction of the change."""
    if to == S.CANCELLED:
        # Back on sale, once (the flag on the order makes a second release a no-op).
        order_stock.release(order)
        if order.payment_ref:
            order_steps.ensure_step(order, OrderStepKind.REFUND)
    if to == S.PAID:
        order_steps.ensure_step(order, OrderStepKind.SMS_SELLER, about=to)
    if to in BUYER_TOLD and not (to == S.CANCELLED and from_state == S.PENDING_PAYMENT):
        order_steps.ensure_step(order, OrderStepKind.SMS_BUYER, about=to)
