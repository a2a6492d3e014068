"""Disputes kept in this process's memory (``InMemoryPaymentsBackend``'s part).

Same rules as the sandbox (:mod:`onboarding.sandbox.disputes`). Nothing happens by itself: a
test or the demo opens a dispute with :meth:`FakeDisputes.open_dispute` and closes it with
:meth:`FakeDisputes.close_dispute`, each returning the signed webhook the provider would send.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from ..sandbox.disputes import OPEN_STATUSES, OUTCOMES, REASONS, new_dispute
from .base import ProviderRejected
from .disputes import MAX_EVIDENCE, Dispute, TakesDisputes, dispute_from_answer


class FakeDisputes(TakesDisputes):
    if TYPE_CHECKING:  # FakePaymentSessions's: its book, and the signed webhooks it makes

        @property
        def book(self) -> Any: ...

        def _signed(self, event_type: str, name: str, thing: dict[str, Any]) -> Any: ...

        def _find(self, kind: str, ref: str) -> dict[str, Any]: ...

    def get_dispute(self, ref: str) -> Dispute:
        return dispute_from_answer(self._find("disputes", ref))

    def submit_dispute_evidence(self, ref: str, text: str, idempotency_key: str) -> Dispute:
        if not idempotency_key:
            raise ValueError("evidence needs an idempotency key, the same on every retry")
        if not 1 <= len(text.strip()) <= MAX_EVIDENCE:
            raise ProviderRejected(f"evidence is 1 to {MAX_EVIDENCE} characters")
        request = json.dumps(["evidence", ref, text])
        with self.book.lock:
            dispute = self.book.disputes.get(ref)
            if dispute is None:
                raise ProviderRejected("the in-memory provider answered 404: no such dispute")
            known = self.book.keys.get(f"evidence:{idempotency_key}")
            if known is not None:
                if known[0] != request:
                    raise ProviderRejected(
                        "the in-memory provider answered 409 (idempotency_key_reused)"
                    )
                return dispute_from_answer(dict(dispute))
            if dispute["status"] != "needs_response":
                raise ProviderRejected(
                    f"the in-memory provider answered 422 (dispute_not_open): {dispute['status']}"
                )
            dispute.update(status="under_review", evidence=text, updated=int(time.time()))
            self.book.keys[f"evidence:{idempotency_key}"] = (request, ref)
            return dispute_from_answer(dict(dispute))

    # The provider's side ----------------------------------------------------------------------

    def open_dispute(self, payment_ref: str, reason: str = "fraudulent") -> Any:
        """The buyer's bank disputes a paid payment; return the signed ``dispute.created``."""
        if reason not in REASONS:
            raise ValueError(f"reason is one of {REASONS}")
        with self.book.lock:
            payment = self.book.payments.get(payment_ref)
            if payment is None or payment["status"] != "succeeded":
                raise ProviderRejected("the in-memory provider has no such paid payment")
            amount = payment["amount_minor"] - payment["refunded_minor"]
            dispute: dict[str, Any] = dict(new_dispute(payment, amount, reason))
            self.book.disputes[dispute["id"]] = dispute
        return self._signed("dispute.created", "dispute", dict(dispute))

    def close_dispute(self, dispute_ref: str, outcome: str) -> Any:
        """The bank decides (won or lost); return the signed ``dispute.closed``."""
        if outcome not in OUTCOMES:
            raise ValueError("outcome is won or lost")
        with self.book.lock:
            dispute = self.book.disputes[dispute_ref]
            if dispute["status"] not in OPEN_STATUSES:
                raise ProviderRejected("the in-memory provider answered 422 (dispute_closed)")
            dispute.update(status=outcome, updated=int(time.time()))
        return self._signed("dispute.closed", "dispute", dict(dispute))
