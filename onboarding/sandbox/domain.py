"""Merchant accounts: their statuses and requirements, what opens one, and where it ends up.

Plain rules with no state: :mod:`.provider` keeps the accounts and decides when these run.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from typing import Any, NotRequired, TypedDict

from .responses import BadRequest

PENDING, ACTIVE, RESTRICTED, REJECTED = "pending", "active", "restricted", "rejected"
CLOSED = "closed"  # at the merchant's request: final
STATUSES = (PENDING, ACTIVE, RESTRICTED, REJECTED, CLOSED)

# Magic national ID endings: they choose where a new account ends up, as real providers' test
# modes do. Any other ID is activated after the activation delay.
MAGIC_OUTCOMES: dict[str, tuple[str | None, list[str]]] = {
    "0000": (RESTRICTED, ["identity_document"]),
    "9999": (REJECTED, []),
    "1111": (None, []),  # stays pending until /_sandbox/accounts/{id} moves it
}
DEFAULT_OUTCOME: tuple[str | None, list[str]] = (ACTIVE, [])

RIB = re.compile(r"\d{24}")

# The globally unique identifier of the sandbox's merchant-presented QR codes (EMV QRCPS).
MERCHANT_QR_GUI = "ma.maalem.sandbox"


class Account(TypedDict):
    """An account as the API shows it; it never carries the applicant's personal data."""

    id: str
    object: str
    status: str
    requirements: list[str]
    business_name: str
    payout: dict[str, str]
    metadata: dict[str, str]
    created: int
    updated: int
    livemode: bool
    merchant_qr: NotRequired[dict[str, str] | None]


class AccountRecord(TypedDict):
    account: Account
    outcome: str | None  # where the account settles; None once it is moved by hand
    outcome_requirements: list[str]


class IdempotencyRecord(TypedDict):
    fingerprint: str
    account_id: str | None  # None while the first request with the key is still at work


class Move(TypedDict):
    """A move by hand, as the provider's back office makes it."""

    status: str
    requirements: list[str]


def validate_applicant(data: Any) -> None:
    """Raise :class:`BadRequest` (422) naming the first field that is wrong, never its value."""
    if not isinstance(data, dict):
        raise BadRequest(422, "invalid_body", "The body must be a JSON object.")
    for name in ("name", "phone", "national_id", "shop_name"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise BadRequest(422, "parameter_missing", f"{name} is required.", name)
    payout = data.get("payout")
    if not isinstance(payout, dict) or payout.get("type") not in ("wallet", "bank"):
        raise BadRequest(
            422, "parameter_invalid", "payout.type must be wallet or bank.", "payout.type"
        )
    if payout["type"] == "bank" and not RIB.fullmatch(str(payout.get("rib", ""))):
        raise BadRequest(422, "parameter_invalid", "payout.rib must be 24 digits.", "payout.rib")
    if payout["type"] == "wallet" and not isinstance(payout.get("phone"), str):
        raise BadRequest(422, "parameter_missing", "payout.phone is required.", "payout.phone")
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict) or not all(
        isinstance(value, str | int) for value in metadata.values()
    ):
        raise BadRequest(
            422, "parameter_invalid", "metadata must map names to strings.", "metadata"
        )


def fingerprint(applicant: Any) -> str:
    """Tells a retry of one request (same body) from a reuse of its key (another body)."""
    canonical = json.dumps(applicant, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def new_account(applicant: dict[str, Any]) -> AccountRecord:
    """A pending account for a valid applicant, with the outcome its national ID chooses."""
    outcome, requirements = MAGIC_OUTCOMES.get(applicant["national_id"][-4:], DEFAULT_OUTCOME)
    metadata = {key: str(value) for key, value in applicant.get("metadata", {}).items()}
    return account_record(
        f"acct_{secrets.token_hex(8)}",
        applicant["shop_name"],
        applicant["payout"]["type"],
        metadata,
        (outcome, requirements),
    )


def account_record(
    account_id: str,
    business_name: str,
    payout_type: str,
    metadata: dict[str, str],
    outcome: tuple[str | None, list[str]],
) -> AccountRecord:
    """A pending account record as the state file keeps it, settling at ``outcome``.

    :func:`new_account` opens one for an applicant; :mod:`.seeding` writes one with a
    reference chosen elsewhere (the demo's) into a state file.
    """
    now = int(time.time())
    status, requirements = outcome
    account: Account = {
        "id": account_id,
        "object": "account",
        "status": PENDING,
        "requirements": list(requirements),
        "business_name": business_name,
        "payout": {"type": payout_type},
        "metadata": dict(metadata),
        "created": now,
        "updated": now,
        "livemode": False,
    }
    return {"account": account, "outcome": status, "outcome_requirements": list(requirements)}


def set_status(account: Account, status: str) -> None:
    """Move ``account`` to ``status``; an active account gets its QR identifiers (the same
    every time), any other has none: it cannot be paid."""
    account["status"] = status
    if status != ACTIVE:
        account["merchant_qr"] = None
        return
    number = int(hashlib.sha256(account["id"].encode()).hexdigest()[:15], 16) % 10**15
    account["merchant_qr"] = {"gui": MERCHANT_QR_GUI, "merchant_id": f"{number:015d}"}


def validate_move(changes: Any) -> Move:
    """Raise :class:`BadRequest` (422) unless ``changes`` names a status and a requirement list."""
    if not isinstance(changes, dict) or changes.get("status") not in STATUSES:
        raise BadRequest(
            422,
            "parameter_invalid",
            "status must be pending, active, restricted or rejected.",
            "status",
        )
    requirements = changes.get("requirements", [])
    if not isinstance(requirements, list):
        raise BadRequest(422, "parameter_invalid", "requirements must be a list.", "requirements")
    return {"status": changes["status"], "requirements": requirements}
