"""Payment sessions, payments, refunds and the ledger: the rules, with no state.

:mod:`.payment_sessions` keeps the records and decides when these run. Amounts are whole minor
units (centimes of a dirham), never floats. The sandbox's fee is fixed: 1.5 % of the amount,
rounded half up to the centime, plus 1 MAD; it is taken from each sale and kept on a refund.
"""

from __future__ import annotations

import re
import secrets
import time
from typing import Any, NotRequired, TypedDict

from .responses import BadRequest

CURRENCY = "MAD"
MIN_AMOUNT = 500  # 5 MAD: below it the fixed part of the fee would eat the sale
MAX_AMOUNT = 10_000_000  # 100,000 MAD
FEE_PER_MILLE = 15  # 1.5 %
FEE_FIXED = 100  # 1 MAD
SESSION_FIELDS = {
    "account",
    "amount_minor",
    "currency",
    "reference",
    "description",
    "return_url",
    "cancel_url",
    "buyer_phone",
}
# Printable ASCII without spaces: the buyer is redirected there, so no header can be smuggled in.
URL_CHARACTERS = re.compile(r"^[\x21-\x7e]{1,2048}$")
LOCAL_URL = re.compile(r"^http://(127\.0\.0\.1|localhost)(:\d+)?(/|$)")
PHONE = re.compile(r"^\+\d{8,15}$")
REFERENCE = re.compile(r"^[\x21-\x7e]{1,64}$")

# What each test method of the hosted page does: (kind, outcome, failure code).
SUCCEEDS, DECLINED, CHALLENGE = "succeeds", "declined", "3ds"
TEST_METHODS: dict[str, tuple[str, str, str]] = {
    "4242424242424242": ("card", SUCCEEDS, ""),
    "4000000000000002": ("card", DECLINED, "card_declined"),
    "4000000000003220": ("card", CHALLENGE, ""),
    "4000000000000259": ("card", SUCCEEDS, ""),  # paid, then disputed (see .disputes)
    "wallet_succeeds": ("wallet", SUCCEEDS, ""),
    "wallet_declined": ("wallet", DECLINED, "insufficient_funds"),
}
CHALLENGE_CODE = "123456"
DISPUTED_CARD = "4000000000000259"


def fee(amount_minor: int) -> int:
    """The sandbox's fee on a sale: 1.5 % rounded half up to the centime, plus 1 MAD."""
    return (amount_minor * FEE_PER_MILLE + 500) // 1000 + FEE_FIXED


class Session(TypedDict):
    id: str
    object: str
    status: str  # open, succeeded, failed, expired
    account: str
    amount_minor: int
    fee_minor: int
    currency: str
    reference: str
    description: str
    return_url: str
    cancel_url: str
    hosted_url: str
    payment_id: str | None
    created: int
    updated: int
    expires_at: int
    livemode: bool


class Payment(TypedDict):
    id: str
    object: str
    status: str  # succeeded, failed
    session: str
    account: str
    reference: str
    amount_minor: int
    fee_minor: int
    currency: str
    method: str  # card, wallet
    failure_code: str | None
    refunded_minor: int
    created: int


class Refund(TypedDict):
    id: str
    object: str
    status: str  # pending, succeeded, failed
    payment: str
    session: str
    account: str
    reference: str
    amount_minor: int
    currency: str
    created: int
    updated: int


class LedgerLine(TypedDict):
    id: str
    account: str
    type: str  # sale, fee, refund, payout, dispute, dispute_reversal
    amount_minor: int  # signed: what the line adds to the merchant's balance
    currency: str
    payment: str  # empty on a payout line
    refund: str | None
    payout: str | None
    dispute: NotRequired[str]  # on dispute and dispute_reversal lines
    reference: str
    created: int


def _invalid(code: str, message: str, param: str) -> BadRequest:
    return BadRequest(422, code, message, param)


