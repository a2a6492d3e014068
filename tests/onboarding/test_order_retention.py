"""A buyer's name and number are erased once her order has been over for the retention period;
the order, its amounts and its timeline stay, and orders still under way keep them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from maalem.core.retention import purge_expired
from onboarding.marketplace import order_states
from onboarding.marketplace.models import Dispute, Order

from .order_builders import place_order
from .product_builders import make_product, selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys")]


def test_the_buyers_of_orders_long_over_are_erased(settings) -> None:
    settings.MARKETPLACE_ORDER_BUYER_DATA_KEPT_DAYS = 30
    seller = selling_seller()
    product = make_product(seller)
    delivered, _ = place_order(seller, product)
    for state in ("paid", "accepted", "shipped", "delivered"):
        order_states.transition(
            delivered.pk, state, actor_label="test", reason="t", payment_ref="pay_1"
        )
    unpaid, _ = place_order(seller, product)
    order_states.transition(unpaid.pk, "cancelled", actor_label="test", reason="t")
    shipped, _ = place_order(seller, product)
    for state in ("paid", "accepted", "shipped"):
        order_states.transition(
            shipped.pk, state, actor_label="test", reason="t", payment_ref="pay_2"
        )
    recent, _ = place_order(seller, product)
    order_states.transition(recent.pk, "cancelled", actor_label="test", reason="t")
    long_ago = timezone.now() - timedelta(days=31)
    Order.objects.exclude(pk=recent.pk).update(updated_at=long_ago)

    assert purge_expired(dry_run=True)["marketplace.orders.order_buyers"] == 2
    assert purge_expired()["marketplace.orders.order_buyers"] == 2
    assert purge_expired()["marketplace.orders.order_buyers"] == 0

    erased = {order.pk: order for order in Order.objects.all()}
    for order in (erased[delivered.pk], erased[unpaid.pk]):
        assert (order.buyer_name, order.buyer_phone) == (None, None)
        assert order.buyer_erased_at is not None and order.items_total == product.price
        assert order.events.exists()
    for order in (erased[shipped.pk], erased[recent.pk]):
        assert order.buyer_name == "Salma" and order.buyer_erased_at is None


def test_erasing_the_seller_keeps_her_orders_under_the_shops_name(client) -> None:
    from onboarding import personal_data

    seller = selling_seller()
    order, token = place_order(seller, make_product(seller))
    order_states.transition(order.pk, "paid", actor_label="test", reason="t", payment_ref="p")

    personal_data.erase(seller.case.learner, keep_certificates=True)

    order = Order.objects.get(pk=order.pk)
    assert order.seller_id is None and order.shop_name == "Atelier Zellige"
    assert client.get(f"/en/orders/{token}/").status_code == 200


def test_the_evidence_of_a_dispute_long_closed_is_encrypted_then_erased(settings) -> None:
    settings.MARKETPLACE_ORDER_BUYER_DATA_KEPT_DAYS = 30
    seller = selling_seller()
    order, _ = place_order(seller, make_product(seller))
    long_ago = timezone.now() - timedelta(days=31)
    dispute = {"order": order, "payment_ref": "pay_1", "amount": 100, "reason": "other"}
    closed = Dispute.objects.create(
        **dispute,
        provider_ref="dp_closed",
        status="lost",
        opened_at=long_ago,
        closed_at=long_ago,
        evidence="Livré à Salma, 12 rue des Potiers, Safi",
    )
    still_open = Dispute.objects.create(
        **dispute,
        provider_ref="dp_open",
        status="under_review",
        opened_at=long_ago,
        evidence="Livré à Salma le 3 mars",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT evidence FROM maalem_marketplace_dispute")
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert "Salma" not in stored and "Potiers" not in stored

    assert purge_expired(dry_run=True)["marketplace.orders.dispute_evidence"] == 1
    assert purge_expired()["marketplace.orders.dispute_evidence"] == 1
    assert purge_expired()["marketplace.orders.dispute_evidence"] == 0
    assert Dispute.objects.get(pk=closed.pk).evidence is None
    assert Dispute.objects.get(pk=still_open.pk).evidence == "Livré à Salma le 3 mars"
