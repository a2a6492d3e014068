"""Taking payments through a seller's merchant account: the values and the interface.

A payments backend that takes payments subclasses :class:`TakesPayments` beside
:class:`onboarding.providers.base.PaymentsBackend`. The buyer pays on the provider's hosted page
(:attr:`PaymentSession.hosted_url`); the outcome comes back as a signed ``payment.succeeded`` or
``payment.failed`` webhook, a refund's as ``refund.succeeded``, a dispute's as ``dispute.*``
(:mod:`.disputes`). Like ``account.updated``,
those webhooks arrive at least once and in any order: store the event by id, then re-fetch the
session or refund rather than trust the payload. Amounts are whole minor units (centimes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .balance_transactions import MAX_PAGES, PAGE_LIMIT, BalanceTransaction, TransactionPage
from .base import ProviderError, WebhookEvent, WebhookRejected
from .disputes import DISPUTE_EVENTS, TakesDisputes

SESSION_STATUSES = ("open", "succeeded", "failed", "expired")
REFUND_STATUSES = ("pending", "succeeded", "failed")
PAYMENT_EVENTS = ("payment.succeeded", "payment.failed", "refund.succeeded", *DISPUTE_EVENTS)


@dataclass(frozen=True)
class PaymentSession:
    """A buyer's payment of one order to one merchant account, as the provider serves it.

    ``status`` is open, succeeded, failed or expired; ``payment_ref`` is set once the buyer has
    paid or been declined. ``fee_minor`` is what the provider keeps from a successful payment.
    """

    ref: str
    status: str
    account_ref: str
    amount_minor: int
    fee_minor: int
    currency: str
    reference: str
    hosted_url: str
    payment_ref: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Refund:
    """Money returned to the buyer from a payment: ``pending`` until it settles."""

    ref: str
    status: str
    payment_ref: str
    amount_minor: int
    currency: str
    reference: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class PaymentEvent:
    """A verified ``payment.*``, ``refund.succeeded`` or ``dispute.*`` webhook."""

    id: str
    type: str
    created: int
    account_ref: str
    session_ref: str
    payment_ref: str
    reference: str  # the order's, as given to the session
    amount_minor: int  # the payment's, or the refund's
    fee_minor: int
    status: str
    refund_ref: str = ""
    failure_code: str = ""
    dispute_ref: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Balance:
    """A merchant's money at the provider, in centimes: all of it, or one period's.

    Every amount but ``net_minor`` is positive: the net is sales less fees, refunds, payouts and
    ``disputes_minor``, what disputes took less what won ones gave back.
    """

    account_ref: str
    sales_minor: int
    fees_minor: int
    refunds_minor: int
    payouts_minor: int
    net_minor: int
    pending_refunds_minor: int = 0
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    disputes_minor: int = 0


def _text(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    return value if isinstance(value, str) else ""


def _whole(body: Mapping[str, Any], name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(name)
    return value


def session_from_answer(body: Any) -> PaymentSession:
    """The session in a provider's answer; :class:`ProviderError` if it is not one."""
    try:
        session = PaymentSession(
            ref=body["id"],
            status=body["status"],
            account_ref=body["account"],
            amount_minor=_whole(body, "amount_minor"),
            fee_minor=_whole(body, "fee_minor"),
            currency=body["currency"],
            reference=body["reference"],
            hosted_url=body["hosted_url"],
            payment_ref=_text(body, "payment_id"),
            raw=body,
        )
    except (KeyError, TypeError):
        raise ProviderError("the payments provider sent a malformed payment session") from None
    if not all(isinstance(value, str) for value in (session.ref, session.status)):
        raise ProviderError("the payments provider sent a malformed payment session")
    return session


def refund_from_answer(body: Any) -> Refund:
    """The refund in a provider's answer; :class:`ProviderError` if it is not one."""
    try:
        return Refund(
            ref=str(body["id"]),
            status=str(body["status"]),
            payment_ref=str(body["payment"]),
            amount_minor=_whole(body, "amount_minor"),
            currency=str(body["currency"]),
            reference=_text(body, "reference"),
            raw=body,
        )
    except (KeyError, TypeError):
        raise ProviderError("the payments provider sent a malformed refund") from None


def balance_from_answer(body: Any) -> Balance:
    """The balance in a provider's answer; :class:`ProviderError` if it is not one."""
    try:
        amounts = {
            name: _whole(body, name)
            for name in ("sales_minor", "fees_minor", "refunds_minor", "payouts_minor", "net_minor")
        }
        pending = _whole(body, "pending_refunds_minor")
        disputes = _whole(body, "disputes_minor") if "disputes_minor" in body else 0
        return Balance(
            account_ref=str(body["account"]),
            **amounts,
            pending_refunds_minor=pending,
            raw=body,
            disputes_minor=disputes,
        )
    except (KeyError, TypeError):
        raise ProviderError("the payments provider sent a malformed balance") from None


