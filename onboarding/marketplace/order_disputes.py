"""An order's payment disputes: what the provider says of them, applied once, and the
operator's answer.

A ``dispute.*`` webhook is only a hint: the dispute is fetched again from the provider and
:func:`record` upserts it under the order's row lock, so that duplicate, late and out-of-order
news end the same way (a ``dispute.closed`` before its ``dispute.created`` finds the dispute
closed already, and writes both lines of the timeline). A status never goes back (a stale
answer is ignored). Each news writes one line of the order's timeline, with the order's state
unchanged (from and to the same state), and texts the seller once per dispute and news (one
outbox row, ``about`` ``dp<id>:open``, ``dp<id>:won``, ``dp<id>:lost``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..providers import get_backend
from ..providers.base import ProviderError, ProviderRejected
from ..providers.disputes import Dispute as ProviderDispute
from ..providers.disputes import evidence_key
from ..providers.payment_sessions import PaymentEvent
from . import order_steps
from .dispute_models import Dispute, DisputeStatus
from .order_models import Order, OrderEvent, OrderStepKind

logger = logging.getLogger(__name__)

D = DisputeStatus
#: How far along each status is: a dispute only moves forward.
RANK: dict[str, int] = {D.NEEDS_RESPONSE: 0, D.UNDER_REVIEW: 1, D.WON: 2, D.LOST: 2}
CLOSED = (D.WON, D.LOST)


class EvidenceRefused(Exception):
    """The evidence was not taken: the dispute moved on, or the provider said no."""


def sms_about(dispute: Dispute, news: str) -> str:
    """The ``about`` of the seller's text on ``news`` (open, won, lost) of ``dispute``."""
    return f"dp{dispute.pk}:{news}"


def order_of(event: PaymentEvent) -> Order | None:
    """The order a dispute event is about: by its payment, its session, or our reference."""
    orders = Order.objects.all()
    for name, value in (
        ("payment_ref", event.payment_ref),
        ("payment_session_ref", event.session_ref),
        ("public_id", event.reference),
    ):
        if value and (order := orders.filter(**{name: value}).first()) is not None:
            return order
    return None


def apply_event(event: PaymentEvent) -> bool | None:
    """Apply a ``dispute.*`` webhook by fetching the dispute from the provider.

    ``None``: not about one of our orders; ``True``: applied; ``False``: the provider did not
    answer, try again later (the event stays unprocessed).
    """
    order = order_of(event)
    if order is None:
        return None
    try:
        dispute = get_backend("payments").get_dispute(event.dispute_ref)
    except ProviderRejected as refused:
        logger.error("order %s: dispute event %s refused: %s", order.pk, event.id, refused)
        return True
    except ProviderError as failure:
        logger.warning("order %s: dispute event %s not applied: %s", order.pk, event.id, failure)
        return False
    # By its session too: a dispute's news may come before its payment's (out of order).
    if dispute.payment_ref != order.payment_ref and dispute.session_ref != (
        order.payment_session_ref or "-"
    ):
        logger.error("dispute %s is not about order %s's payment", dispute.ref, order.public_id)
        return True
    record(order.pk, dispute, actor_label="payment provider")
    return True


def _timeline(order: Order, reason: str, actor: Any = None, actor_label: str = "") -> None:
    OrderEvent.objects.create(
        order=order,
        from_state=order.state,
        to_state=order.state,
        actor=actor,
        actor_label=actor_label[:50],
        reason=reason[:255],
    )


def record(order_id: int, found: ProviderDispute, *, actor_label: str) -> Dispute:
    """Upsert the dispute as the provider serves it; write the timeline and the texts of what
    is new. Run twice with the same answer, the second run changes nothing."""
    with transaction.atomic():
        # The order's row lock serialises two workers on two events of one dispute.
        order = Order.objects.select_for_update().get(pk=order_id)
        row = Dispute.objects.filter(provider_ref=found.ref).first()
        before = row.status if row is not None else ""
        if row is None:
            row = Dispute(order=order, provider_ref=found.ref, opened_at=found.created)
        elif RANK.get(found.status, 0) < RANK.get(row.status, 0):
            return row  # an answer older than what we know
        row.payment_ref = found.payment_ref
        row.amount = found.amount_minor
        row.currency = found.currency
        row.reason = found.reason
        row.status = found.status
        row.evidence_due_by = found.evidence_due_by
        if before not in CLOSED:  # once closed, its evidence is only ever erased
            row.evidence = row.evidence or found.evidence  # type: ignore[assignment]  # encrypted str
        if found.status in CLOSED and row.closed_at is None:
            row.closed_at = timezone.now()
        row.save()
        if not before:
            _timeline(order, f"dispute {found.ref} opened: {found.reason}", None, actor_label)
            order_steps.ensure_step(order, OrderStepKind.SMS_SELLER, about=sms_about(row, "open"))
        if found.status in CLOSED and before not in CLOSED:
            _timeline(order, f"dispute {found.ref} {found.status}", None, actor_label)
            order_steps.ensure_step(
                order, OrderStepKind.SMS_SELLER, about=sms_about(row, found.status)
            )
    if before != found.status:
        logger.info("order %s: dispute %s is %s", order.public_id, found.ref, found.status)
    return row


def submit_evidence(dispute_id: int, operator: Any, text: str, reason: str) -> Dispute:
    """Send the operator's evidence to the provider, then record it with her name.

    The idempotency key is made from the dispute and the text: sending the same text again
    after a timeout is the same request, never a second one. :class:`EvidenceRefused` when the
    dispute no longer waits for an answer or the provider refuses; nothing is written then.
    """
    dispute = Dispute.objects.get(pk=dispute_id)
    if dispute.status != D.NEEDS_RESPONSE:
        raise EvidenceRefused(_("the dispute no longer waits for an answer."))
    text = text.strip()
    try:
        answer = get_backend("payments").submit_dispute_evidence(
            dispute.provider_ref, text, evidence_key(dispute.provider_ref, text)
        )
    except ProviderRejected as refused:
        raise EvidenceRefused(str(refused)) from None
    except ProviderError:
        raise EvidenceRefused(
            _("the payment provider did not answer. Send the same text again later.")
        ) from None
    with transaction.atomic():
        row = record(dispute.order_id, answer, actor_label="payment provider")
        if row.evidence_sent_at is None:
            Dispute.objects.filter(pk=row.pk).update(
                evidence=text, evidence_sent_at=timezone.now(), evidence_by=operator
            )
            _timeline(
                Order.objects.select_for_update().get(pk=row.order_id),
                f"dispute {row.provider_ref} evidence sent: {reason}",
                operator,
                "operator",
            )
    return Dispute.objects.get(pk=dispute_id)


def state_events(order: Order) -> list[OrderEvent]:
    """The order's moves from state to state, without the dispute lines (buyer, seller)."""
    return [event for event in order.events.all() if event.from_state != event.to_state]
