"""Signed webhooks as the payment contract defines them (docs/payments-contract.openapi.yaml).

The provider sends ``Webhook-Id`` and ``Webhook-Signature: t=<unix time>,v1=<hex>``, where the
hex is an HMAC-SHA256 over ``{id}.{t}.{body}`` with a shared secret. :func:`verify_webhook` checks
it in constant time against every configured secret (so a new secret can be added before the old
one is removed), refuses a signature older or newer than the tolerance, and parses the event.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping, Sequence

from .base import WebhookEvent, WebhookRejected

SIGNATURE_HEADER = "Webhook-Signature"
EVENT_ID_HEADER = "Webhook-Id"
DEFAULT_WEBHOOK_TOLERANCE = 300  # seconds, either side of now


def signature_header(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """The ``Webhook-Signature`` value the provider sends: HMAC-SHA256 over ``id.timestamp.body``.

    Public so tests and tools can sign a webhook exactly as the provider does.
    """
    return f"t={timestamp},v1={_digest(secret, event_id, timestamp, body)}"


def signed_headers(secret: str, event_id: str, body: bytes, timestamp: int) -> dict[str, str]:
    """Both headers of a webhook signed with ``secret`` at ``timestamp``."""
    return {
        EVENT_ID_HEADER: event_id,
        SIGNATURE_HEADER: signature_header(secret, event_id, timestamp, body),
    }


def verify_webhook(
    body: bytes | str,
    headers: Mapping[str, str],
    secrets: Sequence[str],
    tolerance: int = DEFAULT_WEBHOOK_TOLERANCE,
) -> WebhookEvent:
    """The event of a webhook signed with one of ``secrets`` less than ``tolerance`` s ago.

    Raise :class:`WebhookRejected`, saying why, for anything else.
    """
    if isinstance(body, str):
        body = body.encode()
    if not secrets:
        raise WebhookRejected(
            "no webhook secret is configured: set OPTIONS['webhook_secrets'] "
            "(PAYMENTS_WEBHOOK_SECRETS)"
        )
    found = _normalise(headers)
    event_id = found.get(EVENT_ID_HEADER.lower(), "").strip()
    if not event_id:
        raise WebhookRejected(f"the {EVENT_ID_HEADER} header is missing")
    timestamp, signatures = _parse_signature(found.get(SIGNATURE_HEADER.lower()))
    expected = [_digest(secret, event_id, timestamp, body) for secret in secrets]
    if not any(hmac.compare_digest(mine, theirs) for mine in expected for theirs in signatures):
        raise WebhookRejected(
            "the signature matches none of the configured webhook secrets: the body was "
            "altered, or the provider signs with a secret missing from PAYMENTS_WEBHOOK_SECRETS"
        )
    age = int(time.time()) - timestamp
    if age > tolerance:
        raise WebhookRejected(
            f"the signature is {age} s old, more than {tolerance} s: a replay or "
            "a badly delayed delivery; the provider re-signs when it retries"
        )
    if -age > tolerance:
        raise WebhookRejected(
            f"the signature is dated {-age} s in the future, more than "
            f"{tolerance} s: check this server's clock"
        )
    return _event(body, event_id)


def _digest(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    message = f"{event_id}.{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


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
