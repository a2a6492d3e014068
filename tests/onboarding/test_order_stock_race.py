"""Two buyers of the last piece, on two connections at once: one gets it, the other is told it
sold out, and nothing of her order is left behind (PostgreSQL, where the row lock is real)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from onboarding.marketplace.models import Order, OrderItem, Product
from onboarding.marketplace.order_checkout import Line, OutOfStock, place_order

from .product_builders import make_product, selling_seller

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("pii_keys"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
]


def form(name: str) -> dict[str, object]:
    return {
        "quantity": 1,
        "buyer_name": name,
        "buyer_phone": "+212661234567",
        "buyer_language": "fr",
    }


def test_two_buyers_never_both_get_the_last_piece() -> None:
    seller = selling_seller()
    product = make_product(seller, availability="in_stock", quantity=1)
    product = Product.objects.select_related("seller__case").get(pk=product.pk)
    first_holds_it = threading.Event()
    outcomes: dict[str, str] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                place_order([Line(product, 1)], form("Salma"))
                first_holds_it.set()
                time.sleep(0.5)  # the second buyer's order runs now, against this open one
            outcomes["first"] = "ordered"
        finally:
            first_holds_it.set()
            connection.close()

    def second() -> None:
        try:
            first_holds_it.wait(5)
            place_order([Line(product, 1)], form("Nadia"))
            outcomes["second"] = "ordered"
        except OutOfStock:
            outcomes["second"] = "sold out"
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert outcomes == {"first": "ordered", "second": "sold out"}
    # The second one waited for the first one's lock, then found nothing left.
    assert time.monotonic() - started >= 0.5
    assert Product.objects.get(pk=product.pk).quantity == 0
    assert Order.objects.count() == 1 and OrderItem.objects.count() == 1
    assert Order.objects.get().buyer_name == "Salma"


def test_many_buyers_at_once_share_the_stock_exactly() -> None:
    seller = selling_seller()
    product = make_product(seller, availability="in_stock", quantity=3)
    product = Product.objects.select_related("seller__case").get(pk=product.pk)
    gate = threading.Barrier(6)
    results: list[str] = []

    def buyer(number: int) -> None:
        try:
            gate.wait(5)
            place_order([Line(product, 1)], form(f"Buyer {number}"))
            results.append("ordered")
        except OutOfStock:
            results.append("sold out")
        finally:
            connection.close()

    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert sorted(results) == ["ordered"] * 3 + ["sold out"] * 3
    assert Product.objects.get(pk=product.pk).quantity == 0
    assert Order.objects.count() == 3
