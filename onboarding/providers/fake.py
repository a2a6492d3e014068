"""A payment provider kept in this process's memory, for the demo and for tests.

It keeps the contract of every payment backend (``tests/onboarding/test_provider_contract.py``):
one account per idempotency key, ``updated`` on every account, signed ``account.updated``
webhooks, and documents and corrections that meet requirements by the sandbox's rules (a
restricted account with none left goes back to ``pending``). Nothing else happens by itself: an
account stays ``pending`` until a caller moves it with
:meth:`InMemoryPaymentsBackend.set_account`, as the provider's back office would, and feeds the
webhook it returns to the same path a real webhook takes.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from ..sandbox.documents import needs
from .base import (
    AccountChanges,
    AccountStatus,
    Applicant,
    DocumentUpload,
    MerchantQRAccount,
    PaymentAccount,
    PaymentsBackend,
    ProviderDocument,
    ProviderRejected,
    Requirement,
    WebhookEvent,
)
from .fake_payment_sessions import FakePaymentSessions, SignedWebhook
from .signatures import DEFAULT_WEBHOOK_TOLERANCE, signed_headers, verify_webhook

DEFAULT_WEBHOOK_SECRET = "whsec_in_memory"
# The globally unique identifier this provider's merchant-presented QR codes carry.
MERCHANT_QR_GUI = "ma.maalem.inmemory"


@dataclass
class _Store:
    lock: threading.Lock = field(default_factory=threading.Lock)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    # idempotency key -> (fingerprint of the applicant, account ref)
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    # account ref -> what it received ("document:<kind>", "detail:<name>"), as the sandbox counts
    received: dict[str, set[str]] = field(default_factory=dict)
    # idempotency key -> (fingerprint of the request, the first answer)
    answers: dict[str, tuple[str, Any]] = field(default_factory=dict)


class InMemoryPaymentsBackend(FakePaymentSessions, PaymentsBackend):
    """Accounts in memory, shared by every instance with the same ``name``.

    OPTIONS: ``name``, the store (default ``"default"``; :func:`onboarding.providers.get_backend`
    makes an instance per call, so the store outlives them); ``webhook_secrets`` (default
    ``["whsec_in_memory"]``; the first one signs); ``webhook_tolerance``, seconds (default 300).
    References are derived from the store's name and the idempotency key, so a run that repeats
    the same calls gets the same accounts.
    """

    _stores: ClassVar[dict[str, _Store]] = {}
    _stores_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.name = str(options.get("name", "default"))
        secrets = options.get("webhook_secrets") or [DEFAULT_WEBHOOK_SECRET]
        self.webhook_secrets = [secrets] if isinstance(secrets, str) else list(secrets)
        self.webhook_tolerance = int(options.get("webhook_tolerance", DEFAULT_WEBHOOK_TOLERANCE))
        with self._stores_lock:
            self.store = self._stores.setdefault(self.name, _Store())

    def open_account(self, applicant: Applicant, idempotency_key: str) -> PaymentAccount:
        if not idempotency_key:
            raise ValueError("open_account needs an idempotency key, the same on every retry")
        fingerprint = hashlib.sha256(repr(astuple(applicant)).encode()).hexdigest()
        with self.store.lock:
            known = self.store.keys.get(idempotency_key)
            if known is not None:
                if known[0] != fingerprint:
                    raise ProviderRejected(
                        "the in-memory provider answered 409 (idempotency_key_reused): this "
                        "idempotency key was used with another applicant"
                    )
                return _account(self.store.accounts[known[1]])
            digest = hashlib.sha256(f"{self.name}:{idempotency_key}".encode()).hexdigest()
            ref = f"acct_{digest[:16]}"
            now = int(time.time())
            self.store.accounts[ref] = {
                "id": ref,
                "object": "account",
                "status": AccountStatus.PENDING.value,
                "requirements": [],
                "business_name": applicant.shop_name,
                "metadata": {"case_id": applicant.reference},
                "created": now,
                "updated": now,
                "version": 1,
            }
            self.store.keys[idempotency_key] = (fingerprint, ref)
            return _account(self.store.accounts[ref])

    def get_account(self, ref: str) -> PaymentAccount:
        with self.store.lock:
            record = self.store.accounts.get(ref)
            if record is None:
                raise ProviderRejected("the in-memory provider answered 404: no such account")
            return _account(record)

    def upload_document(
        self, ref: str, document: DocumentUpload, idempotency_key: str
    ) -> ProviderDocument:
        items = {f"document:{document.kind}"}
        if document.requirement:
            items.add(f"document:{document.kind}:{document.requirement}")
        request = (
            f"{ref}:{document.kind}:{document.requirement}:"
            + hashlib.sha256(document.content).hexdigest()
        )

        def answer() -> ProviderDocument:
            digest = hashlib.sha256(f"{self.name}:{idempotency_key}".encode()).hexdigest()
            raw = {"id": f"doc_{digest[:16]}", "object": "document", "kind": document.kind}
            return ProviderDocument(f"doc_{digest[:16]}", ref, document.kind, raw)

        result: ProviderDocument = self._receive(ref, idempotency_key, request, items, answer)
        return result

    def update_account(
        self, ref: str, changes: AccountChanges, idempotency_key: str
    ) -> PaymentAccount:
        names = {"name": changes.name, "phone": changes.phone, "rib": changes.rib}
        items = {f"detail:{name}" for name, value in names.items() if value}
        if not items:
            raise ValueError("update_account needs at least one change")
        request = hashlib.sha256(repr((ref, astuple(changes))).encode()).hexdigest()
        result: PaymentAccount = self._receive(
            ref, idempotency_key, request, items, lambda: _account(self.store.accounts[ref])
        )
        return result

    def close_account(self, ref: str, idempotency_key: str) -> PaymentAccount:
        def close() -> PaymentAccount:
            record = self.store.accounts[ref]
            if record["status"] != AccountStatus.CLOSED:
                record.update(
                    status=AccountStatus.CLOSED.value,
                    merchant_qr=None,
                    requirements=[],
                    updated=max(int(time.time()), record["updated"]),
                    version=record["version"] + 1,
                )
            return _account(record)

        result: PaymentAccount = self._receive(ref, idempotency_key, f"close:{ref}", set(), close)
        return result

    def _receive(self, ref: str, key: str, request: str, items: set[str], answer: Any) -> Any:
        if not key:
            raise ValueError("an idempotency key is needed, the same on every retry")
        with self.store.lock:
            known = self.store.answers.get(key)
            if known is not None:
                if known[0] != request:
                    raise ProviderRejected(
                        "the in-memory provider answered 409 (idempotency_key_reused)"
                    )
                return known[1]
            record = self.store.accounts.get(ref)
            if record is None:
                raise ProviderRejected("the in-memory provider answered 404: no such account")
            have = self.store.received.setdefault(ref, set())
            have.update(items)
            left = [code for code in record["requirements"] if not needs(code) <= have]
            if left != record["requirements"]:
                status = record["status"]
                if not left and status == AccountStatus.RESTRICTED:
                    status = AccountStatus.PENDING.value
                record.update(
                    status=status,
                    requirements=left,
                    updated=max(int(time.time()), record["updated"]),
                    version=record["version"] + 1,
                )
            result = answer()
            self.store.answers[key] = (request, result)
            return result

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        return verify_webhook(body, headers, self.webhook_secrets, self.webhook_tolerance)

    def set_account(self, ref: str, status: str, requirements: Iterable[str] = ()) -> SignedWebhook:
        """Move an account as the provider's back office would; return the webhook it sends."""
        if status not in AccountStatus.values:
            raise ValueError(f"not an account status: {status!r}")
        with self.store.lock:
            record = self.store.accounts.get(ref)
            if record is None:
                raise ProviderRejected("the in-memory provider answered 404: no such account")
            record.update(
                status=str(status),
                requirements=list(requirements),
                # Never earlier than the last change, so changes keep their order.
                updated=max(int(time.time()), record["updated"]),
                version=record["version"] + 1,
            )
            record["merchant_qr"] = merchant_qr(ref) if status == AccountStatus.ACTIVE else None
        return self.webhook(ref)

    def webhook(self, ref: str, signed_at: int | None = None) -> SignedWebhook:
        """The ``account.updated`` webhook for the account as it is now, signed at
        ``signed_at`` (a Unix time; default now)."""
        timestamp = int(time.time()) if signed_at is None else signed_at
        with self.store.lock:
            record = self.store.accounts.get(ref)
            if record is None:
                raise ProviderRejected("the in-memory provider answered 404: no such account")
            event_id = f"evt_{ref.removeprefix('acct_')}_{record['version']}"
            event = {
                "id": event_id,
                "type": "account.updated",
                "created": record["updated"],
                "data": {"account": dict(record)},
            }
        body = json.dumps(event, separators=(",", ":")).encode()
        return SignedWebhook(
            body, signed_headers(self.webhook_secrets[0], event_id, body, timestamp)
        )


def merchant_qr(ref: str) -> dict[str, str]:
    """The QR identifiers of an active account: this provider's GUI and a 15-digit merchant
    id derived from the reference, as an acquirer numbers its merchants."""
    number = int(hashlib.sha256(ref.encode()).hexdigest()[:15], 16) % 10**15
    return {"gui": MERCHANT_QR_GUI, "merchant_id": f"{number:015d}"}


def _account(record: dict[str, Any]) -> PaymentAccount:
    qr = record.get("merchant_qr")
    return PaymentAccount(
        ref=record["id"],
        status=record["status"],
        requirements=[Requirement(code) for code in record["requirements"]],
        updated=datetime.fromtimestamp(record["updated"], tz=UTC),
        raw=json.loads(json.dumps(record)),
        merchant_qr=MerchantQRAccount(qr["gui"], qr["merchant_id"]) if qr else None,
    )
