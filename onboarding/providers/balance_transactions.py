"""A merchant's balance transactions: every line that moved her money at the provider.

``GET /v1/accounts/{id}/balance_transactions?from=&to=&limit=&starting_after=`` lists them,
oldest first, a page at a time (``has_more``, and the last id of a page as the next
``starting_after``), the way Stripe's ``/v1/balance_transactions`` and Adyen's balance platform
transfers do. A list rather than totals per period because:

- the provider does not know where the seller's weeks and months begin (Africa/Casablanca, a
  Monday): we sum the lines ourselves, in her time zone, into any period the page wants;
- a statement for a lender needs the lines themselves, not only their sums;
- cursor pages stay correct while new sales arrive (an offset would skip or repeat lines).

A dashboard of 12 weeks and 12 months is then one request per 100 lines (one for almost every
seller), never one per period. Amounts are signed whole centimes: a sale and a won dispute's
reversal add; a fee, a refund, a dispute and a payout take away.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .base import ProviderError

TRANSACTION_TYPES = ("sale", "fee", "refund", "payout", "dispute", "dispute_reversal")
#: The most lines a provider sends in one page, and what we ask for.
PAGE_LIMIT = 100
#: A bound on the pages read for one list: 20,000 lines is far above a year of one seller.
MAX_PAGES = 200


@dataclass(frozen=True)
class BalanceTransaction:
    """One line of a merchant's balance: ``amount_minor`` is what it adds (negative: takes)."""

    ref: str
    account_ref: str
    type: str  # sale, fee, refund, payout, dispute, dispute_reversal
    amount_minor: int
    currency: str
    source: str  # the payment, refund, dispute or payout it comes from
    reference: str  # the order's, for a sale, fee, refund or dispute
    created: datetime
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class TransactionPage:
    transactions: list[BalanceTransaction]
    has_more: bool

    @property
    def next_cursor(self) -> str:
        """The ``starting_after`` of the next page; empty when there is none."""
        return self.transactions[-1].ref if self.has_more and self.transactions else ""


def _malformed(why: str) -> ProviderError:
    return ProviderError(f"the payments provider sent a malformed balance transaction list: {why}")


def _signed_rightly(kind: str, amount: Any) -> bool:
    if isinstance(amount, bool) or not isinstance(amount, int):
        return False
    return amount >= 0 if kind in ("sale", "dispute_reversal") else amount <= 0


def transaction_from_answer(item: Any, account_ref: str) -> BalanceTransaction:
    """One line of the list; :class:`ProviderError` if it is not one of ``account_ref``'s."""
    if not isinstance(item, Mapping):
        raise _malformed("a line is not an object")
    kind, amount, created = item.get("type"), item.get("amount_minor"), item.get("created")
    if kind not in TRANSACTION_TYPES:
        raise _malformed(f"unknown type {kind!r}")
    if not isinstance(amount, int) or not _signed_rightly(str(kind), amount):
        raise _malformed(f"the amount of a {kind} line is not a whole number of the right sign")
    if isinstance(created, bool) or not isinstance(created, int) or created < 0:
        raise _malformed("created is not Unix seconds")
    if item.get("account") != account_ref:
        raise _malformed("a line of another account")
    if item.get("currency") != "MAD":
        raise _malformed("a currency other than MAD")
    ref = item.get("id")
    if not isinstance(ref, str) or not ref:
        raise _malformed("a line without an id")
    texts = {name: item.get(name) for name in ("source", "reference")}
    return BalanceTransaction(
        ref=ref,
        account_ref=account_ref,
        type=str(kind),
        amount_minor=amount,
        currency="MAD",
        source=texts["source"] if isinstance(texts["source"], str) else "",
        reference=texts["reference"] if isinstance(texts["reference"], str) else "",
        created=datetime.fromtimestamp(created, UTC),
        raw=dict(item),
    )


def page_from_answer(body: Any, account_ref: str) -> TransactionPage:
    """The page in a provider's answer; :class:`ProviderError` if it is not one."""
    if not isinstance(body, Mapping) or body.get("object") != "list":
        raise _malformed("not a list")
    data, has_more = body.get("data"), body.get("has_more")
    if not isinstance(data, list) or not isinstance(has_more, bool):
        raise _malformed("no data or no has_more")
    transactions = [transaction_from_answer(item, account_ref) for item in data]
    if has_more and not transactions:
        raise _malformed("more pages announced after an empty one")
    if any(a.created > b.created for a, b in zip(transactions, transactions[1:], strict=False)):
        raise _malformed("the lines are not oldest first")
    return TransactionPage(transactions, has_more)
