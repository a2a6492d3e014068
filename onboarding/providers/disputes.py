"""Payment disputes (chargebacks): the value and the interface (the HTTP side is
:class:`onboarding.providers.http_payment_sessions.HTTPDisputes`).

A buyer's bank disputes a successful payment; the provider takes the disputed amount from the
merchant's balance at once (a ``dispute`` balance line) and says so with a signed
``dispute.created`` webhook. The merchant may answer once with evidence
(:meth:`TakesDisputes.submit_dispute_evidence`: ``needs_response`` -> ``under_review``) before
``evidence_due_by``; the bank then decides (``dispute.closed``): ``won`` gives the amount back (a
``dispute_reversal`` line), ``lost`` leaves it with the buyer. Like the payment webhooks, these
arrive at least once and in any order: store by event id, then re-fetch the dispute
(:meth:`TakesDisputes.get_dispute`) rather than trust the payload.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .base import ProviderError

DISPUTE_EVENTS = ("dispute.created", "dispute.updated", "dispute.closed")
DISPUTE_STATUSES = ("needs_response", "under_review", "won", "lost")
OPEN_DISPUTE_STATUSES = ("needs_response", "under_review")
DISPUTE_REASONS = (
    "fraudulent",
    "product_not_received",
    "product_unacceptable",
    "duplicate",
    "other",
)
#: The longest evidence text the provider takes.
MAX_EVIDENCE = 2000


@dataclass(frozen=True)
class Dispute:
    """A payment's dispute as the provider serves it; amounts in centimes."""

    ref: str
    status: str
    payment_ref: str
    session_ref: str
    account_ref: str
    reference: str  # the order's, as given to the session
    amount_minor: int
    currency: str
    reason: str
    evidence: str
    evidence_due_by: datetime
    created: datetime
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DISPUTE_STATUSES


def _moment(value: Any) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError
    return datetime.fromtimestamp(value, UTC)


def dispute_from_answer(body: Any) -> Dispute:
    """The dispute in a provider's answer; :class:`ProviderError` if it is not one."""
    try:
        amount = body["amount_minor"]
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise TypeError
        dispute = Dispute(
            ref=str(body["id"]),
            status=str(body["status"]),
            payment_ref=str(body["payment"]),
            session_ref=str(body.get("session") or ""),
            account_ref=str(body["account"]),
            reference=str(body.get("reference") or ""),
            amount_minor=amount,
            currency=str(body["currency"]),
            reason=str(body["reason"]),
            evidence=str(body.get("evidence") or ""),
            evidence_due_by=_moment(body["evidence_due_by"]),
            created=_moment(body["created"]),
            raw=body,
        )
    except (KeyError, TypeError, ValueError, OverflowError):
        raise ProviderError("the payments provider sent a malformed dispute") from None
    if dispute.status not in DISPUTE_STATUSES:
        raise ProviderError(f"the payments provider sent a dispute {dispute.status!r}")
    return dispute


def evidence_key(dispute_ref: str, text: str) -> str:
    """The idempotency key of one answer to one dispute: a retry of the same text is the same
    request; another text is another (which the provider refuses once the first was taken)."""
    digest = hashlib.sha256(f"{dispute_ref}\n{text}".encode()).hexdigest()
    return str(uuid.UUID(digest[:32]))


class TakesDisputes:
    """What a payments backend offers about disputes."""

    def get_dispute(self, ref: str) -> Dispute:
        """The dispute as the provider serves it now; :class:`ProviderRejected` if unknown."""
        raise NotImplementedError

    def submit_dispute_evidence(self, ref: str, text: str, idempotency_key: str) -> Dispute:
        """Answer a dispute that ``needs_response`` with ``text`` (at most
        :data:`MAX_EVIDENCE` characters); :class:`ProviderRejected` once it no longer does."""
        raise NotImplementedError
