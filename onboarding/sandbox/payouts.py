"""Payouts and the balance transaction list, kept by the sandbox.

Every ``payout_interval`` seconds (a day by default, 0 to stop) the sandbox pays each merchant
what her ledger holds, less the refunds still pending (they are held), as one ``payout`` line,
like a real provider's daily automatic payout to the seller's bank or wallet.
``POST /_sandbox/payouts/run`` does the same at once, for tests. The ledger lines are what
``GET /v1/accounts/{id}/balance_transactions`` lists, oldest first, a page at a time, with a
cursor (``starting_after``, the last id of the page before), as Stripe does.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import TYPE_CHECKING, Any, TypedDict

from .responses import Response, error
from .sales import CURRENCY, LedgerLine

if TYPE_CHECKING:
    from .config import Config
    from .domain import AccountRecord
    from .sales import Refund
    from .scheduler import Scheduler

PAGE_LIMIT = 100


class Payout(TypedDict):
    id: str
    object: str
    account: str
    amount_minor: int
    currency: str
    status: str  # paid: the sandbox's payouts never fail
    created: int


def transaction(line: LedgerLine) -> dict[str, Any]:
    """A ledger line as ``balance_transactions`` lists it."""
    return {
        "id": line["id"],
        "object": "balance_transaction",
        "account": line["account"],
        "type": line["type"],
        "amount_minor": line["amount_minor"],
        "currency": line["currency"],
        "source": line.get("payout") or line.get("dispute") or line["refund"] or line["payment"],
        "reference": line["reference"],
        "created": line["created"],
    }


def _whole(query: dict[str, str], name: str, default: int) -> int | Response:
    value = query.get(name, str(default))
    if not value.isdigit():
        return error(400, "parameter_invalid", f"{name} must be a whole number.", name)
    return int(value)


class Payouts:
    """The part of :class:`onboarding.sandbox.provider.Sandbox` that pays merchants out."""

    lock: threading.RLock
    config: Config
    scheduler: Scheduler
    generation: int
    accounts: dict[str, AccountRecord]
    refunds: dict[str, Refund]
    ledger: list[LedgerLine]
    payouts: dict[str, Payout]

    def _save(self) -> None:
        raise NotImplementedError

    def schedule_payouts(self) -> None:
        """Queue the next automatic run, unless ``payout_interval`` is 0."""
        if self.config.payout_interval > 0:
            self.scheduler.call_later(
                self.config.payout_interval, self._scheduled_payouts, self.generation
            )

    def _scheduled_payouts(self, generation: int) -> None:
        with self.lock:
            if generation != self.generation:  # a reset queued its own run
                return
            self.run_payouts()
            self.schedule_payouts()

    def run_payouts(self) -> Response:
        """Pay every merchant her available balance now: one payout line each, if positive."""
        made: list[Payout] = []
        with self.lock:
            available: dict[str, int] = {}
            for line in self.ledger:
                available[line["account"]] = (
                    available.get(line["account"], 0) + line["amount_minor"]
                )
            for refund in self.refunds.values():
                if refund["status"] == "pending" and refund["account"] in available:
                    available[refund["account"]] -= refund["amount_minor"]
            for account, amount in available.items():
                if amount > 0:
                    made.append(self._pay_out(account, amount))
            if made:
                self._save()
        return Response(200, {"payouts": made})

    def _pay_out(self, account: str, amount: int) -> Payout:
        now = int(time.time())
        payout: Payout = {
            "id": f"po_{secrets.token_hex(12)}",
            "object": "payout",
            "account": account,
            "amount_minor": amount,
            "currency": CURRENCY,
            "status": "paid",
            "created": now,
        }
        self.payouts[payout["id"]] = payout
        self.ledger.append(
            {
                "id": f"ln_{len(self.ledger) + 1:06d}",
                "account": account,
                "type": "payout",
                "amount_minor": -amount,
                "currency": CURRENCY,
                "payment": "",
                "refund": None,
                "payout": payout["id"],
                "reference": "",
                "created": now,
            }
        )
        return payout

    def balance_transactions(self, account_id: str, query: dict[str, str]) -> Response:
        """One page of the account's ledger lines in ``[from, to)``, after ``starting_after``."""
        numbers = [
            _whole(query, "from", 0),
            _whole(query, "to", 2**63),
            _whole(query, "limit", PAGE_LIMIT),
        ]
        for number in numbers:
            if isinstance(number, Response):
                return number
        start, end, limit = (int(number) for number in numbers)  # type: ignore[arg-type]
        if not 1 <= limit <= PAGE_LIMIT:
            return error(400, "parameter_invalid", f"limit is 1 to {PAGE_LIMIT}.", "limit")
        with self.lock:
            if account_id not in self.accounts:
                return error(404, "resource_missing", f"No such account: {account_id}")
            lines = [
                line
                for line in self.ledger
                if line["account"] == account_id and start <= line["created"] < end
            ]
            after = query.get("starting_after")
            if after is not None:
                ids = [line["id"] for line in lines]
                if after not in ids:
                    return error(
                        400,
                        "parameter_invalid",
                        "starting_after is the id of a line of this list.",
                        "starting_after",
                    )
                lines = lines[ids.index(after) + 1 :]
            return Response(
                200,
                {
                    "object": "list",
                    "url": f"/v1/accounts/{account_id}/balance_transactions",
                    "data": [transaction(line) for line in lines[:limit]],
                    "has_more": len(lines) > limit,
                },
            )