def _amount(data: dict[str, Any], name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid("parameter_invalid", f"{name} must be a whole number of centimes.", name)
    return value


def validate_session(data: Any) -> dict[str, Any]:
    """The checked ``POST /v1/payment_sessions`` body; :class:`BadRequest` 422 names the field."""
    if not isinstance(data, dict):
        raise BadRequest(422, "invalid_body", "The body must be a JSON object.")
    unknown = set(data) - SESSION_FIELDS
    if unknown:
        raise BadRequest(422, "parameter_unknown", f"Unknown: {', '.join(sorted(unknown))}.")
    if not isinstance(data.get("account"), str) or not data["account"]:
        raise _invalid("parameter_missing", "account is required.", "account")
    amount = _amount(data, "amount_minor")
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise _invalid(
            "amount_invalid",
            f"amount_minor must be {MIN_AMOUNT} to {MAX_AMOUNT} centimes.",
            "amount_minor",
        )
    if data.get("currency", CURRENCY) != CURRENCY:
        raise _invalid("currency_invalid", "currency must be MAD.", "currency")
    if not isinstance(data.get("reference"), str) or not REFERENCE.fullmatch(data["reference"]):
        raise _invalid(
            "parameter_invalid", "reference is 1 to 64 printable ASCII characters.", "reference"
        )
    description = data.get("description")
    if not isinstance(description, str) or not 1 <= len(description) <= 200:
        raise _invalid("parameter_invalid", "description is 1 to 200 characters.", "description")
    for name in ("return_url", "cancel_url"):
        url = data.get(name)
        if not isinstance(url, str) or not URL_CHARACTERS.fullmatch(url):
            raise _invalid("url_invalid", f"{name} must be a URL of at most 2048 characters.", name)
        if not (url.startswith("https://") or LOCAL_URL.match(url)):
            raise _invalid("url_invalid", f"{name} must be https (or http://127.0.0.1 here).", name)
    phone = data.get("buyer_phone")
    if phone is not None and (not isinstance(phone, str) or not PHONE.fullmatch(phone)):
        raise _invalid("parameter_invalid", "buyer_phone must be E.164.", "buyer_phone")
    return {**data, "currency": CURRENCY}


def new_session(data: dict[str, Any], base_url: str, lifetime: float) -> Session:
    now = int(time.time())
    session_id = f"ps_{secrets.token_hex(12)}"
    return {
        "id": session_id,
        "object": "payment_session",
        "status": "open",
        "account": data["account"],
        "amount_minor": data["amount_minor"],
        "fee_minor": fee(data["amount_minor"]),
        "currency": CURRENCY,
        "reference": data["reference"],
        "description": data["description"],
        "return_url": data["return_url"],
        "cancel_url": data["cancel_url"],
        "hosted_url": f"{base_url}/pay/{session_id}",
        "payment_id": None,
        "created": now,
        "updated": now,
        "expires_at": now + int(lifetime),
        "livemode": False,
    }


def new_payment(session: Session, method: str, failure_code: str) -> Payment:
    return {
        "id": f"pay_{secrets.token_hex(12)}",
        "object": "payment",
        "status": "failed" if failure_code else "succeeded",
        "session": session["id"],
        "account": session["account"],
        "reference": session["reference"],
        "amount_minor": session["amount_minor"],
        "fee_minor": 0 if failure_code else session["fee_minor"],
        "currency": CURRENCY,
        "method": method,
        "failure_code": failure_code or None,
        "refunded_minor": 0,
        "created": int(time.time()),
    }


def validate_refund(data: Any) -> tuple[str, int]:
    """The payment id and amount of a ``POST /v1/refunds`` body; :class:`BadRequest` 422."""
    if not isinstance(data, dict):
        raise BadRequest(422, "invalid_body", "The body must be a JSON object.")
    unknown = set(data) - {"payment", "amount_minor", "reason"}
    if unknown:
        raise BadRequest(422, "parameter_unknown", f"Unknown: {', '.join(sorted(unknown))}.")
    if not isinstance(data.get("payment"), str) or not data["payment"]:
        raise _invalid("parameter_missing", "payment is required.", "payment")
    amount = _amount(data, "amount_minor")
    if amount <= 0:
        raise _invalid("amount_invalid", "amount_minor must be above 0.", "amount_minor")
    return data["payment"], amount


def new_refund(payment: Payment, amount_minor: int) -> Refund:
    now = int(time.time())
    return {
        "id": f"re_{secrets.token_hex(12)}",
        "object": "refund",
        "status": "pending",
        "payment": payment["id"],
        "session": payment["session"],
        "account": payment["account"],
        "reference": payment["reference"],
        "amount_minor": amount_minor,
        "currency": CURRENCY,
        "created": now,
        "updated": now,
    }


def ledger_line(
    number: int, payment: Payment, kind: str, amount_minor: int, refund: str | None = None
) -> LedgerLine:
    return {
        "id": f"ln_{number:06d}",
        "account": payment["account"],
        "type": kind,
        "amount_minor": amount_minor,
        "currency": CURRENCY,
        "payment": payment["id"],
        "refund": refund,
        "payout": None,
        "reference": payment["reference"],
        "created": int(time.time()),
    }


def totals(lines: list[LedgerLine]) -> dict[str, int]:
    """Sales, fees, refunds and payouts of some ledger lines (positive numbers), what disputes
    took (less what won disputes gave back), and the net."""
    sums = {"sale": 0, "fee": 0, "refund": 0, "payout": 0, "dispute": 0, "dispute_reversal": 0}
    for line in lines:
        sums[line["type"]] += line["amount_minor"]
    return {
        "sales_minor": sums["sale"],
        "fees_minor": -sums["fee"],
        "refunds_minor": -sums["refund"],
        "payouts_minor": -sums["payout"],
        "disputes_minor": -(sums["dispute"] + sums["dispute_reversal"]),
        "net_minor": sum(sums.values()),
    }
