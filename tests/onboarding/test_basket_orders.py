"""A basket ordered whole: one order of several lines, its stock taken for every line in one
transaction, or nothing at all when one line is short; the basket emptied once ordered."""

from __future__ import annotations

import pytest

from onboarding.marketplace import basket as baskets
from onboarding.marketplace.models import Order, OrderItem, OrderStep, Product
from onboarding.marketplace.order_checkout import Line, OutOfStock, place_order
from onboarding.marketplace.order_notifications import text_seller

from .order_builders import order_form, paying_seller
from .product_builders import make_product, selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "sms_outbox")]

BUYER = {k: v for k, v in order_form().items() if k != "quantity"}


def add(client, product: Product, quantity: int = 1) -> None:
    answer = client.post(
        f"/fr/orders/basket/add/{product.public_id}/",
        {"quantity": quantity},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert answer.status_code == 303, answer.content


def test_a_basket_of_two_products_is_one_order_sent_to_pay(client, provider) -> None:
    seller = paying_seller(provider)
    vase = make_product(seller, title_fr="Vase", price=10_000, availability="in_stock", quantity=3)
    plate = make_product(seller, title_fr="Plat", price=2_550)
    add(client, vase, 2)
    add(client, plate, 1)

    answer = client.post("/fr/orders/basket/", BUYER)

    assert answer.status_code == 302
    order = Order.objects.get()
    assert answer["Location"] == order.hosted_url
    assert order.items_total == 22_550
    assert sorted(order.items.values_list("title", "quantity", "unit_price", "reserved")) == [
        ("Plat", 1, 2_550, False),
        ("Vase", 2, 10_000, True),
    ]
    assert Product.objects.get(pk=vase.pk).quantity == 1
    assert OrderStep.objects.get(order=order).status == "succeeded"
    assert answer.cookies[baskets.COOKIE].value == ""  # the basket is emptied
    page = client.get(f"/fr/orders/{order.buyer_token}/")
    assert "Vase" in page.content.decode() and "Plat" in page.content.decode()


def test_one_line_short_writes_nothing_and_names_the_product(client, provider) -> None:
    seller = paying_seller(provider)
    vase = make_product(seller, title_fr="Vase", availability="in_stock", quantity=3)
    bowl = make_product(seller, title_fr="Bol bleu", availability="in_stock", quantity=1)
    add(client, vase, 2)
    add(client, bowl, 1)
    Product.objects.filter(pk=bowl.pk).update(quantity=0)  # someone else bought it meanwhile

    answer = client.post("/fr/orders/basket/", BUYER)

    assert answer.status_code == 400
    assert "Bol bleu" in answer.content.decode()
    assert not Order.objects.exists() and not OrderItem.objects.exists()
    assert Product.objects.get(pk=vase.pk).quantity == 3
    assert provider.stats().get("payment_sessions_created", 0) == 0
    assert baskets.COOKIE not in answer.cookies  # her basket is kept


def test_place_order_takes_all_the_stock_or_none(client) -> None:
    seller = selling_seller()
    vase = make_product(seller, title_fr="Vase", availability="in_stock", quantity=3)
    bowl = make_product(seller, title_fr="Bol", availability="in_stock", quantity=1)
    fetched = Product.objects.select_related("seller__case").in_bulk([vase.pk, bowl.pk])
    vase, bowl = fetched[vase.pk], fetched[bowl.pk]
    data = {**BUYER, "buyer_phone": "+212661234567"}

    with pytest.raises(OutOfStock) as short:
        place_order([Line(vase, 2), Line(bowl, 2)], data)

    assert short.value.product == bowl
    assert not Order.objects.exists() and not OrderItem.objects.exists()
    assert {p.pk: p.quantity for p in Product.objects.all()} == {vase.pk: 3, bowl.pk: 1}

    placed = place_order([Line(bowl, 1), Line(vase, 2)], data)
    assert placed.order.items.count() == 2
    assert {p.pk: p.quantity for p in Product.objects.all()} == {vase.pk: 1, bowl.pk: 0}


def test_lines_of_two_sellers_are_refused() -> None:
    plate = make_product(selling_seller("Atelier Zellige"))
    bowl = make_product(selling_seller("Poterie Safi"))

    with pytest.raises(ValueError):
        place_order([Line(plate, 1), Line(bowl, 1)], BUYER)
    assert not Order.objects.exists()


def test_an_empty_basket_cannot_be_ordered(client) -> None:
    answer = client.post("/en/orders/basket/", BUYER)

    assert answer.status_code == 400
    assert "basket is empty" in answer.content.decode()
    assert not Order.objects.exists()


def test_a_line_over_the_stock_blocks_the_order_with_its_message(client, provider) -> None:
    seller = paying_seller(provider)
    vase = make_product(seller, title_fr="Vase", availability="in_stock", quantity=3)
    add(client, vase, 3)
    Product.objects.filter(pk=vase.pk).update(quantity=2)

    answer = client.post("/en/orders/basket/", BUYER)

    assert answer.status_code == 400
    assert "Only 2 left in stock" in answer.content.decode()
    assert not Order.objects.exists()


def test_the_sellers_text_counts_the_items(provider, sms_outbox) -> None:
    seller = paying_seller(provider)
    vase = make_product(seller, availability="in_stock", quantity=3)
    plate = make_product(seller)
    seller_with_case = Product.objects.select_related("seller__case")
    vase, plate = seller_with_case.get(pk=vase.pk), seller_with_case.get(pk=plate.pk)
    placed = place_order([Line(vase, 2), Line(plate, 1)], {**BUYER, "buyer_phone": "+212661234567"})

    assert text_seller(placed.order, "paid") == "sent"

    assert any(": 3 " in text for _phone, text in sms_outbox), sms_outbox
