"""The seller's orders on her dashboard: her own only, newest first in pages, her buttons
(POST only, cancel asked first), and one text message per step, however often it is run."""

from __future__ import annotations

import pytest

from onboarding.marketplace import order_states
from onboarding.marketplace.models import Order, OrderStep
from tests.builders import make_learner

from .order_builders import BUYER_PHONE, place_order, run_steps
from .product_builders import make_product, selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "sms_outbox")]


@pytest.fixture
def seller():
    return selling_seller()


def paid_order(seller, **fields) -> Order:
    product = make_product(seller, availability="in_stock", quantity=5)
    order, _token = place_order(seller, product, **fields)
    order_states.transition(
        order.pk, "paid", actor_label="payment provider", reason="paid", payment_ref="pay_1"
    )
    return Order.objects.get(pk=order.pk)


def test_her_orders_are_listed_newest_first_with_the_paid_ones_highlighted(
    client, seller, django_assert_max_num_queries
) -> None:
    first = paid_order(seller)
    second = paid_order(seller)
    order_states.transition(first.pk, "accepted", actor_label="seller", reason="test")
    product = make_product(seller)
    place_order(seller, product)  # unpaid: not hers to act on yet
    client.force_login(seller.case.learner)

    # The page frame (navigation, languages) and two for the orders, whatever their number.
    with django_assert_max_num_queries(24):
        page = client.get("/en/sell/orders/")

    assert page.status_code == 200
    shown = [order.public_id for order in page.context["orders"]]
    assert shown == [second.public_id, first.public_id]
    assert page.context["waiting"] == 1
    assert b'class="card new"' in page.content


def test_the_list_is_paginated(client, seller, settings) -> None:
    settings.MARKETPLACE_ORDER_PER_PAGE = 2
    orders = [paid_order(seller) for _ in range(3)]
    client.force_login(seller.case.learner)

    first = client.get("/en/sell/orders/")
    second = client.get("/en/sell/orders/?page=2")

    assert [o.public_id for o in first.context["orders"]] == [
        orders[2].public_id,
        orders[1].public_id,
    ]
    assert first.context["next_page"] == 2
    assert [o.public_id for o in second.context["orders"]] == [orders[0].public_id]
    assert second.context["next_page"] is None


def test_she_accepts_ships_and_delivers_with_post_buttons(client, seller) -> None:
    order = paid_order(seller)
    client.force_login(seller.case.learner)
    detail = client.get(f"/en/sell/orders/{order.public_id}/")
    assert detail.status_code == 200
    assert detail.context["actions"] == ["accept", "cancel"]
    assert "Salma" in detail.content.decode()  # she needs the buyer's name and number

    assert client.get(f"/en/sell/orders/{order.public_id}/accept/").status_code == 405
    for action, state in (("accept", "accepted"), ("ship", "shipped"), ("deliver", "delivered")):
        answer = client.post(f"/en/sell/orders/{order.public_id}/{action}/")
        assert answer.status_code == 302
        assert Order.objects.get(pk=order.pk).state == state
    # A second press finds the order moved on: nothing happens, she is told.
    answer = client.post(f"/en/sell/orders/{order.public_id}/deliver/", follow=True)
    assert "changed meanwhile" in answer.content.decode()
    assert Order.objects.get(pk=order.pk).events.count() == 5


def test_cancelling_asks_first_then_refunds(client, seller) -> None:
    order = paid_order(seller)
    client.force_login(seller.case.learner)

    ask = client.get(f"/en/sell/orders/{order.public_id}/cancel/")
    assert ask.status_code == 200
    assert "Cancel this order?" in ask.content.decode()
    assert Order.objects.get(pk=order.pk).state == "paid"

    client.post(f"/en/sell/orders/{order.public_id}/cancel/")

    order = Order.objects.get(pk=order.pk)
    assert order.state == "cancelled"
    assert OrderStep.objects.filter(order=order, kind="refund").count() == 1
    assert order.items.get().product.quantity == 5
    assert client.get(f"/en/sell/orders/{order.public_id}/cancel/").status_code == 404


def test_another_sellers_order_does_not_exist_for_her(client, seller) -> None:
    order = paid_order(seller)
    other = selling_seller("Poterie Safi")
    client.force_login(other.case.learner)

    for url in ("", "cancel/"):
        assert client.get(f"/en/sell/orders/{order.public_id}/{url}").status_code == 404
    for action in ("accept", "cancel"):
        assert client.post(f"/en/sell/orders/{order.public_id}/{action}/").status_code == 404
    assert Order.objects.get(pk=order.pk).state == "paid"
    client.force_login(make_learner())
    assert client.get("/en/sell/orders/").status_code == 404


def test_an_unpaid_order_is_not_hers_to_act_on(client, seller) -> None:
    order, _token = place_order(seller, make_product(seller))
    client.force_login(seller.case.learner)

    assert client.get(f"/en/sell/orders/{order.public_id}/").status_code == 404
    assert client.post(f"/en/sell/orders/{order.public_id}/accept/").status_code == 302
    assert Order.objects.get(pk=order.pk).state == "pending_payment"


def test_each_step_texts_once_in_each_ones_language(seller, sms_outbox) -> None:
    order = paid_order(seller, buyer_language="ar")
    for state in ("accepted", "shipped", "delivered"):
        order_states.transition(order.pk, state, actor_label="seller", reason="test")

    outcomes = run_steps(order)
    run_steps(order)

    assert outcomes.count("succeeded") == 5
    buyer = [text for phone, text in sms_outbox if phone == BUYER_PHONE]
    assert len(buyer) == 4
    assert all(f"/ar/orders/{order.buyer_token}/" in text for text in buyer)
    seller_texts = [text for phone, text in sms_outbox if phone != BUYER_PHONE]
    assert len(seller_texts) == 1 and order.public_id in seller_texts[0]
    assert "http" not in seller_texts[0]
