"""The payment provider's HTTP client backend (the contract: docs/payments-contract.openapi.yaml).

The client does not retry by itself: the onboarding step owns retries, with its stored
idempotency key and attempt counter, so a retry here would only hide time from the lease. Every
failure is sorted into :class:`ProviderError` (worth retrying with the same key) or
:class:`ProviderRejected` (no retry changes the answer). Personal data (name, phone, national ID,
RIB) never reaches a log line or an exception message. Webhooks are verified by
:mod:`onboarding.providers.signatures`.
"""

from __future__ import annotations

import base64
import logging
import re
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from .base import (
    AccountChanges,
    AccountStatus,
    Applicant,
    DocumentUpload,
    MerchantQRAccount,
    PaymentAccount,
    PaymentsBackend,
    PayoutMethod,
    ProviderDocument,
    ProviderError,
    ProviderRejected,
    Requirement,
    WebhookEvent,
)
from .http_payment_sessions import HTTPDisputes, HTTPPaymentSessions
from .signatures import DEFAULT_WEBHOOK_TOLERANCE, verify_webhook

logger = logging.getLogger(__name__)

ACCOUNT_REF = re.compile(r"[A-Za-z0-9_-]{1,255}")


def account_request(applicant: Applicant) -> dict[str, Any]:
    """The ``POST /v1/accounts`` body for ``applicant``."""
    payout: dict[str, str] = {"type": applicant.payout_method}
    if applicant.payout_method == PayoutMethod.BANK:
        payout["rib"] = applicant.rib
    else:
        payout["phone"] = applicant.payout_phone
    return {
        "name": applicant.name,
        "national_id": applicant.national_id,
        "phone": applicant.phone,
        "artisan_register_number": applicant.artisan_register_number,
        "region": applicant.region,
        "craft": applicant.craft,
        "shop_name": applicant.shop_name,
        "payout": payout,
        # Lets the provider's back office (and the sandbox's counters) tie accounts to cases.
        "metadata": {"case_id": applicant.reference},
    }


def account_from_answer(body: Any) -> PaymentAccount:
    """The account in a provider's answer; :class:`ProviderError` if it is not one."""
    try:
        ref, status, updated = body["id"], body["status"], body["updated"]
        requirements = [Requirement(str(code)) for code in body.get("requirements") or []]
        if not isinstance(ref, str) or not isinstance(status, str):
            raise TypeError
        changed = datetime.fromtimestamp(int(updated), tz=UTC)
    except (KeyError, TypeError, AttributeError, ValueError, OverflowError):
        raise ProviderError(
            "the payments provider sent an account without id, status or updated time"
        ) from None
    if status not in AccountStatus.values:
        logger.warning("payments account %s has a status outside the contract: %r", ref, status)
    return PaymentAccount(
        ref=ref,
        status=status,
        requirements=requirements,
        updated=changed,
        raw=body,
        merchant_qr=merchant_qr_from_answer(ref, body),
    )


