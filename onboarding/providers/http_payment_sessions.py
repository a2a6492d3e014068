"""Payment sessions, refunds and disputes over the provider's HTTP API (``HTTPPaymentsBackend``'s
part).

``POST /v1/payment_sessions`` and ``POST /v1/refunds`` carry the caller's idempotency key; the
answers become :class:`~onboarding.providers.payment_sessions.PaymentSession` and
:class:`~onboarding.providers.payment_sessions.Refund`. Failures are sorted as for accounts (see
:mod:`onboarding.providers.payments`): the buyer's phone never reaches a message or a log line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, urlencode

from .balance_transactions import PAGE_LIMIT, TransactionPage, page_from_answer
from .base import ProviderRejected
from .disputes import MAX_EVIDENCE, Dispute, TakesDisputes, dispute_from_answer
from .payment_sessions import (
    Balance,
    PaymentSession,
    Refund,
    TakesPayments,
    balance_from_answer,
    refund_from_answer,
    session_from_answer,
)

logger = logging.getLogger(__name__)

REF = re.compile(r"[A-Za-z0-9_-]{1,255}")


class Answer(Protocol):
    body: dict[str, Any]
    replayed: bool


def checked_path(prefix: str, ref: str) -> str:
    if not isinstance(ref, str) or not REF.fullmatch(ref):
        raise ProviderRejected("not a payments provider reference")
    return f"{prefix}/{quote(ref, safe='')}"


class SendsRequests:
    """The request method these parts borrow from ``HTTPPaymentsBackend``, which sorts
    failures and keeps personal data out of messages and logs."""

    if TYPE_CHECKING:  # HTTPPaymentsBackend's, which sorts failures and keeps personal data out

        def _request(
            self,
            method: str,
            path: str,
            *,
            json_body: Any = None,
            idempotency_key: str | None = None,
            personal: Iterable[str] = (),
        ) -> Answer: ...


class HTTPPaymentSessions(SendsRequests, TakesPayments):
    def create_payment_session(
        self,
        *,
        account_ref: str,
        amount_minor: int,
        reference: str,
        description: str,
        return_url: str,
        cancel_url: str,
        idempotency_key: str,
        buyer_phone: str = "",
    ) -> PaymentSession:
        if not idempotency_key:
            raise ValueError("a payment session needs an idempotency key, the same on retries")
        body: dict[str, Any] = {
            "account": account_ref,
            "amount_minor": amount_minor,
            "currency": "MAD",
            "reference": reference,
            "description": description,
            "return_url": return_url,
            "cancel_url": cancel_url,
        }
        if buyer_phone:
            body["buyer_phone"] = buyer_phone
        answer = self._request(
            "POST",
            "/v1/payment_sessions",
            json_body=body,
            idempotency_key=idempotency_key,
            personal=[buyer_phone] if len(buyer_phone) >= 3 else [],
        )
        session = session_from_answer(answer.body)
        logger.info(
            "payment session %s for %s is %s%s",
            session.ref,
            reference,
            session.status,
            " (replayed)" if answer.replayed else "",
        )
        return session

    def get_payment_session(self, ref: str) -> PaymentSession:
        return session_from_answer(
            self._request("GET", checked_path("/v1/payment_sessions", ref)).body
        )

    def refund(
        self, *, payment_ref: str, amount_minor: int, idempotency_key: str, reason: str = ""
    ) -> Refund:
        if not idempotency_key:
            raise ValueError("a refund needs an idempotency key, the same on every retry")
        body: dict[str, Any] = {"payment": payment_ref, "amount_minor": amount_minor}
        if reason:
            body["reason"] = reason
        answer = self._request(
            "POST", "/v1/refunds", json_body=body, idempotency_key=idempotency_key
        )
        refund = refund_from_answer(answer.body)
        logger.info("refund %s of payment %s is %s", refund.ref, payment_ref, refund.status)
        return refund

    def get_refund(self, ref: str) -> Refund:
        return refund_from_answer(self._request("GET", checked_path("/v1/refunds", ref)).body)

    def get_balance(
        self, account_ref: str, since: datetime | None = None, until: datetime | None = None
    ) -> Balance:
        period = {
            name: str(int(moment.timestamp()))
            for name, moment in (("from", since), ("to", until))
            if moment is not None
        }
        path = checked_path("/v1/accounts", account_ref) + "/balance"
        if period:
            path += "?" + urlencode(period)
        return balance_from_answer(self._request("GET", path).body)

    def list_balance_transactions(
        self,
        account_ref: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = PAGE_LIMIT,
        starting_after: str = "",
    ) -> TransactionPage:
        if not 1 <= limit <= PAGE_LIMIT:
            raise ValueError(f"a page holds 1 to {PAGE_LIMIT} lines")
        query = {
            name: str(int(moment.timestamp()))
            for name, moment in (("from", since), ("to", until))
            if moment is not None
        }
        query["limit"] = str(limit)
        if starting_after:
            if not REF.fullmatch(starting_after):
                raise ProviderRejected("not a balance transaction reference")
            query["starting_after"] = starting_after
        path = checked_path("/v1/accounts", account_ref) + "/balance_transactions"
        answer = self._request("GET", f"{path}?{urlencode(query)}")
        return page_from_answer(answer.body, account_ref)


class HTTPDisputes(SendsRequests, TakesDisputes):
    """Disputes over the provider's HTTP API (``HTTPPaymentsBackend``'s part)."""

    def get_dispute(self, ref: str) -> Dispute:
        return dispute_from_answer(self._request("GET", checked_path("/v1/disputes", ref)).body)

    def submit_dispute_evidence(self, ref: str, text: str, idempotency_key: str) -> Dispute:
        if not idempotency_key:
            raise ValueError("evidence needs an idempotency key, the same on every retry")
        if not 1 <= len(text.strip()) <= MAX_EVIDENCE:
            raise ProviderRejected(f"evidence is 1 to {MAX_EVIDENCE} characters")
        answer = self._request(
            "POST",
            checked_path("/v1/disputes", ref) + "/evidence",
            json_body={"text": text},
            idempotency_key=idempotency_key,
        )
        dispute = dispute_from_answer(answer.body)
        logger.info("dispute %s answered: %s", dispute.ref, dispute.status)
        return dispute
