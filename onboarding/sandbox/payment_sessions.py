"""Payment sessions, payments, refunds and each merchant's ledger, kept by the sandbox.

``POST /v1/payment_sessions`` opens a session for an active merchant account; the buyer pays on
the hosted page (:mod:`.hosted_page`), which ends the session with one payment, succeeded or
failed, and a signed ``payment.succeeded`` or ``payment.failed`` webhook. ``POST /v1/refunds``
returns part or all of a payment: the refund is ``pending``, settles after ``refund_delay`` and
sends ``refund.succeeded``. Every sale, fee and refund is a line of the merchant's ledger, which
``GET /_sandbox/ledger`` shows whole so that a test can compare it with its own, to the centime.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, TypedDict

from .domain import ACTIVE, AccountRecord, fingerprint
from .responses import Response, error
from .sales import (
    LedgerLine,
    Payment,
    Refund,
    Session,
    ledger_line,
    new_payment,
    new_refund,
    new_session,
    totals,
    validate_refund,
    validate_session,
)
from .stats import count

if TYPE_CHECKING:
    from .config import Config
    from .disputes import Dispute
    from .payouts import Payout
    from .scheduler import Scheduler
    from .stats import Stats
    from .webhooks import Webhooks


class KeyRecord(TypedDict):
    fingerprint: str
    id: str  # the session or refund the key made


class PaymentSessions:
    """The part of :class:`onboarding.sandbox.provider.Sandbox` that takes payments."""

    lock: threading.RLock
    config: Config
    stats: Stats
    scheduler: Scheduler
    webhooks: Webhooks
    generation: int
    accounts: dict[str, AccountRecord]
    sessions: dict[str, Session]
    payments: dict[str, Payment]
    refunds: dict[str, Refund]
    ledger: list[LedgerLine]
    payment_keys: dict[str, KeyRecord]  # "<route>:<idempotency key>"
    payouts: dict[str, Payout]
    disputes: dict[str, Dispute]

    def _save(self) -> None:
        raise NotImplementedError

    if TYPE_CHECKING:  # Disputes's, beside which this is always mixed in

        def dispute_later(self, payment_id: str) -> None: ...

    def reset_payments(self) -> None:
        self.sessions, self.payments, self.refunds = {}, {}, {}
        self.ledger, self.payment_keys, self.payouts = [], {}, {}
        self.disputes = {}

    def payments_state(self) -> dict[str, Any]:
        """What a state file keeps of the payments side."""
        return {
            "sessions": self.sessions,
            "payments": self.payments,
            "refunds": self.refunds,
            "ledger": self.ledger,
            "payment_keys": self.payment_keys,
            "payouts": self.payouts,
            "disputes": self.disputes,
        }

    def load_payments(self, saved: dict[str, Any]) -> None:
        for name, value in self.payments_state().items():
            setattr(self, name, saved.get(name, value))

    # Sessions ------------------------------------------------------------------------------

    def create_session(self, data: Any, key: str | None, base_url: str) -> Response:
        checked = validate_session(data)

        def create() -> Response:
            record = self.accounts.get(checked["account"])
            if record is None:
                return error(422, "resource_missing", "No such merchant account.", "account")
            status = record["account"]["status"]
            if status != ACTIVE:
                return error(
                    422,
                    "account_not_active",
                    f"The merchant account is {status}: only an active account takes payments.",
                    "account",
                )
            session = new_session(checked, base_url, self.config.session_lifetime)
            self.sessions[session["id"]] = session
            self.stats["payment_sessions_created"] += 1
            return Response(201, dict(session))

        return self._idempotent("payment_sessions", key, data, create, self.sessions)

    def get_session(self, session_id: str) -> Response:
        with self.lock:
            session = self.current_session(session_id)
            if session is None:
                return error(404, "resource_missing", f"No such payment session: {session_id}")
            return Response(200, dict(session))

    def current_session(self, session_id: str) -> Session | None:
        """The session, expired first if its time is up; the caller holds the lock."""
        session = self.sessions.get(session_id)
        if session and session["status"] == "open" and time.time() > session["expires_at"]:
            session["status"] = "expired"
            session["updated"] = int(time.time())
        return session

    def merchant_name(self, session: Session) -> str:
        record = self.accounts.get(session["account"])
        return record["account"]["business_name"] if record else ""

    def complete_session(
        self, session_id: str, method: str, failure_code: str, disputed: bool = False
    ) -> Session | None:
        """End an open session with one payment; None if it is unknown or no longer open.

        A second press of the pay button finds the session ended and makes no second payment.
        """
        with self.lock:
            session = self.current_session(session_id)
            if session is None or session["status"] != "open":
                return None
            payment = new_payment(session, method, failure_code)
            self.payments[payment["id"]] = payment
            session["status"] = payment["status"]
            session["payment_id"] = payment["id"]
            session["updated"] = int(time.time())
            if payment["status"] == "succeeded":
                self.stats["payments_succeeded"] += 1
                count(self.stats["payments_by_reference"], payment["reference"])
                self._write(payment, "sale", payment["amount_minor"])
                self._write(payment, "fee", -payment["fee_minor"])
                if disputed:
                    self.dispute_later(payment["id"])
            else:
                self.stats["payments_failed"] += 1
            self.webhooks.emit_event(
                f"payment.{payment['status']}", "payment", dict(payment), payment["id"]
            )
            self._save()
            return dict(session)  # type: ignore[return-value]

    def _write(self, payment: Payment, kind: str, amount: int, refund: str | None = None) -> None:
        self.ledger.append(ledger_line(len(self.ledger) + 1, payment, kind, amount, refund))

    # Refunds -------------------------------------------------------------------------------

    def create_refund(self, data: Any, key: str | None) -> Response:
        payment_id, amount = validate_refund(data)

        def create() -> Response:
            payment = self.payments.get(payment_id)
            if payment is None:
                return error(422, "resource_missing", "No such payment.", "payment")
            if payment["status"] != "succeeded":
                return error(422, "payment_not_refundable", "The payment failed.", "payment")
            refundable = payment["amount_minor"] - payment["refunded_minor"]
            if amount > refundable:
                return error(
                    422,
                    "amount_too_large",
                    f"At most {refundable} centimes of this payment are left to refund.",
                    "amount_minor",
                )
            # Held at once, so two refunds together can never return more than was paid.
            payment["refunded_minor"] += amount
            refund = new_refund(payment, amount)
            self.refunds[refund["id"]] = refund
            self.stats["refunds_created"] += 1
            self.scheduler.call_later(
                self.config.refund_delay, self._settle_refund, refund["id"], self.generation
            )
            return Response(201, dict(refund))

        return self._idempotent("refunds", key, data, create, self.refunds)

    def get_refund(self, refund_id: str) -> Response:
        with self.lock:
            refund = self.refunds.get(refund_id)
            if refund is None:
                return error(404, "resource_missing", f"No such refund: {refund_id}")
            return Response(200, dict(refund))

    def _settle_refund(self, refund_id: str, generation: int) -> None:
        with self.lock:
            refund = self.refunds.get(refund_id)
            if generation != self.generation or refund is None or refund["status"] != "pending":
                return
            refund["status"] = "succeeded"
            refund["updated"] = int(time.time())
            payment = self.payments[refund["payment"]]
            self._write(payment, "refund", -refund["amount_minor"], refund["id"])
            self.webhooks.emit_event("refund.succeeded", "refund", dict(refund), payment["id"])
            self._save()

    # Ledger --------------------------------------------------------------------------------

    def balance(self, account_id: str, period: dict[str, str]) -> Response:
        """The account's totals, of the lines written from ``period["from"]`` (Unix seconds,
        included) to ``period["to"]`` (excluded) when they are given: a week, a month."""
        bounds = []
        for name, default in (("from", 0), ("to", 2**63)):
            value = period.get(name, str(default))
            if not value.isdigit():
                return error(400, "parameter_invalid", f"{name} is Unix seconds.", name)
            bounds.append(int(value))
        start, end = bounds
        with self.lock:
            if account_id not in self.accounts:
                return error(404, "resource_missing", f"No such account: {account_id}")
            lines = [
                line
                for line in self.ledger
                if line["account"] == account_id and start <= line["created"] < end
            ]
            pending = sum(
                refund["amount_minor"]
                for refund in self.refunds.values()
                if refund["account"] == account_id and refund["status"] == "pending"
            )
            body = {"object": "balance", "account": account_id, "currency": "MAD"}
            return Response(200, {**body, **totals(lines), "pending_refunds_minor": pending})

    def show_ledger(self) -> Response:
        with self.lock:
            accounts = sorted({line["account"] for line in self.ledger})
            by_account = {
                account: totals([line for line in self.ledger if line["account"] == account])
                for account in accounts
            }
            return Response(200, {"lines": list(self.ledger), "accounts": by_account})

    # Idempotency ---------------------------------------------------------------------------

    def _idempotent(
        self,
        route: str,
        key: str | None,
        data: Any,
        create: Any,
        made: dict[str, Any],
    ) -> Response:
        """Run ``create`` once per key; a retry gets what the key made, as it is now."""
        if not key or len(key) > 255:
            return error(
                400,
                "idempotency_key_missing",
                "Send an Idempotency-Key header (at most 255 characters), the same on retries.",
            )
        body_fingerprint = fingerprint(data)
        with self.lock:
            known = self.payment_keys.get(f"{route}:{key}")
            if known is not None:
                if known["fingerprint"] != body_fingerprint:
                    return error(
                        409,
                        "idempotency_key_reused",
                        "This Idempotency-Key was used with a different body.",
                    )
                self.stats["idempotent_replays"] += 1
                if route == "payment_sessions":
                    self.current_session(known["id"])
                return Response(200, dict(made[known["id"]]), {"Idempotent-Replayed": "true"})
            response: Response = create()
            if response.status == 201:
                self.payment_keys[f"{route}:{key}"] = {
                    "fingerprint": body_fingerprint,
                    "id": response.body["id"],
                }
                self._save()
            return response
