"""Builders for the order tests (no tests here): an order placed with a selling seller."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from onboarding.marketplace import order_states, order_stock
from onboarding.marketplace.models import Order, OrderItem, Product, SellerProfilePage

BUYER_PHONE = "+212612345678"


def place_order(
    seller: SellerProfilePage, product: Product, quantity: int = 1, **fields: Any
) -> tuple[Order, str]:
    """An order pending payment for ``quantity`` of ``product``, written as checkout writes it
    (without calling the provider); the order and the buyer's token."""
    with transaction.atomic():
        order = Order(
            seller=seller,
            shop_name=seller.title,
            buyer_name="Salma",
            buyer_phone=BUYER_PHONE,
            buyer_language=fields.pop("buyer_language", "fr"),
            items_total=(product.price or 0) * quantity,
            payment_account_ref=seller.case.payment_account_ref,
            **fields,
        )
        token = order.set_token()
        order.save()
        reserved = product.in_stock
        if reserved:
            assert order_stock.take(product.pk, quantity)
        OrderItem.objects.create(
            order=order,
            product=product,
            title=product.title_fr,
            unit_price=product.price or 0,
            quantity=quantity,
            reserved=reserved,
        )
        order_states.record_opening(order, actor_label="buyer", reason="ordered")
    return order, token
