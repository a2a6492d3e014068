"""The payment provider's HTTP client backend (the contract: docs/payments-contract.openapi.yaml).

The client does not retry by itself: the onboarding step owns retries, with its stored
idempotency key and attempt counter, so a retry here would only hide time from the lease. Every
failure is sorted into :class:`ProviderError` (worth retrying with the same key) or
:class:`ProviderRejected` (no retry changes the answer). Personal data (name, phone, national ID,
RIB) never reaches a log line or an exception message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import requests

from .base import (
    PaymentAccount,
    PaymentsBackend,
    ProviderError,
    ProviderRejected,
    WebhookEvent,
    WebhookRejected,
)

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Webhook-Signature"
EVENT_ID_HEADER = "Webhook-Id"
DEFAULT_WEBHOOK_TOLERANCE = 300  # seconds, either side of now
ACCOUNT_REF = re.compile(r"[A-Za-z0-9_-]{1,255}")

# Where an applicant carries personal data: these values are scrubbed from provider messages,
# which some providers echo back ("national_id AB123456 is invalid").
PERSONAL_FIELDS = (("name",), ("phone",), ("national_id",), ("payout", "phone"), ("payout", "rib"))


def signature_header(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """The ``Webhook-Signature`` value the provider sends: HMAC-SHA256 over ``id.timestamp.body``.

    Public so tests and tools can sign a webhook exactly as the provider does.
    """
    return f"t={timestamp},v1={_digest(secret, event_id, timestamp, body)}"


def _digest(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    message = f"{event_id}.{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class HTTPPaymentsBackend(PaymentsBackend):
    """Talks to the payment provider (or its sandbox) over HTTP.

    OPTIONS: ``base_url``; ``api_key``; ``webhook_secrets``, a list so that a new secret can be
    added before the old one is removed; ``timeout``, seconds, a number for the read timeout or a
    ``(connect, read)`` pair; ``connect_timeout`` (default: the smaller of 5 s and ``timeout``);
    ``webhook_tolerance``, seconds (default 300).
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

    # Accounts ------------------------------------------------------------------------------

    def open_account(self, applicant: dict[str, Any], idempotency_key: str) -> PaymentAccount:
        if not idempotency_key:
            raise ValueError("open_account needs an idempotency key, the same on every retry")
        payload = self._request(
            "POST",
            "/v1/accounts",
            json_body=applicant,
            idempotency_key=idempotency_key,
            personal=_personal_values(applicant),
        )
        account = self._account(payload.body)
        logger.info(
            "payments account %s is %s (idempotency key %s%s)",
            account.ref,
            account.status,
            idempotency_key,
            ", replayed" if payload.replayed else "",
        )
        return account

    def get_account(self, ref: str) -> PaymentAccount:
        if not isinstance(ref, str) or not ACCOUNT_REF.fullmatch(ref):
            raise ProviderRejected("not a payment account reference")
        return self._account(self._request("GET", f"/v1/accounts/{quote(ref, safe='')}").body)

    def _account(self, body: Any) -> PaymentAccount:
        try:
            ref, status = body["id"], body["status"]
            requirements = list(body.get("requirements") or [])
            updated = datetime.fromtimestamp(int(body["updated"]), tz=UTC)
        except (KeyError, TypeError, AttributeError, ValueError, OverflowError):
            raise ProviderError(
                "the payments provider sent an account without id, status or update time"
            ) from None
        return PaymentAccount(
            ref=ref, status=status, requirements=requirements, updated=updated, raw=body
        )

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
            response = requests.request(
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

    # Webhooks ------------------------------------------------------------------------------

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        if isinstance(body, str):
            body = body.encode()
        if not self.webhook_secrets:
            raise WebhookRejected(
                "no webhook secret is configured: set OPTIONS['webhook_secrets'] "
                "(PAYMENTS_WEBHOOK_SECRETS)"
            )
        found = _normalise(headers)
        event_id = found.get(EVENT_ID_HEADER.lower(), "").strip()
        if not event_id:
            raise WebhookRejected(f"the {EVENT_ID_HEADER} header is missing")
        timestamp, signatures = _parse_signature(found.get(SIGNATURE_HEADER.lower()))
        expected = [_digest(secret, event_id, timestamp, body) for secret in self.webhook_secrets]
        if not any(hmac.compare_digest(mine, theirs) for mine in expected for theirs in signatures):
            raise WebhookRejected(
                "the signature matches none of the configured webhook secrets: the body was "
                "altered, or the provider signs with a secret missing from PAYMENTS_WEBHOOK_SECRETS"
            )
        age = int(time.time()) - timestamp
        if age > self.webhook_tolerance:
            raise WebhookRejected(
                f"the signature is {age} s old, more than {self.webhook_tolerance} s: a replay or "
                "a badly delayed delivery; the provider re-signs when it retries"
            )
        if -age > self.webhook_tolerance:
            raise WebhookRejected(
                f"the signature is dated {-age} s in the future, more than "
                f"{self.webhook_tolerance} s: check this server's clock"
            )
        return _event(body, event_id)


class _Answer:
    def __init__(self, body: dict[str, Any], replayed: bool) -> None:
        self.body = body
        self.replayed = replayed


def _personal_values(applicant: Any) -> list[str]:
    values = []
    for path in PERSONAL_FIELDS:
        value: Any = applicant
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and len(value.strip()) >= 3:
            values.append(value.strip())
    return values


def _normalise(headers: Mapping[str, str]) -> dict[str, str]:
    """Header names in lower case with dashes, from a plain dict or Django's ``request.META``."""
    found = {}
    for name, value in headers.items():
        key = name.lower().replace("_", "-")
        found[key.removeprefix("http-")] = value
    return found


def _parse_signature(header: str | None) -> tuple[int, list[str]]:
    if not header:
        raise WebhookRejected(f"the {SIGNATURE_HEADER} header is missing")
    timestamp = None
    signatures = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise WebhookRejected(
            f"the {SIGNATURE_HEADER} header is malformed: expected 't=<unix time>,v1=<hex>'"
        )
    return timestamp, signatures


def _event(body: bytes, event_id: str) -> WebhookEvent:
    try:
        payload = json.loads(body)
    except ValueError:
        raise WebhookRejected("the webhook body is not JSON") from None
    if not isinstance(payload, dict):
        raise WebhookRejected("the webhook body is not a JSON object")
    if payload.get("id") != event_id:
        raise WebhookRejected(f"the event id in the body differs from the {EVENT_ID_HEADER} header")
    event_type, created = payload.get("type"), payload.get("created")
    if not isinstance(event_type, str) or not isinstance(created, int):
        raise WebhookRejected("the webhook body lacks a type or a created time")
    data = payload.get("data")
    account = data.get("account") if isinstance(data, dict) else None
    account_ref = account.get("id") if isinstance(account, dict) else None
    if event_type.startswith("account.") and not isinstance(account_ref, str):
        raise WebhookRejected(f"the {event_type} event names no account")
    return WebhookEvent(
        id=event_id, type=event_type, account_ref=account_ref or "", created=created, raw=payload
    )
