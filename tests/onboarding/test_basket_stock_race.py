"""Two baskets ordered at once on two connections (PostgreSQL, where the row locks are real):
the last piece goes to one of them, the other order leaves nothing behind; and baskets holding
the same products in opposite orders never deadlock, because stock is taken by product key."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import DatabaseError, connection, transaction

from onboarding.marketplace import order_stock
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


def buyer(name: str) -> dict[str, object]:
    return {"buyer_name": name, "buyer_phone": "+212661234567", "buyer_language": "ar"}


def fresh(*products: Product) -> list[Product]:
    found = Product.objects.select_related("seller__case").in_bulk([p.pk for p in products])
    return [found[p.pk] for p in products]


def test_the_last_piece_goes_to_one_basket_and_the_other_leaves_nothing() -> None:
    seller = selling_seller()
    vase, plate, bowl = fresh(
        make_product(seller, title_fr="Vase", availability="in_stock", quantity=1),
        make_product(seller, title_fr="Plat", availability="in_stock", quantity=5),
        make_product(seller, title_fr="Bol", availability="in_stock", quantity=5),
    )
    first_holds_it = threading.Event()
    outcomes: dict[str, str] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                place_order([Line(plate, 2), Line(vase, 1)], buyer("Salma"))
                first_holds_it.set()
                time.sleep(0.5)  # the second basket is ordered now, against this open one
            outcomes["first"] = "ordered"
        finally:
            first_holds_it.set()
            connection.close()

    def second() -> None:
        try:
            first_holds_it.wait(5)
            place_order([Line(bowl, 3), Line(vase, 1)], buyer("Nadia"))
            outcomes["second"] = "ordered"
        except OutOfStock as short:
            outcomes["second"] = f"{short.product.title_fr} sold out"
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert outcomes == {"first": "ordered", "second": "Vase sold out"}
    assert time.monotonic() - started >= 0.5  # the second waited for the first one's lock
    left = dict(Product.objects.values_list("title_fr", "quantity"))
    assert left == {"Vase": 0, "Plat": 3, "Bol": 5}  # the second basket's bowls are untouched
    assert Order.objects.count() == 1 and OrderItem.objects.count() == 2
    assert Order.objects.get().buyer_name == "Salma"


def test_baskets_in_opposite_orders_do_not_deadlock(monkeypatch) -> None:
    seller = selling_seller()
    vase, plate = fresh(
        make_product(seller, title_fr="Vase", availability="in_stock", quantity=10),
        make_product(seller, title_fr="Plat", availability="in_stock", quantity=10),
    )
    take = order_stock.take

    def slow_take(product_id: int, quantity: int) -> bool:
        taken = take(product_id, quantity)
        time.sleep(0.3)  # each buyer holds her first row while the other takes hers
        return taken

    monkeypatch.setattr(order_stock, "take", slow_take)
    gate = threading.Barrier(2)
    results: list[str] = []

    def order(lines: list[Line], name: str) -> None:
        try:
            gate.wait(5)
            place_order(lines, buyer(name))
            results.append("ordered")
        except DatabaseError as error:  # a deadlock would surface here
            results.append(type(error).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=order, args=([Line(vase, 1), Line(plate, 2)], "Salma")),
        threading.Thread(target=order, args=([Line(plate, 3), Line(vase, 4)], "Nadia")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert results == ["ordered"] * 2
    assert dict(Product.objects.values_list("title_fr", "quantity")) == {"Vase": 5, "Plat": 5}