def merchant_qr_from_answer(ref: str, body: dict[str, Any]) -> MerchantQRAccount | None:
    """The account's QR identifiers (``merchant_qr``), if the answer has usable ones.

    Missing or null while the account is not active. Malformed ones are logged and left out:
    the QR code waits, the rest of the account is applied."""
    given = body.get("merchant_qr")
    if given is None:
        return None
    gui = given.get("gui") if isinstance(given, dict) else None
    merchant_id = given.get("merchant_id") if isinstance(given, dict) else None
    if not (isinstance(gui, str) and isinstance(merchant_id, str) and gui and merchant_id):
        logger.warning("payments account %s has a merchant_qr outside the contract", ref)
        return None
    return MerchantQRAccount(gui=gui, merchant_id=merchant_id)


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class HTTPPaymentsBackend(HTTPDisputes, HTTPPaymentSessions, PaymentsBackend):
    """Talks to the payment provider (or its sandbox) over HTTP: accounts here, payment sessions
    and refunds in :class:`HTTPPaymentSessions`, disputes in :class:`HTTPDisputes`.

    OPTIONS: ``base_url``; ``api_key``; ``webhook_secrets``, a list so that a new secret can be
    added before the old one is removed; ``timeout``, seconds, a number for the read timeout or a
    ``(connect, read)`` pair; ``connect_timeout`` (default: the smaller of 5 s and ``timeout``);
    ``webhook_tolerance``, seconds (default 300); ``hosted_page_origins``, where the provider
    serves its hosted payment page (default: the origin of ``base_url``, as the sandbox does).
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        try:
            self.base_url = str(options["base_url"]).rstrip("/")
            self.api_key = str(options["api_key"])
        except KeyError as missing:
            raise ValueError(f"HTTPPaymentsBackend needs the option {missing}") from None
        secrets = options.get("webhook_secrets") or []
        self.webhook_secrets = [secrets] if isinstance(secrets, str) else list(secrets)
        timeout = options.get("timeout", 10.0)
        if isinstance(timeout, list | tuple):
            self.timeout = (float(timeout[0]), float(timeout[1]))
        else:
            connect = options.get("connect_timeout", min(5.0, float(timeout)))
            self.timeout = (float(connect), float(timeout))
        self.webhook_tolerance = int(options.get("webhook_tolerance", DEFAULT_WEBHOOK_TOLERANCE))
        origins = options.get("hosted_page_origins") or [origin_of(self.base_url)]
        self.page_origins = [origins] if isinstance(origins, str) else list(origins)
        # One session per backend: a step's calls reuse the connection. Also where a test
        # mounts a transport adapter.
        self.session = requests.Session()

    def hosted_page_origins(self) -> list[str]:
        return self.page_origins

    def open_account(self, applicant: Applicant, idempotency_key: str) -> PaymentAccount:
        if not idempotency_key:
            raise ValueError("open_account needs an idempotency key, the same on every retry")
        payload = self._request(
            "POST",
            "/v1/accounts",
            json_body=account_request(applicant),
            idempotency_key=idempotency_key,
            personal=applicant.personal_values(),
        )
        account = account_from_answer(payload.body)
        logger.info(
            "payments account %s is %s (idempotency key %s%s)",
            account.ref,
            account.status,
            idempotency_key,
            ", replayed" if payload.replayed else "",
        )
        return account

    def get_account(self, ref: str) -> PaymentAccount:
        return account_from_answer(self._request("GET", self._account_path(ref)).body)

    def upload_document(
        self, ref: str, document: DocumentUpload, idempotency_key: str
    ) -> ProviderDocument:
        if not idempotency_key:
            raise ValueError("upload_document needs an idempotency key, the same on every retry")
        payload = self._request(
            "POST",
            f"{self._account_path(ref)}/documents",
            json_body={
                "kind": document.kind,
                "requirement": document.requirement,
                "content_type": document.content_type,
                "content": base64.b64encode(document.content).decode("ascii"),
            },
            idempotency_key=idempotency_key,
        )
        body = payload.body
        if not isinstance(body.get("id"), str):
            raise ProviderError("the payments provider sent a document without an id")
        logger.info("payments account %s got document %s (%s)", ref, body["id"], document.kind)
        return ProviderDocument(
            ref=body["id"], account_ref=ref, kind=str(body.get("kind", document.kind)), raw=body
        )

    def update_account(
        self, ref: str, changes: AccountChanges, idempotency_key: str
    ) -> PaymentAccount:
        if not idempotency_key:
            raise ValueError("update_account needs an idempotency key, the same on every retry")
        body: dict[str, Any] = {}
        if changes.name:
            body["name"] = changes.name
        if changes.phone:
            body["phone"] = changes.phone
        if changes.rib:
            body["payout"] = {"type": PayoutMethod.BANK.value, "rib": changes.rib}
        if not body:
            raise ValueError("update_account needs at least one change")
        payload = self._request(
            "POST",
            self._account_path(ref),
            json_body=body,
            idempotency_key=idempotency_key,
            personal=changes.personal_values(),
        )
        return account_from_answer(payload.body)

    def close_account(self, ref: str, idempotency_key: str) -> PaymentAccount:
        if not idempotency_key:
            raise ValueError("close_account needs an idempotency key, the same on every retry")
        path = f"{self._account_path(ref)}/close"
        payload = self._request("POST", path, json_body={}, idempotency_key=idempotency_key)
        logger.info("payments account %s closed", ref)
        return account_from_answer(payload.body)

    @staticmethod
    def _account_path(ref: str) -> str:
        if not isinstance(ref, str) or not ACCOUNT_REF.fullmatch(ref):
            raise ProviderRejected("not a payment account reference")
        return f"/v1/accounts/{quote(ref, safe='')}"

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        return verify_webhook(body, headers, self.webhook_secrets, self.webhook_tolerance)

    def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        idempotency_key: str | None = None,
        personal: Iterable[str] = (),
    ) -> _Answer:
        headers = {
            "Authorization": f"Bearer {self.api_key}",
            "Accept": "application/json",
            "User-Agent": "maalem-onboarding",
        }
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        started = time.monotonic()
        try:
            response = self.session.request(
                method, self.base_url + path, json=json_body, headers=headers, timeout=self.timeout
            )
        except requests.Timeout as timeout:
            logger.warning("payments %s %s timed out after %s s", method, path, self.timeout)
            raise ProviderError(
                f"the payments provider did not answer {method} {path} within the timeout "
                f"{self.timeout} (connect, read); retry with the same idempotency key"
            ) from timeout
        except requests.RequestException as failure:
            logger.warning("payments %s %s failed: %s", method, path, type(failure).__name__)
            raise ProviderError(
                f"could not reach the payments provider at {self.base_url} "
                f"({type(failure).__name__}); retry later"
            ) from failure
        elapsed = time.monotonic() - started
        status = response.status_code
        logger.info("payments %s %s -> %s in %.2f s", method, path, status, elapsed)
        try:
            body = response.json()
        except ValueError:
            body = None
        if status >= 400:
            raise self._failure(method, path, status, body, personal)
        if not isinstance(body, dict):
            raise ProviderError(f"the payments provider answered {method} {path} with non-JSON")
        replayed = response.headers.get("Idempotent-Replayed", "").lower() == "true"
        return _Answer(body, replayed)

    @staticmethod
    def _failure(
        method: str, path: str, status: int, body: Any, personal: Iterable[str]
    ) -> ProviderError | ProviderRejected:
        details = body.get("error") if isinstance(body, dict) else None
        details = details if isinstance(details, dict) else {}
        code = str(details.get("code") or "unknown")
        message = str(details.get("message") or "no message")
        # Some providers echo the request back ("national_id AB123456 is invalid").
        for value in personal:
            message = message.replace(value, "[redacted]")
        text = f"the payments provider answered {status} ({code}) to {method} {path}: {message}"
        # A 409 is "try again later" (the same key is still being processed), except for a key
        # reused with another body: that is our bug, and retrying would repeat it.
        retryable = (
            status >= 500
            or status in (408, 425, 429)
            or (status == 409 and code != "idempotency_key_reused")
        )
        return ProviderError(text) if retryable else ProviderRejected(text)


class _Answer:
    def __init__(self, body: dict[str, Any], replayed: bool) -> None:
        self.body = body
        self.replayed = replayed
