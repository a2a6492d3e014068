"""Payment disputes (chargebacks), kept by the sandbox, on Stripe's model.

The buyer's bank disputes a successful payment: ``POST /_sandbox/disputes`` opens one (the
provider's part; here a test's or the demo's), as the test card ``4000000000000259`` does by
itself ``dispute_delay`` seconds after it paid. The disputed amount leaves the merchant's balance
at once (a ``dispute`` line); the merchant answers with ``POST /v1/disputes/{id}/evidence``
(``needs_response`` -> ``under_review``) before ``evidence_due_by``; the bank decides
(``POST /_sandbox/disputes/{id}/close``: ``won`` gives the amount back as a
``dispute_reversal`` line, ``lost`` leaves it with the buyer). Each change sends a signed
``dispute.created``, ``dispute.updated`` or ``dispute.closed`` webhook carrying the dispute.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import TYPE_CHECKING, Any, TypedDict

from .domain import fingerprint
from .responses import Response, error
from .sales import CURRENCY, LedgerLine, Payment, Session

if TYPE_CHECKING:
    from .config import Config
    from .scheduler import Scheduler
    from .webhooks import Webhooks

REASONS = ("fraudulent", "product_not_received", "product_unacceptable", "duplicate", "other")
OPEN_STATUSES = ("needs_response", "under_review")
OUTCOMES = ("won", "lost")
#: How long the merchant has to answer: 7 days, as card networks give about that.
EVIDENCE_WINDOW = 7 * 86400
MAX_EVIDENCE = 2000


class Dispute(TypedDict):
    id: str
    object: str
    status: str  # needs_response, under_review, won, lost
    payment: str
    session: str
    account: str
    reference: str
    amount_minor: int
    currency: str
    reason: str
    evidence: str | None
    evidence_due_by: int
    created: int
    updated: int


def new_dispute(payment: Payment, amount: int, reason: str) -> Dispute:
    now = int(time.time())
    return {
        "id": f"dp_{secrets.token_hex(12)}",
        "object": "dispute",
        "status": "needs_response",
        "payment": payment["id"],
        "session": payment["session"],
        "account": payment["account"],
        "reference": payment["reference"],
        "amount_minor": amount,
        "currency": CURRENCY,
        "reason": reason,
        "evidence": None,
        "evidence_due_by": now + EVIDENCE_WINDOW,
        "created": now,
        "updated": now,
    }


class Disputes:
    """The part of :class:`onboarding.sandbox.provider.Sandbox` that keeps disputes."""

    lock: threading.RLock
    config: Config
    scheduler: Scheduler
    webhooks: Webhooks
    generation: int
    sessions: dict[str, Session]
    payments: dict[str, Payment]
    disputes: dict[str, Dispute]
    ledger: list[LedgerLine]
    payment_keys: dict[str, Any]  # PaymentSessions's KeyRecord by "<route>:<key>"

    def _save(self) -> None:
        raise NotImplementedError

    def open_dispute(self, data: Any) -> Response:
        """The bank disputes a succeeded payment (by its id or its session's): 201."""
        if not isinstance(data, dict):
            return error(422, "invalid_body", "The body must be a JSON object.")
        reason = data.get("reason", "fraudulent")
        if reason not in REASONS:
            return error(422, "parameter_invalid", f"reason is one of {', '.join(REASONS)}.")
        with self.lock:
            payment = self._payment_of(data)
            if payment is None or payment["status"] != "succeeded":
                return error(422, "resource_missing", "No such succeeded payment.", "payment")
            if any(d["payment"] == payment["id"] for d in self.disputes.values()):
                return error(409, "already_disputed", "This payment is disputed already.")
            amount = payment["amount_minor"] - payment["refunded_minor"]
            if amount <= 0:
                return error(422, "payment_refunded", "The payment was refunded in full.")
            dispute = new_dispute(payment, amount, reason)
            self.disputes[dispute["id"]] = dispute
            self._write_dispute(dispute, "dispute", -amount)
            self._emit_dispute("dispute.created", dispute)
            self._save()
            return Response(201, dict(dispute))

    def _payment_of(self, data: dict[str, Any]) -> Payment | None:
        ref = data.get("payment") or data.get("session")
        if not isinstance(ref, str):
            return None
        session = self.sessions.get(ref)
        payment_id = session["payment_id"] if session else ref
        return self.payments.get(payment_id or "")

    def get_dispute(self, dispute_id: str) -> Response:
        with self.lock:
            dispute = self.disputes.get(dispute_id)
            if dispute is None:
                return error(404, "resource_missing", f"No such dispute: {dispute_id}")
            return Response(200, dict(dispute))

    def submit_evidence(self, dispute_id: str, data: Any, key: str | None) -> Response:
        """The merchant's answer, once per Idempotency-Key: needs_response -> under_review."""
        if not key or len(key) > 255:
            return error(400, "idempotency_key_missing", "Send an Idempotency-Key header.")
        text = data.get("text") if isinstance(data, dict) else None
        if not isinstance(text, str) or not 1 <= len(text.strip()) <= MAX_EVIDENCE:
            return error(422, "parameter_invalid", "text is 1 to 2000 characters.", "text")
        if set(data) - {"text"}:
            return error(422, "parameter_unknown", "Only text is accepted.")
        with self.lock:
            dispute = self.disputes.get(dispute_id)
            if dispute is None:
                return error(404, "resource_missing", f"No such dispute: {dispute_id}")
            slot = f"disputes/{dispute_id}/evidence:{key}"
            known = self.payment_keys.get(slot)
            if known is not None:
                if known["fingerprint"] != fingerprint(data):
                    return error(409, "idempotency_key_reused", "Key used with another body.")
                return Response(200, dict(dispute), {"Idempotent-Replayed": "true"})
            if dispute["status"] != "needs_response":
                return error(422, "dispute_not_open", f"The dispute is {dispute['status']}.")
            if time.time() > dispute["evidence_due_by"]:
                return error(422, "evidence_too_late", "The time to answer is over.")
            dispute["status"], dispute["evidence"] = "under_review", text
            dispute["updated"] = int(time.time())
            self.payment_keys[slot] = {"fingerprint": fingerprint(data), "id": dispute_id}
            self._emit_dispute("dispute.updated", dispute)
            self._save()
            return Response(200, dict(dispute))

    def close_dispute(self, dispute_id: str, data: Any) -> Response:
        """The bank decides: ``won`` gives the amount back to the merchant, ``lost`` does not."""
        outcome = data.get("outcome") if isinstance(data, dict) else None
        if outcome not in OUTCOMES:
            return error(422, "parameter_invalid", "outcome is won or lost.", "outcome")
        with self.lock:
            dispute = self.disputes.get(dispute_id)
            if dispute is None:
                return error(404, "resource_missing", f"No such dispute: {dispute_id}")
            if dispute["status"] not in OPEN_STATUSES:
                return error(422, "dispute_closed", f"The dispute is {dispute['status']}.")
            dispute["status"], dispute["updated"] = outcome, int(time.time())
            if outcome == "won":
                self._write_dispute(dispute, "dispute_reversal", dispute["amount_minor"])
            self._emit_dispute("dispute.closed", dispute)
            self._save()
            return Response(200, dict(dispute))

    def dispute_later(self, payment_id: str) -> None:
        """What the test card that gets disputed does: a dispute after ``dispute_delay``."""
        self.scheduler.call_later(
            self.config.dispute_delay, self._auto_dispute, payment_id, self.generation
        )

    def _auto_dispute(self, payment_id: str, generation: int) -> None:
        with self.lock:
            if generation == self.generation:
                self.open_dispute({"payment": payment_id, "reason": "fraudulent"})

    def _write_dispute(self, dispute: Dispute, kind: str, amount: int) -> None:
        self.ledger.append(
            {
                "id": f"ln_{len(self.ledger) + 1:06d}",
                "account": dispute["account"],
                "type": kind,
                "amount_minor": amount,
                "currency": CURRENCY,
                "payment": dispute["payment"],
                "refund": None,
                "payout": None,
                "dispute": dispute["id"],
                "reference": dispute["reference"],
                "created": int(time.time()),
            }
        )

    def _emit_dispute(self, event_type: str, dispute: Dispute) -> None:
        # Grouped with the payment's events, so the out-of-order fault reorders them too.
        self.webhooks.emit_event(event_type, "dispute", dict(dispute), dispute["payment"])
