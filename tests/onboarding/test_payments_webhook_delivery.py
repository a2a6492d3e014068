"""The sandbox delivers signed account.updated webhooks, and injects duplicates and reordering."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from onboarding.providers.payments import HTTPPaymentsBackend
from tests.worker import wait_for

from .payments_builders import make_applicant
from .sandbox_process import RunningSandbox, running_sandbox


class Receiver(ThreadingHTTPServer):
    """A stdlib webhook endpoint that keeps what it gets and fails the first ``fail_first``."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.fail_first = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/webhooks/payments/"

    def bodies(self) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(body) for _, body in self.received]


class ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with self.server.lock:
            self.server.received.append((dict(self.headers), body))
            failing = self.server.fail_first > 0
            self.server.fail_first -= 1
        self.send_response(500 if failing else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def sandbox_server(receiver: Receiver) -> Iterator[RunningSandbox]:
    with running_sandbox(
        webhook_url=receiver.url, activation_delay=0.2, webhook_backoff=0.05
    ) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(sandbox_server: RunningSandbox, receiver: Receiver) -> RunningSandbox:
    sandbox_server.reset()
    with receiver.lock:
        receiver.received.clear()
        receiver.fail_first = 0
    return sandbox_server


def wait_for_deliveries(receiver: Receiver, count: int, timeout: float = 5) -> None:
    wait_for(
        lambda: len(receiver.received) >= count,
        timeout=timeout,
        what=f"{count} webhooks",
        every=0.02,
    )


def open_account(sandbox: RunningSandbox, key: str = "case-1-payment") -> str:
    return HTTPPaymentsBackend(**sandbox.options()).open_account(make_applicant(), key).ref


def test_the_sandbox_sends_signed_webhooks_that_the_backend_accepts(sandbox, receiver):
    ref = open_account(sandbox)
    wait_for_deliveries(receiver, 2)

    payments = HTTPPaymentsBackend(
        **sandbox.options(webhook_secrets=["whsec_new", "whsec_sandbox"])
    )
    events = [payments.parse_webhook(body, headers) for headers, body in receiver.received]

    assert [event.account_ref for event in events] == [ref, ref]
    assert [event.raw["data"]["account"]["status"] for event in events] == ["pending", "active"]
    assert {event.type for event in events} == {"account.updated"}


def test_a_webhook_the_receiver_refuses_is_retried_until_it_is_accepted(sandbox, receiver):
    receiver.fail_first = 2
    sandbox.configure(activation_delay=60)

    open_account(sandbox)
    wait_for_deliveries(receiver, 3)

    event_ids = [headers["Webhook-Id"] for headers, _ in receiver.received]
    assert len(set(event_ids)) == 1
    # The sandbox counts a delivery once the receiver's answer is back, just after it arrived.
    wait_for(
        lambda: sandbox.stats()["webhooks_delivered"] >= 1, timeout=5, what="the delivery counted"
    )
    stats = sandbox.stats()
    assert (stats["webhooks_failed"], stats["webhooks_delivered"]) == (2, 1)


def test_webhook_retries_stop_after_the_configured_number_of_attempts(sandbox, receiver):
    receiver.fail_first = 100
    sandbox.configure(activation_delay=60, webhook_max_attempts=3)

    open_account(sandbox)
    wait_for(
        lambda: sandbox.stats()["webhooks_abandoned"] == 1,
        timeout=5,
        what="the sandbox to give up on the webhook",
    )

    assert len(receiver.received) == 3
    assert sandbox.stats()["webhooks_sent"] == 3


def test_duplicate_injection_delivers_every_event_twice(sandbox, receiver):
    sandbox.faults(duplicate_webhooks=True)

    open_account(sandbox)
    wait_for_deliveries(receiver, 4)

    event_ids = [headers["Webhook-Id"] for headers, _ in receiver.received]
    assert len(event_ids) == 4
    assert len(set(event_ids)) == 2
    assert all(event_ids.count(event_id) == 2 for event_id in event_ids)


def test_out_of_order_injection_delivers_the_newer_event_first(sandbox, receiver):
    sandbox.faults(out_of_order_webhooks=True)

    ref = open_account(sandbox)
    wait_for_deliveries(receiver, 2)

    created_order = [event["id"] for event in sandbox.events() if event["account"] == ref]
    delivered_order = [body["id"] for body in receiver.bodies()]
    assert delivered_order == list(reversed(created_order))
    assert [body["data"]["account"]["status"] for body in receiver.bodies()] == [
        "active",
        "pending",
    ]


def test_a_status_change_made_by_hand_sends_a_webhook(sandbox, receiver):
    sandbox.configure(activation_delay=60)
    ref = open_account(sandbox)
    wait_for_deliveries(receiver, 1)

    sandbox.set_account(ref, "restricted", ["identity_document"])
    wait_for_deliveries(receiver, 2)

    last = receiver.bodies()[-1]["data"]["account"]
    assert (last["status"], last["requirements"]) == ("restricted", ["identity_document"])
