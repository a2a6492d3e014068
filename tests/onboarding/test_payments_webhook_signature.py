"""parse_webhook trusts a webhook only when it is signed with a configured secret, and recent."""

from __future__ import annotations

import json
import time

import pytest

from onboarding.providers.base import WebhookRejected
from onboarding.providers.payments import HTTPPaymentsBackend
from onboarding.providers.signatures import signature_header


def payments(*secrets: str) -> HTTPPaymentsBackend:
    return HTTPPaymentsBackend(
        base_url="http://127.0.0.1:9", api_key="k", webhook_secrets=list(secrets)
    )


def event_body(event_id: str = "evt_1", account: str = "acct_1") -> bytes:
    event = {
        "id": event_id,
        "type": "account.updated",
        "created": int(time.time()),
        "data": {"account": {"id": account, "status": "active", "requirements": []}},
    }
    return json.dumps(event).encode()


def signed(body: bytes, secret: str = "whsec_one", at: int | None = None, event_id="evt_1"):
    timestamp = int(time.time()) if at is None else at
    return {
        "Webhook-Id": event_id,
        "Webhook-Signature": signature_header(secret, event_id, timestamp, body),
    }


def test_a_correctly_signed_webhook_is_accepted_and_parsed():
    body = event_body(account="acct_9")

    event = payments("whsec_one").parse_webhook(body, signed(body))

    assert (event.id, event.type, event.account_ref) == ("evt_1", "account.updated", "acct_9")
    assert event.raw["data"]["account"]["status"] == "active"


def test_a_tampered_body_is_rejected():
    body = event_body(account="acct_9")
    headers = signed(body)

    with pytest.raises(WebhookRejected, match="matches none of the configured webhook secrets"):
        payments("whsec_one").parse_webhook(body.replace(b"acct_9", b"acct_8"), headers)


def test_a_webhook_signed_with_another_secret_is_rejected():
    body = event_body()

    with pytest.raises(WebhookRejected, match="matches none"):
        payments("whsec_one").parse_webhook(body, signed(body, secret="whsec_attacker"))


def test_during_a_rotation_a_webhook_signed_with_the_second_secret_is_accepted():
    body = event_body()

    event = payments("whsec_new", "whsec_old").parse_webhook(body, signed(body, "whsec_old"))

    assert event.id == "evt_1"


def test_a_signature_older_than_five_minutes_is_rejected():
    body = event_body()
    headers = signed(body, at=int(time.time()) - 301)

    with pytest.raises(WebhookRejected, match="old, more than 300 s"):
        payments("whsec_one").parse_webhook(body, headers)


def test_a_signature_dated_more_than_five_minutes_ahead_is_rejected():
    body = event_body()
    headers = signed(body, at=int(time.time()) + 301)

    with pytest.raises(WebhookRejected, match="in the future"):
        payments("whsec_one").parse_webhook(body, headers)


def test_a_signature_four_minutes_old_is_still_accepted():
    body = event_body()

    event = payments("whsec_one").parse_webhook(body, signed(body, at=int(time.time()) - 240))

    assert event.id == "evt_1"


def test_headers_as_django_meta_names_are_understood():
    body = event_body()
    meta = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in signed(body).items()}

    assert payments("whsec_one").parse_webhook(body, meta).id == "evt_1"


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Webhook-Id": "evt_1"}, "Webhook-Signature header is missing"),
        ({"Webhook-Id": "evt_1", "Webhook-Signature": "sha256=abc"}, "malformed"),
        ({"Webhook-Id": "evt_1", "Webhook-Signature": "t=soon,v1=abc"}, "malformed"),
        ({"Webhook-Signature": "t=1,v1=abc"}, "Webhook-Id header is missing"),
    ],
)
def test_malformed_signature_headers_are_rejected(headers, reason):
    with pytest.raises(WebhookRejected, match=reason):
        payments("whsec_one").parse_webhook(event_body(), headers)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (event_body(event_id="evt_other"), "differs from the Webhook-Id header"),
        (b'{"id": "evt_1", "type": "account.updated", "created": 1}', "names no account"),
    ],
)
def test_a_signed_but_malformed_body_is_rejected(body, reason):
    with pytest.raises(WebhookRejected, match=reason):
        payments("whsec_one").parse_webhook(body, signed(body))


def test_without_a_configured_secret_every_webhook_is_rejected():
    body = event_body()

    with pytest.raises(WebhookRejected, match="no webhook secret is configured"):
        payments().parse_webhook(body, signed(body))