def payment_event(event: WebhookEvent) -> PaymentEvent:
    """The payment, refund or dispute a verified webhook carries; :class:`WebhookRejected`
    otherwise."""
    if event.type not in PAYMENT_EVENTS:
        raise WebhookRejected(f"{event.type} is not a payment, refund or dispute event")
    name = event.type.partition(".")[0]
    data = event.raw.get("data")
    thing = data.get(name) if isinstance(data, dict) else None
    if not isinstance(thing, dict):
        raise WebhookRejected(f"the {event.type} event carries no {name}")
    try:
        is_refund = name == "refund"
        if name == "dispute":
            return PaymentEvent(
                id=event.id,
                type=event.type,
                created=event.created,
                account_ref=thing["account"],
                session_ref=thing.get("session") or "",
                payment_ref=thing["payment"],
                reference=thing.get("reference") or "",
                amount_minor=_whole(thing, "amount_minor"),
                fee_minor=0,
                status=thing["status"],
                dispute_ref=thing["id"],
                raw=event.raw,
            )
        return PaymentEvent(
            id=event.id,
            type=event.type,
            created=event.created,
            account_ref=thing["account"],
            session_ref=thing["session"],
            payment_ref=thing["payment"] if is_refund else thing["id"],
            reference=thing["reference"],
            amount_minor=_whole(thing, "amount_minor"),
            fee_minor=0 if is_refund else _whole(thing, "fee_minor"),
            status=thing["status"],
            refund_ref=thing["id"] if is_refund else "",
            failure_code=_text(thing, "failure_code"),
            raw=event.raw,
        )
    except (KeyError, TypeError):
        raise WebhookRejected(f"the {event.type} event lacks a field of its {name}") from None


class TakesPayments(TakesDisputes):
    """What a payments backend offers to take payments into a seller's merchant account, and
    to answer their disputes.

    Each creation takes an idempotency key that the caller fixes once (an order's outbox row)
    and sends on every retry: the same key never makes a second session or refund, and the same
    key with another request is refused for good. Raise ``ProviderError`` for what a retry may
    fix and ``ProviderRejected`` for what it cannot (a closed account, a refund above what is
    left, an unknown reference).
    """

    def hosted_page_origins(self) -> list[str]:
        """The origins (scheme, host and port) :attr:`PaymentSession.hosted_url` may lead to.

        A form answered by a redirect to the hosted page must allow them in its
        Content-Security-Policy ``form-action``: browsers check the redirect against it too.
        """
        return []

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
        """Open a session for ``amount_minor`` MAD centimes into ``account_ref`` (active only).

        ``reference`` is the order's, opaque to the provider and given back in each webhook.
        The buyer is sent to :attr:`PaymentSession.hosted_url`, then back to ``return_url``
        (or ``cancel_url``) with ``session_id`` added to its query.
        """
        raise NotImplementedError

    def get_payment_session(self, ref: str) -> PaymentSession:
        raise NotImplementedError

    def refund(
        self, *, payment_ref: str, amount_minor: int, idempotency_key: str, reason: str = ""
    ) -> Refund:
        """Return ``amount_minor`` of a successful payment, at most what is left of it."""
        raise NotImplementedError

    def get_refund(self, ref: str) -> Refund:
        raise NotImplementedError

    def get_balance(
        self, account_ref: str, since: datetime | None = None, until: datetime | None = None
    ) -> Balance:
        """Sales, fees, refunds and payouts of ``account_ref``: all, or from ``since``
        (included) to ``until`` (excluded), e.g. one week of the seller's dashboard."""
        raise NotImplementedError

    def list_balance_transactions(
        self,
        account_ref: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = PAGE_LIMIT,
        starting_after: str = "",
    ) -> TransactionPage:
        """One page of ``account_ref``'s balance lines written from ``since`` (included) to
        ``until`` (excluded), oldest first, after the line ``starting_after``: see
        :mod:`onboarding.providers.balance_transactions` for why a list and not totals."""
        raise NotImplementedError

    def balance_transactions(
        self, account_ref: str, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[BalanceTransaction]:
        """Every line of the period, page after page; :class:`ProviderError` past
        :data:`~onboarding.providers.balance_transactions.MAX_PAGES` pages or a cursor that
        does not move on (a provider bug must not loop for ever)."""
        lines: list[BalanceTransaction] = []
        cursor = ""
        for _page in range(MAX_PAGES):
            page = self.list_balance_transactions(
                account_ref, since=since, until=until, starting_after=cursor
            )
            lines.extend(page.transactions)
            if not page.has_more:
                return lines
            if page.next_cursor == cursor:
                raise ProviderError("the payments provider sent the same page twice")
            cursor = page.next_cursor
        raise ProviderError(f"the balance transactions take more than {MAX_PAGES} pages")

    if TYPE_CHECKING:  # PaymentsBackend's, beside which this is always subclassed

        def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent: ...

    def parse_payment_webhook(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent:
        """Verify a webhook as :meth:`parse_webhook` does, then read its payment or refund."""
        return payment_event(self.parse_webhook(body, headers))
