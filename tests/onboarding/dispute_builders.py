"""Builders for the dispute tests (no tests here): an order paid at the sandbox, and a
dispute's webhook, signed as the sandbox signs it, posted to the site's endpoint and processed
as the worker would."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from onboarding import account_updates
from onboarding.marketplace import order_payments
from onboarding.marketplace.models import Order
from onboarding.models import WebhookEvent
from onboarding.providers.payments import HTTPPaymentsBackend
from onboarding.providers.signatures import signed_headers

from .order_builders import order_form, paying_seller
from .payment_session_builders import SUCCEEDS, pay
from .product_builders import make_product
from .sandbox_process import RunningSandbox

WEBHOOK = "/onboarding/webhooks/payments/"


def paid_orders(client: Any, sandbox: RunningSandbox, count: int = 1) -> list[Order]:
    """Orders placed through the form and paid on the sandbox's hosted page."""
    seller = paying_seller(sandbox)
    product = make_product(seller, availability="in_stock", quantity=10, price=15_000)
    backend = HTTPPaymentsBackend(**sandbox.options())
    for _ in range(count):
        assert client.post(f"/fr/orders/new/{product.public_id}/", order_form()).status_code == 302
    orders = []
    for order in Order.objects.filter(seller=seller).order_by("pk"):
        session = backend.get_payment_session(order.payment_session_ref)
        pay(session, SUCCEEDS)
        order_payments.apply_session(
            order.pk, backend.get_payment_session(session.ref), actor_label="test"
        )
        orders.append(Order.objects.get(pk=order.pk))
    assert all(order.state == "paid" for order in orders)
    return orders


def post_event(
    client: Any, sandbox: RunningSandbox, event_type: str, dispute: dict[str, Any], event_id: str
) -> dict[str, Any]:
    """POST a signed ``dispute.*`` webhook to the site, as the sandbox would."""
    event = {"id": event_id, "type": event_type, "created": int(time.time())}
    body = json.dumps({**event, "data": {"dispute": dispute}}).encode()
    headers = signed_headers(sandbox.webhook_secret, event_id, body, int(time.time()))
    answer = client.post(WEBHOOK, body, content_type="application/json", headers=headers)
    assert answer.status_code == 200, answer.content
    return answer.json()


def deliver(
    client: Any, sandbox: RunningSandbox, event_type: str, dispute: dict[str, Any], copies: int = 1
) -> str:
    """Post the event ``copies`` times (one event id), then process it as the worker would."""
    event_id = f"evt_{secrets.token_hex(8)}"
    answers = [post_event(client, sandbox, event_type, dispute, event_id) for _ in range(copies)]
    assert [answer["duplicate"] for answer in answers] == [False] + [True] * (copies - 1)
    stored = WebhookEvent.objects.get(event_id=event_id)
    return account_updates.process_webhook(stored.pk)


def replay(event_type: str) -> str:
    """Process the last stored event of this type again, as after a worker died."""
    stored = WebhookEvent.objects.filter(type=event_type).latest("pk")
    WebhookEvent.objects.filter(pk=stored.pk).update(processed_at=None)
    return account_updates.process_webhook(stored.pk)


def dispute_lines(order: Order) -> list[str]:
    """The reasons of the order's dispute lines of its timeline (same state before and after)."""
    return [
        event.reason for event in order.events.order_by("pk") if event.from_state == event.to_state
    ]
