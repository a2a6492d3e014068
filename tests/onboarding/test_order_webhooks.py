"""Payment and refund webhooks applied to orders exactly once: the event is only a hint, the
session or refund is fetched again from the sandbox; duplicates, late and out-of-order events
end the same way, and an event is kept for another try while the provider cannot be reached."""

from __future__ import annotations

import secrets
import time
from typing import Any

import pytest

from onboarding import account_updates
from onboarding.marketplace.models import Order, OrderStep
from onboarding.models import WebhookEvent
from onboarding.providers.base import WebhookEvent as Event
from onboarding.providers.payments import HTTPPaymentsBackend

from .order_builders import order_form, paying_seller, run_steps
from .payment_session_builders import DECLINED, SUCCEEDS, pay, wait_for_refund
from .product_builders import make_product

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "sms_outbox")]


@pytest.fixture
def ordered(client, provider) -> Order:
    """An order placed through the form: pending payment, its session open at the sandbox."""
    provider.configure(refund_delay=0.05)
    seller = paying_seller(provider)
    product = make_product(seller, availability="in_stock", quantity=1, price=15_000)
    assert client.post(f"/fr/orders/new/{product.public_id}/", order_form()).status_code == 302
    return Order.objects.get()


def deliver(order: Order, event_type: str, status: str, **thing: Any) -> str:
    """Store a payment webhook about ``order`` (as the endpoint does) and process it."""
    name = "refund" if event_type.startswith("refund.") else "payment"
    body = {
        "id": thing.pop("id", f"{name[:3]}_{secrets.token_hex(6)}"),
        "account": order.payment_account_ref,
        "session": order.payment_session_ref,
        "reference": order.public_id,
        "amount_minor": order.items_total,
        "fee_minor": 0,
        "status": status,
        **thing,
    }
    raw = {"id": f"evt_{secrets.token_hex(8)}", "type": event_type, "data": {name: body}}
    event = Event(raw["id"], event_type, order.payment_account_ref, int(time.time()), raw)
    stored, _created = account_updates.record_webhook("payments", event)
    return account_updates.process_webhook(stored.pk)


def replay(event_pk: int) -> str:
    WebhookEvent.objects.filter(pk=event_pk).update(processed_at=None)
    return account_updates.process_webhook(event_pk)


def session(order: Order, provider) -> Any:
    return HTTPPaymentsBackend(**provider.options()).get_payment_session(order.payment_session_ref)


def test_a_payment_webhook_makes_the_order_paid_once(ordered, provider) -> None:
    pay(session(ordered, provider), SUCCEEDS)

    assert deliver(ordered, "payment.succeeded", "succeeded") == "processed"
    event = WebhookEvent.objects.get()
    assert replay(event.pk) == "processed"  # a redelivery after a worker died
    assert deliver(ordered, "payment.succeeded", "succeeded") == "processed"  # a new event id

    order = Order.objects.get()
    assert order.state == "paid"
    assert order.payment_ref.startswith("pay_")
    assert (order.fee, order.net) == (325, 15_000 - 325)
    assert [e.to_state for e in order.events.all()] == ["pending_payment", "paid"]
    texts = OrderStep.objects.filter(order=order, kind__startswith="sms")
    assert sorted(texts.values_list("kind", "about")) == [
        ("sms_buyer", "paid"),
        ("sms_seller", "paid"),
    ]


def test_the_payload_is_not_trusted(ordered, provider) -> None:
    # A forged or stale "succeeded" for a session nobody paid changes nothing.
    assert deliver(ordered, "payment.succeeded", "succeeded") == "processed"
    assert Order.objects.get().state == "pending_payment"
    # A "failed" arriving for a session that was in fact paid: the sandbox's word wins.
    pay(session(ordered, provider), SUCCEEDS)
    assert deliver(ordered, "payment.failed", "failed") == "processed"
    assert Order.objects.get().state == "paid"


def test_a_late_failure_after_the_success_changes_nothing(ordered, provider) -> None:
    pay(session(ordered, provider), SUCCEEDS)
    deliver(ordered, "payment.succeeded", "succeeded")
    deliver(ordered, "payment.failed", "failed")
    deliver(ordered, "payment.succeeded", "succeeded")

    order = Order.objects.get()
    assert order.state == "paid"
    assert order.events.count() == 2


