"""What the seller sends when the provider asks for more: documents and corrected details.

``POST /v1/accounts/{id}/documents`` (a file, base64 in JSON, as Adyen's document API takes it)
and ``POST /v1/accounts/{id}`` (corrections, as Stripe's account update) each need an
``Idempotency-Key``. Each item received may meet some of the account's requirements; once none
is left, a ``restricted`` account goes back to ``pending`` (under review) and settles to
``active`` after the activation delay, with an ``account.updated`` webhook at each change.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import threading
import time
from typing import TYPE_CHECKING, Any, TypedDict

from .domain import (
    ACTIVE,
    CLOSED,
    PENDING,
    RESTRICTED,
    RIB,
    AccountRecord,
    fingerprint,
    set_status,
)
from .responses import BadRequest, Response, error

if TYPE_CHECKING:
    from .config import Config
    from .scheduler import Scheduler
    from .stats import Stats
    from .webhooks import Webhooks

DOCUMENT_KINDS = (
    "identity_card_front",
    "identity_card_back",
    "proof_of_address",
    "selfie",
    "other",
)
CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DETAILS = ("name", "phone", "rib")

# What meets each requirement: documents by kind, details by name. Any other requirement is met
# by a document of kind "other" that names it.
MEETS: dict[str, frozenset[str]] = {
    "identity_document": frozenset({"document:identity_card_front", "document:identity_card_back"}),
    "proof_of_address": frozenset({"document:proof_of_address"}),
    "selfie": frozenset({"document:selfie"}),
    "bank_account": frozenset({"detail:rib"}),
    "phone_verification": frozenset({"detail:phone"}),
    "legal_name": frozenset({"detail:name"}),
}


class Replay(TypedDict):
    fingerprint: str
    status: int
    body: dict[str, Any]


def needs(requirement: str) -> frozenset[str]:
    return MEETS.get(requirement, frozenset({f"document:other:{requirement}"}))


def validate_document(data: Any) -> dict[str, Any]:
    """The document's description (never its bytes), or :class:`BadRequest` 422."""
    if not isinstance(data, dict):
        raise BadRequest(422, "invalid_body", "The body must be a JSON object.")
    if data.get("kind") not in DOCUMENT_KINDS:
        kinds = ", ".join(DOCUMENT_KINDS)
        raise BadRequest(422, "parameter_invalid", f"kind must be one of {kinds}.", "kind")
    requirement = data.get("requirement", "")
    if not isinstance(requirement, str) or (data["kind"] == "other" and not requirement):
        raise BadRequest(
            422,
            "parameter_missing",
            "A document of kind other names its requirement.",
            "requirement",
        )
    if data.get("content_type") not in CONTENT_TYPES:
        raise BadRequest(
            422, "parameter_invalid", "content_type must be JPEG, PNG, WebP or PDF.", "content_type"
        )
    try:
        content = base64.b64decode(str(data.get("content", "")), validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest(422, "parameter_invalid", "content must be base64.", "content") from None
    if not content or len(content) > MAX_DOCUMENT_BYTES:
        raise BadRequest(422, "parameter_invalid", "content must hold 1 byte to 10 MiB.", "content")
    return {
        "kind": data["kind"],
        "requirement": requirement,
        "content_type": data["content_type"],
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }


def validate_details(data: Any) -> list[str]:
    """The names of the details changed, or :class:`BadRequest` 422 (never echoing a value)."""
    if not isinstance(data, dict) or not data:
        raise BadRequest(422, "invalid_body", "Send at least one of name, phone, payout.")
    changed = []
    for name in ("name", "phone"):
        if name in data:
            if not isinstance(data[name], str) or not data[name].strip():
                raise BadRequest(422, "parameter_invalid", f"{name} must not be empty.", name)
            changed.append(name)
    if "payout" in data:
        payout = data["payout"]
        if not isinstance(payout, dict) or payout.get("type") != "bank":
            raise BadRequest(422, "parameter_invalid", "payout.type must be bank.", "payout.type")
        if not RIB.fullmatch(str(payout.get("rib", ""))):
            raise BadRequest(
                422, "parameter_invalid", "payout.rib must be 24 digits.", "payout.rib"
            )
        changed.append("rib")
    unknown = set(data) - {"name", "phone", "payout"}
    if unknown:
        raise BadRequest(422, "parameter_unknown", f"Unknown: {', '.join(sorted(unknown))}.")
    return changed


class Requirements:
    """The part of :class:`onboarding.sandbox.provider.Sandbox` that receives what was asked."""

    lock: threading.RLock
    config: Config
    stats: Stats
    scheduler: Scheduler
    webhooks: Webhooks
    generation: int
    accounts: dict[str, AccountRecord]
    received: dict[str, list[str]]  # account id -> "document:<kind>", "detail:<name>"...
    replays: dict[str, Replay]  # idempotency key -> the first answer

    def _save(self) -> None:
        raise NotImplementedError

    def _settle(self, account_id: str, generation: int) -> None:
        raise NotImplementedError

    def upload_document(self, account_id: str, data: Any, idempotency_key: str | None) -> Response:
        document = validate_document(data)
        items = [f"document:{document['kind']}"]
        if document["requirement"]:
            items.append(f"document:{document['kind']}:{document['requirement']}")

        def answer() -> Response:
            body = {
                "id": f"doc_{secrets.token_hex(8)}",
                "object": "document",
                "account": account_id,
                "status": "received",
                "created": int(time.time()),
                **document,
            }
            return Response(201, body)

        return self._receive(account_id, data, idempotency_key, items, answer)

    def update_details(self, account_id: str, data: Any, idempotency_key: str | None) -> Response:
        items = [f"detail:{name}" for name in validate_details(data)]

        def answer() -> Response:
            return Response(200, self.accounts[account_id]["account"].copy())

        return self._receive(account_id, data, idempotency_key, items, answer)

    def close_account(self, account_id: str, idempotency_key: str | None) -> Response:
        """``POST /v1/accounts/{id}/close``: the account is closed for good, with a webhook."""

        def answer() -> Response:
            record = self.accounts[account_id]
            account = record["account"]
            record["outcome"] = None  # no scheduled activation may reopen it
            if account["status"] != CLOSED:
                set_status(account, CLOSED)
                account["requirements"] = []
                account["updated"] = int(time.time())
                self.webhooks.emit(account)
            return Response(200, account.copy())

        return self._receive(account_id, {}, idempotency_key, [], answer)

    def _receive(
        self,
        account_id: str,
        data: Any,
        idempotency_key: str | None,
        items: list[str],
        answer: Any,
    ) -> Response:
        if not idempotency_key or len(idempotency_key) > 255:
            return error(
                400,
                "idempotency_key_missing",
                "Send an Idempotency-Key header (at most 255 characters), the same on retries.",
            )
        body_fingerprint = fingerprint({"account": account_id, "body": data})
        with self.lock:
            replay = self.replays.get(idempotency_key)
            if replay is not None:
                if replay["fingerprint"] != body_fingerprint:
                    return error(
                        409,
                        "idempotency_key_reused",
                        "This Idempotency-Key was used with a different body.",
                    )
                self.stats["idempotent_replays"] += 1
                return Response(
                    replay["status"], dict(replay["body"]), {"Idempotent-Replayed": "true"}
                )
            record = self.accounts.get(account_id)
            if record is None:
                return error(404, "resource_missing", f"No such account: {account_id}")
            self.received.setdefault(account_id, []).extend(items)
            self._review(record)
            response = answer()
            self.replays[idempotency_key] = {
                "fingerprint": body_fingerprint,
                "status": response.status,
                "body": response.body,
            }
            self._save()
            return response

    def _review(self, record: AccountRecord) -> None:
        """Drop the requirements now met; a restricted account with none left is reviewed."""
        account = record["account"]
        have = set(self.received.get(account["id"], []))
        left = [code for code in account["requirements"] if not needs(code) <= have]
        record["outcome_requirements"] = [
            code for code in record["outcome_requirements"] if not needs(code) <= have
        ]
        if left == account["requirements"]:
            return
        account["requirements"] = left
        account["updated"] = int(time.time())
        if not left and account["status"] in (RESTRICTED, PENDING):
            set_status(account, PENDING)
            record["outcome"] = ACTIVE
            self.scheduler.call_later(
                self.config.activation_delay, self._settle, account["id"], self.generation
            )
        self.webhooks.emit(account)
