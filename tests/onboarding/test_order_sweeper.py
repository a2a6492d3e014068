"""The orders' sweeper: a lost step is run again, and an unpaid order past its hold is settled
by asking the sandbox (paid after all, or cancelled with its pieces back on sale)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.marketplace import order_sweeper
from onboarding.marketplace.models import Order, OrderStep, Product
from onboarding.providers.payments import HTTPPaymentsBackend

from .order_builders import order_form, paying_seller, place_order
from .payment_session_builders import SUCCEEDS, pay
from .product_builders import make_product, selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "sms_outbox")]


def order_through_the_form(client, provider, quantity: int = 2) -> Order:
    seller = paying_seller(provider)
    product = make_product(seller, availability="in_stock", quantity=quantity)
    assert client.post(f"/fr/orders/new/{product.public_id}/", order_form()).status_code == 302
    return Order.objects.get()


def past_its_hold(order: Order) -> None:
    Order.objects.filter(pk=order.pk).update(reserved_until=timezone.now() - timedelta(seconds=1))


def test_an_order_still_being_paid_keeps_its_stock(client, provider) -> None:
    order = order_through_the_form(client, provider)
    past_its_hold(order)

    assert order_sweeper.sweep()["orders"] == 1

    assert Order.objects.get().state == "pending_payment"
    assert Product.objects.get().quantity == 1


def test_a_paid_order_whose_webhook_was_lost_is_paid(client, provider) -> None:
    order = order_through_the_form(client, provider)
    backend = HTTPPaymentsBackend(**provider.options())
    pay(backend.get_payment_session(order.payment_session_ref), SUCCEEDS)
    past_its_hold(order)

    order_sweeper.sweep()

    order = Order.objects.get()
    assert order.state == "paid" and order.payment_ref
    assert [e.actor_label for e in order.events.all()][-1] == "sweeper"


def test_an_expired_payment_cancels_the_order_and_frees_its_stock(client, provider) -> None:
    provider.configure(session_lifetime=0.2)
    order = order_through_the_form(client, provider)
    time.sleep(0.3)
    past_its_hold(order)

    order_sweeper.sweep()
    order_sweeper.sweep()

    order = Order.objects.get()
    assert order.state == "cancelled"
    assert Product.objects.get().quantity == 2
    assert order.events.count() == 2


def test_an_order_that_never_got_a_payment_page_is_given_up(provider) -> None:
    seller = selling_seller()
    product = make_product(seller, availability="in_stock", quantity=1)
    order, _token = place_order(seller, product)
    past_its_hold(order)

    order_sweeper.sweep()

    assert Order.objects.get().state == "cancelled"
    assert Product.objects.get().quantity == 1


def test_a_step_whose_message_was_lost_is_run_again(client, provider, eager_tasks) -> None:
    seller = paying_seller(provider)
    product = make_product(seller)
    provider.faults(fail_next=1, fail_status=503)
    client.post(f"/fr/orders/new/{product.public_id}/", order_form())
    order = Order.objects.get()
    step = OrderStep.objects.get(order=order)
    assert step.status == "failed"
    # Its retry's message never came: due now, and sent long ago.
    OrderStep.objects.filter(pk=step.pk).update(
        next_attempt_at=timezone.now(), enqueued_at=timezone.now() - timedelta(hours=1)
    )

    assert order_sweeper.sweep()["steps"] == 1

    step.refresh_from_db()
    assert step.status == "succeeded"
    assert Order.objects.get().hosted_url.startswith(provider.url)
    assert provider.stats()["payment_sessions_created"] == 1
