"""Builders for the order tests (no tests here): an order placed with a selling seller."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from onboarding.marketplace import order_states, order_stock
from onboarding.marketplace.models import Order, OrderItem, Product, SellerProfilePage

BUYER_PHONE = "+212661234567"


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


def paying_seller(sandbox: Any, shop_name: str = "Atelier Zellige") -> SellerProfilePage:
    """A selling seller whose merchant account is a real active account of the sandbox."""
    from onboarding.models import OnboardingCase
    from onboarding.providers.payments import HTTPPaymentsBackend

    from .payment_session_builders import active_account
    from .product_builders import selling_seller

    seller = selling_seller(shop_name)
    ref = active_account(sandbox, HTTPPaymentsBackend(**sandbox.options()))
    OnboardingCase.objects.filter(pk=seller.case_id).update(payment_account_ref=ref)
    return SellerProfilePage.objects.select_related("case").get(pk=seller.pk)


def order_form(**overrides: Any) -> dict[str, Any]:
    return {
        "quantity": "1",
        "buyer_name": "Salma Bennani",
        "buyer_phone": "06 61 23 45 67",
        "buyer_language": "fr",
        **overrides,
    }


def run_steps(order: Order) -> list[str]:
    """Run the order's due steps here, as a worker would (twice: a redelivery changes nothing)."""
    from onboarding.marketplace import order_outbox
    from onboarding.marketplace.models import OrderStep

    outcomes = []
    for _round in range(2):
        for step_id in (
            OrderStep.objects.filter(order=order).order_by("pk").values_list("pk", flat=True)
        ):
            outcomes.append(order_outbox.run_step(step_id))
    return outcomes
