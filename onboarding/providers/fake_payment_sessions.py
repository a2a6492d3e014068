"""Payment sessions and refunds kept in this process's memory (``InMemoryPaymentsBackend``'s part).

Same rules as the sandbox (:mod:`onboarding.sandbox.sales`: amounts, fee, test cards, refunds
never above the payment), with nothing happening by itself: a test or the demo ends a session
with :meth:`FakePaymentSessions.pay` (the hosted page's part) and settles a refund with
:meth:`FakePaymentSessions.settle_refund`; each returns the signed webhook the provider would
send, to feed to the same path a real webhook takes.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from ..sandbox.responses import BadRequest
from ..sandbox.sales import (
    CHALLENGE,
    CHALLENGE_CODE,
    TEST_METHODS,
    new_payment,
    new_refund,
    new_session,
    validate_refund,
    validate_session,
)
from .balance_transactions import PAGE_LIMIT, TransactionPage, page_from_answer
from .base import AccountStatus, ProviderRejected
from .fake_disputes import FakeDisputes
from .fake_ledger import lines_of, page_of, pay_out
from .payment_sessions import (
    Balance,
    PaymentSession,
    Refund,
    TakesPayments,
    refund_from_answer,
    session_from_answer,
)
from .signatures import signed_headers

if TYPE_CHECKING:
    from .base import PaymentAccount

SESSION_LIFETIME = 1800


@dataclass(frozen=True)
class SignedWebhook:
    """A webhook as the provider would POST it: the body and its signed headers."""

    body: bytes
    headers: dict[str, str]


@dataclass
class _Book:
    lock: threading.Lock = field(default_factory=threading.Lock)
    sessions: dict[str, Any] = field(default_factory=dict)
    payments: dict[str, Any] = field(default_factory=dict)
    refunds: dict[str, Any] = field(default_factory=dict)
    payouts: dict[str, Any] = field(default_factory=dict)
    disputes: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (request, id)


class FakePaymentSessions(FakeDisputes, TakesPayments):
    _books: ClassVar[dict[str, _Book]] = {}
    _books_lock: ClassVar[threading.Lock] = threading.Lock()
    name: str
    webhook_secrets: list[str]

    if TYPE_CHECKING:

        def get_account(self, ref: str) -> PaymentAccount: ...

    @property
    def book(self) -> _Book:
        with self._books_lock:
            return self._books.setdefault(self.name, _Book())

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
        data: dict[str, Any] = {
            "account": account_ref,
            "amount_minor": amount_minor,
            "reference": reference,
            "description": description,
            "return_url": return_url,
            "cancel_url": cancel_url,
        }
        if buyer_phone:
            data["buyer_phone"] = buyer_phone
        checked = _checked(validate_session, data)
        status = self.get_account(account_ref).status
        if status != AccountStatus.ACTIVE:
            raise ProviderRejected(
                f"the in-memory provider answered 422 (account_not_active): the account is {status}"
            )

        def create() -> dict[str, Any]:
            session = new_session(checked, "https://payments.invalid", SESSION_LIFETIME)
            self.book.sessions[session["id"]] = session
            return dict(session)

        return session_from_answer(self._once(idempotency_key, data, create, "sessions"))

    def get_payment_session(self, ref: str) -> PaymentSession:
        return session_from_answer(self._find("sessions", ref))

    def refund(
        self, *, payment_ref: str, amount_minor: int, idempotency_key: str, reason: str = ""
    ) -> Refund:
        data = {"payment": payment_ref, "amount_minor": amount_minor}
        _checked(validate_refund, data)

        def create() -> dict[str, Any]:
            payment = self.book.payments.get(payment_ref)
            if payment is None or payment["status"] != "succeeded":
                raise ProviderRejected("the in-memory provider answered 422: no such paid payment")
            left = payment["amount_minor"] - payment["refunded_minor"]
            if amount_minor > left:
                raise ProviderRejected(
                    f"the in-memory provider answered 422 (amount_too_large): {left} left"
                )
            payment["refunded_minor"] += amount_minor
            refund = new_refund(payment, amount_minor)
            self.book.refunds[refund["id"]] = refund
            return dict(refund)

        return refund_from_answer(self._once(idempotency_key, data, create, "refunds"))

    def get_refund(self, ref: str) -> Refund:
        return refund_from_answer(self._find("refunds", ref))

    def get_balance(
        self, account_ref: str, since: datetime | None = None, until: datetime | None = None
    ) -> Balance:
        start = since.timestamp() if since else 0
        end = until.timestamp() if until else float("inf")
        sums = dict.fromkeys(("sale", "fee", "refund", "payout", "dispute"), 0)
        with self.book.lock:
            for line in lines_of(self.book, account_ref):
                if start <= line["created"] < end:
                    sums[line["type"].removesuffix("_reversal")] -= line["amount_minor"]
            pending = sum(
                refund["amount_minor"]
                for refund in self.book.refunds.values()
                if refund["account"] == account_ref and refund["status"] == "pending"
            )
        net = -sum(sums.values())
        amounts = (-sums["sale"], sums["fee"], sums["refund"], sums["payout"])
        return Balance(account_ref, *amounts, net, pending, disputes_minor=sums["dispute"])

    def list_balance_transactions(
        self,
        account_ref: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = PAGE_LIMIT,
        starting_after: str = "",
    ) -> TransactionPage:
        start = since.timestamp() if since else 0
        end = until.timestamp() if until else float("inf")
        with self.book.lock:
            lines = lines_of(self.book, account_ref)
        return page_from_answer(page_of(lines, start, end, limit, starting_after), account_ref)

    def pay_out(self, account_ref: str) -> dict[str, Any] | None:
        """Pay out the account's available balance now, as the provider's schedule would."""
        return pay_out(self.book, account_ref)

    # The provider's side ----------------------------------------------------------------------

    def pay(
        self, session_ref: str, method: str = "4242424242424242", code: str = ""
    ) -> SignedWebhook:
        """End an open session as the hosted page would; return the signed webhook it sends."""
        kind, outcome, failure = TEST_METHODS[method]
        if outcome == CHALLENGE and code != CHALLENGE_CODE:
            failure = "authentication_failed"
        with self.book.lock:
            session = self.book.sessions.get(session_ref)
            if session is None or session["status"] != "open":
                raise ProviderRejected("the in-memory provider has no open session by that id")
            payment = new_payment(session, kind, failure)
            self.book.payments[payment["id"]] = payment
            session.update(status=payment["status"], payment_id=payment["id"])
            session["updated"] = int(time.time())
        return self._signed(f"payment.{payment['status']}", "payment", dict(payment))

    def settle_refund(self, refund_ref: str) -> SignedWebhook:
        """Settle a pending refund; return the signed ``refund.succeeded`` webhook."""
        with self.book.lock:
            refund = self.book.refunds[refund_ref]
            refund.update(status="succeeded", updated=int(time.time()))
        return self._signed("refund.succeeded", "refund", refund)

    def _signed(self, event_type: str, name: str, thing: dict[str, Any]) -> SignedWebhook:
        event_id = f"evt_{uuid.uuid4().hex[:24]}"
        event = {"id": event_id, "type": event_type, "created": int(time.time())}
        body = json.dumps({**event, "data": {name: thing}}, separators=(",", ":")).encode()
        headers = signed_headers(self.webhook_secrets[0], event_id, body, int(time.time()))
        return SignedWebhook(body, headers)

    def _once(self, key: str, data: dict[str, Any], create: Any, kind: str) -> dict[str, Any]:
        if not key:
            raise ValueError("an idempotency key is needed, the same on every retry")
        request = json.dumps([kind, data], sort_keys=True)
        with self.book.lock:
            known = self.book.keys.get(key)
            if known is not None:
                if known[0] != request:
                    raise ProviderRejected(
                        "the in-memory provider answered 409 (idempotency_key_reused)"
                    )
                return dict(getattr(self.book, kind)[known[1]])
            made: dict[str, Any] = create()
            self.book.keys[key] = (request, made["id"])
            return made

    def _find(self, kind: str, ref: str) -> dict[str, Any]:
        with self.book.lock:
            found = getattr(self.book, kind).get(ref)
            if found is None:
                raise ProviderRejected("the in-memory provider answered 404: no such reference")
            return dict(found)


def _checked(validate: Any, data: dict[str, Any]) -> Any:
    try:
        return validate(data)
    except BadRequest as refused:
        error = refused.response.body["error"]
        raise ProviderRejected(
            f"the in-memory provider answered 422 ({error['code']}): {error['message']}"
        ) from None
