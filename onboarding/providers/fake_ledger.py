"""The in-memory provider's balance lines, made from its payments, refunds, disputes and
payouts.

The sandbox writes a ledger as money moves (:mod:`onboarding.sandbox.payouts`); the in-memory
provider derives the same lines from what it keeps, when asked, and answers with the same
shapes, so :func:`~onboarding.providers.balance_transactions.page_from_answer` reads both.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from .base import ProviderRejected


def lines_of(book: Any, account_ref: str) -> list[dict[str, Any]]:
    """Every balance line of ``account_ref``, oldest first; the caller holds the book's lock."""
    lines: list[tuple[int, int, dict[str, Any]]] = []

    def add(kind: str, amount: int, source: str, reference: str, created: int) -> None:
        line = {
            "id": f"txn_{source}_{kind}",  # one line per kind and source
            "object": "balance_transaction",
            "account": account_ref,
            "type": kind,
            "amount_minor": amount,
            "currency": "MAD",
            "source": source,
            "reference": reference,
            "created": created,
        }
        lines.append((created, len(lines), line))

    for payment in book.payments.values():
        if payment["account"] == account_ref and payment["status"] == "succeeded":
            add(
                "sale",
                payment["amount_minor"],
                payment["id"],
                payment["reference"],
                payment["created"],
            )
            add(
                "fee",
                -payment["fee_minor"],
                payment["id"],
                payment["reference"],
                payment["created"],
            )
    for refund in book.refunds.values():
        if refund["account"] == account_ref and refund["status"] == "succeeded":
            add(
                "refund",
                -refund["amount_minor"],
                refund["id"],
                refund["reference"],
                refund["updated"],
            )
    for dispute in getattr(book, "disputes", {}).values():
        if dispute["account"] == account_ref:
            source, reference = dispute["id"], dispute["reference"]
            add("dispute", -dispute["amount_minor"], source, reference, dispute["created"])
            if dispute["status"] == "won":
                add(
                    "dispute_reversal",
                    dispute["amount_minor"],
                    source,
                    reference,
                    dispute["updated"],
                )
    for payout in book.payouts.values():
        if payout["account"] == account_ref:
            add("payout", -payout["amount_minor"], payout["id"], "", payout["created"])
    return [line for _created, _order, line in sorted(lines, key=lambda item: item[:2])]


def page_of(
    lines: list[dict[str, Any]], start: float, end: float, limit: int, starting_after: str
) -> dict[str, Any]:
    """The answer the sandbox would give for one page of ``lines``."""
    chosen = [line for line in lines if start <= line["created"] < end]
    if starting_after:
        ids = [line["id"] for line in chosen]
        if starting_after not in ids:
            raise ProviderRejected("the in-memory provider answered 400: unknown starting_after")
        chosen = chosen[ids.index(starting_after) + 1 :]
    return {"object": "list", "data": chosen[:limit], "has_more": len(chosen) > limit}


def pay_out(book: Any, account_ref: str) -> dict[str, Any] | None:
    """Pay out what ``account_ref`` has, less refunds still held; None when that is nothing."""
    with book.lock:
        available = sum(line["amount_minor"] for line in lines_of(book, account_ref))
        available -= sum(
            refund["amount_minor"]
            for refund in book.refunds.values()
            if refund["account"] == account_ref and refund["status"] == "pending"
        )
        if available <= 0:
            return None
        payout = {
            "id": f"po_{secrets.token_hex(12)}",
            "object": "payout",
            "account": account_ref,
            "amount_minor": available,
            "currency": "MAD",
            "status": "paid",
            "created": int(time.time()),
        }
        book.payouts[payout["id"]] = payout
        return dict(payout)
