"""The sandbox signs payment.succeeded, payment.failed and refund.succeeded like every webhook;
the client verifies them, and the duplicate and out-of-order faults apply to them too."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest

from onboarding.providers.base import WebhookRejected
from onboarding.providers.payments import HTTPPaymentsBackend
from onboarding.providers.signatures import signed_headers
from tests.worker import wait_for

from .payment_session_builders import (
    DECLINED,
    SUCCEEDS,
    active_account,
    open_session,
    pay,
    wait_for_refund,
)
from .sandbox_process import RunningSandbox, running_sandbox
from .test_payments_webhook_delivery import Receiver


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def sandbox_server(receiver: Receiver) -> Iterator[RunningSandbox]:
    with running_sandbox(webhook_url=receiver.url, webhook_backoff=0.05) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(sandbox_server: RunningSandbox, receiver: Receiver) -> RunningSandbox:
    sandbox_server.reset()
    sandbox_server.configure(refund_delay=0.05, activation_delay=0.3)
    with receiver.lock:
        receiver.received.clear()
    return sandbox_server


@pytest.fixture
def backend(sandbox: RunningSandbox) -> HTTPPaymentsBackend:
    return HTTPPaymentsBackend(**sandbox.options())


def payment_deliveries(receiver: Receiver, count: int) -> list[tuple[dict[str, str], bytes]]:
    def arrived() -> list[tuple[dict[str, str], bytes]]:
        with receiver.lock:
            return [
                (headers, body)
                for headers, body in receiver.received
                if not json.loads(body)["type"].startswith("account.")
            ]

    wait_for(lambda: len(arrived()) >= count, timeout=10, what=f"{count} payment webhooks")
    return arrived()


def test_each_outcome_sends_a_signed_event_the_client_reads(sandbox, backend, receiver):
    account = active_account(sandbox, backend)
    paid = open_session(backend, account, amount_minor=15_000, reference="order-1")
    declined = open_session(backend, account, reference="order-2")
    pay(paid, SUCCEEDS)
    pay(declined, DECLINED)
    payment = backend.get_payment_session(paid.ref).payment_ref
    refund = backend.refund(payment_ref=payment, amount_minor=4_000, idempotency_key="r-1")
    wait_for_refund(backend, refund.ref)

    events = [
        backend.parse_payment_webhook(body, headers)
        for headers, body in payment_deliveries(receiver, 3)
    ]

    succeeded, failed, refunded = events
    assert (succeeded.type, succeeded.session_ref, succeeded.payment_ref) == (
        "payment.succeeded",
        paid.ref,
        payment,
    )
    assert (succeeded.reference, succeeded.amount_minor, succeeded.fee_minor) == (
        "order-1",
        15_000,
        325,
    )
    assert succeeded.account_ref == account
    assert (failed.type, failed.reference, failed.failure_code) == (
        "payment.failed",
        "order-2",
        "card_declined",
    )
    assert (refunded.type, refunded.refund_ref, refunded.payment_ref) == (
        "refund.succeeded",
        refund.ref,
        payment,
    )
    assert (refunded.amount_minor, refunded.session_ref, refunded.reference) == (
        4_000,
        paid.ref,
        "order-1",
    )


def test_a_tampered_or_stale_payment_webhook_is_rejected(sandbox, backend, receiver):
    pay(open_session(backend, active_account(sandbox, backend)), SUCCEEDS)
    [(headers, body)] = payment_deliveries(receiver, 1)
    assert backend.parse_payment_webhook(body, headers).type == "payment.succeeded"

    tampered = body.replace(b'"amount_minor":15000', b'"amount_minor":1')
    assert tampered != body
    with pytest.raises(WebhookRejected, match="signature"):
        backend.parse_payment_webhook(tampered, headers)
    event_id = headers["Webhook-Id"]
    stale = signed_headers(sandbox.webhook_secret, event_id, body, int(time.time()) - 600)
    with pytest.raises(WebhookRejected, match="old"):
        backend.parse_payment_webhook(body, stale)
    with pytest.raises(WebhookRejected, match="signature"):
        backend.parse_payment_webhook(body, {**headers, "Webhook-Id": "evt_other"})


def test_an_account_event_is_not_a_payment_event(sandbox, backend, receiver):
    active_account(sandbox, backend)
    wait_for(lambda: receiver.bodies(), timeout=10, what="an account webhook")
    with receiver.lock:
        headers, body = receiver.received[0]

    with pytest.raises(WebhookRejected, match="not a payment"):
        backend.parse_payment_webhook(body, headers)


def test_duplicate_faults_send_a_payment_event_twice_with_one_id(sandbox, backend, receiver):
    session = open_session(backend, active_account(sandbox, backend))
    sandbox.faults(duplicate_webhooks=True)

    pay(session, SUCCEEDS)

    first, second = payment_deliveries(receiver, 2)
    assert first[0]["Webhook-Id"] == second[0]["Webhook-Id"]
    assert sandbox.stats()["payments_by_reference"] == {session.reference: 1}


def test_out_of_order_faults_deliver_the_refund_before_the_payment(sandbox, backend, receiver):
    session = open_session(backend, active_account(sandbox, backend))
    sandbox.faults(out_of_order_webhooks=True)

    pay(session, SUCCEEDS)
    payment = backend.get_payment_session(session.ref).payment_ref
    backend.refund(payment_ref=payment, amount_minor=15_000, idempotency_key="r-1")

    types = [json.loads(body)["type"] for _, body in payment_deliveries(receiver, 2)]
    assert types == ["refund.succeeded", "payment.succeeded"]