def test_a_declined_payment_cancels_the_order_and_gives_the_stock_back(ordered, provider) -> None:
    pay(session(ordered, provider), DECLINED)

    deliver(ordered, "payment.failed", "failed")
    deliver(ordered, "payment.failed", "failed")

    order = Order.objects.get()
    assert order.state == "cancelled"
    assert order.stock_released_at is not None
    assert order.items.get().product.quantity == 1
    # Never paid: no refund, and no text to a buyer who was told on the payment page.
    assert not OrderStep.objects.filter(order=order).exclude(kind="payment_session").exists()


def test_a_refund_event_before_the_payment_changes_nothing(ordered, provider) -> None:
    pay(session(ordered, provider), SUCCEEDS)
    order = Order.objects.get()
    payment_ref = session(order, provider).payment_ref
    refund = HTTPPaymentsBackend(**provider.options()).refund(
        payment_ref=payment_ref, amount_minor=100, idempotency_key="refund-test"
    )
    wait_for_refund(HTTPPaymentsBackend(**provider.options()), refund.ref)

    # The refund's news first (the order is not even known as paid yet): not ours to apply.
    assert deliver(order, "refund.succeeded", "succeeded", id=refund.ref, payment=payment_ref) == (
        "processed"
    )
    assert Order.objects.get().state == "pending_payment"
    deliver(order, "payment.succeeded", "succeeded")
    assert Order.objects.get().state == "paid"


def test_a_cancelled_paid_order_is_refunded_once(ordered, provider, sms_outbox) -> None:
    from onboarding.marketplace import order_states

    pay(session(ordered, provider), SUCCEEDS)
    deliver(ordered, "payment.succeeded", "succeeded")
    order_states.transition(ordered.pk, "cancelled", actor_label="seller", reason="test")
    run_steps(ordered)
    order = Order.objects.get()
    refund_step = OrderStep.objects.get(order=order, kind="refund")
    assert refund_step.status == "succeeded" and order.refund_ref
    wait_for_refund(HTTPPaymentsBackend(**provider.options()), order.refund_ref)

    for _ in range(2):
        deliver(
            order,
            "refund.succeeded",
            "succeeded",
            id=order.refund_ref,
            payment=order.payment_ref,
        )
    run_steps(order)

    order = Order.objects.get()
    assert order.state == "refunded"
    assert [e.to_state for e in order.events.all()][-2:] == ["cancelled", "refunded"]
    assert provider.stats()["refunds_created"] == 1
    abouts = [text for _phone, text in sms_outbox]
    assert len(abouts) == len(set(abouts)) == 4  # paid (buyer, seller), cancelled, refunded


def test_an_event_stays_unprocessed_while_the_provider_is_down(ordered, provider) -> None:
    pay(session(ordered, provider), SUCCEEDS)
    provider.faults(fail_next=10, fail_status=503)

    assert deliver(ordered, "payment.succeeded", "succeeded") == "provider not reached, will retry"

    event = WebhookEvent.objects.get()
    assert event.processed_at is None and event.next_attempt_at is not None
    assert Order.objects.get().state == "pending_payment"
    provider.faults(fail_next=0)
    assert account_updates.process_webhook(event.pk) == "processed"
    assert Order.objects.get().state == "paid"


def test_events_about_no_order_are_closed(provider) -> None:
    raw = {
        "id": "evt_elsewhere",
        "type": "payment.succeeded",
        "data": {
            "payment": {
                "id": "pay_x",
                "account": "acct_x",
                "session": "ps_unknown",
                "reference": "not-an-order",
                "amount_minor": 100,
                "fee_minor": 0,
                "status": "succeeded",
            }
        },
    }
    stored, _ = account_updates.record_webhook(
        "payments", Event("evt_elsewhere", "payment.succeeded", "acct_x", int(time.time()), raw)
    )
    assert account_updates.process_webhook(stored.pk) == "ignored"
    assert WebhookEvent.objects.get().processed_at is not None
