"""The demo has an order in every state for each live seller, taken there by the real state
machine, payment webhooks and refund step of the in-memory provider; loading it again changes
nothing."""

from __future__ import annotations

import pytest

from demo import orders as demo_orders
from onboarding.marketplace.models import Order, OrderEvent, OrderState, OrderStep, OrderStepKind
from tests.onboarding.product_builders import make_product, selling_seller

pytestmark = pytest.mark.django_db

S = OrderState


@pytest.fixture
def demo_seller():
    seller = selling_seller("Atelier Latifa")
    make_product(seller, availability="in_stock", quantity=3)
    made_to_order = make_product(seller, availability="made_to_order", price=32000)
    return seller, made_to_order


def test_each_live_seller_gets_an_order_in_every_state_once(demo_seller):
    seller, product = demo_seller

    assert demo_orders.ensure_orders() == 7
    first = {
        "orders": sorted(Order.objects.values_list("public_id", "state")),
        "events": OrderEvent.objects.count(),
        "steps": OrderStep.objects.count(),
    }
    assert demo_orders.ensure_orders() == 0

    assert sorted(state for _number, state in first["orders"]) == sorted(S.values)
    assert {
        "orders": sorted(Order.objects.values_list("public_id", "state")),
        "events": OrderEvent.objects.count(),
        "steps": OrderStep.objects.count(),
    } == first
    assert set(Order.objects.values_list("seller", flat=True)) == {seller.pk}
    assert set(Order.objects.values_list("items__product", flat=True)) == {product.pk}


def test_the_payment_references_are_the_providers_and_consistent_with_each_state(demo_seller):
    demo_orders.ensure_orders()
    orders = {order.state: order for order in Order.objects.all()}

    unpaid, declined = orders[S.PENDING_PAYMENT], orders[S.CANCELLED]
    assert unpaid.payment_session_ref and unpaid.hosted_url and not unpaid.payment_ref
    assert declined.payment_session_ref and not declined.payment_ref
    for state in (S.PAID, S.ACCEPTED, S.SHIPPED, S.DELIVERED, S.REFUNDED):
        order = orders[state]
        assert order.payment_ref and order.paid_at is not None
        assert order.fee > 0 and order.net == order.items_total - order.fee
    refunded = orders[S.REFUNDED]
    assert refunded.refund_ref
    refund_step = OrderStep.objects.get(order=refunded, kind=OrderStepKind.REFUND)
    assert (refund_step.status, refund_step.external_ref) == ("succeeded", refunded.refund_ref)
    assert [event.to_state for event in refunded.events.all()] == [
        S.PENDING_PAYMENT,
        S.PAID,
        S.CANCELLED,
        S.REFUNDED,
    ]
    assert [event.actor_label for event in orders[S.DELIVERED].events.all()] == [
        "buyer",
        "provider webhook",
        "seller",
        "seller",
        "seller",
    ]


def test_the_buyers_are_made_up_with_numbers_that_reach_nobody(demo_seller):
    demo_orders.ensure_orders()

    for order in Order.objects.all():
        assert str(order.buyer_name).endswith("(تجربة)")
        assert str(order.buyer_phone).startswith("+2126000000")


def test_latifa_also_has_a_delivered_order_with_an_open_dispute(demo_seller, monkeypatch):
    seller, _product = demo_seller
    username = seller.case.learner.get_username()
    monkeypatch.setattr(demo_orders, "DISPUTED_FOR", (username,))

    assert demo_orders.ensure_orders() == 8
    assert demo_orders.ensure_orders() == 0

    disputed = Order.objects.get(public_id=demo_orders.order_number(username, S.DELIVERED, "x"))
    (dispute,) = disputed.disputes.all()
    assert disputed.state == S.DELIVERED
    assert (dispute.status, dispute.reason, dispute.payment_ref) == (
        "needs_response",
        "product_not_received",
        disputed.payment_ref,
    )
    assert dispute.amount == disputed.items_total
    assert (
        disputed.events.last().reason
        == f"dispute {dispute.provider_ref} opened: product_not_received"
    )
