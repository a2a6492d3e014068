"""A buyer orders a product: the form's checks, the order written whole or not at all, and the
buyer sent to the sandbox's payment page (or told to wait while the provider is down)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.db import connection

from onboarding.marketplace.models import Order, OrderStep, Product
from onboarding.marketplace.order_models import token_digest

from .order_builders import order_form, paying_seller
from .product_builders import make_product, selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "sms_outbox")]


def checkout_url(product: Product, language: str = "fr") -> str:
    return f"/{language}/orders/new/{product.public_id}/"


def test_the_form_is_shown_for_a_product_for_sale(client, provider) -> None:
    seller = paying_seller(provider)
    product = make_product(seller, availability="in_stock", quantity=2)

    page = client.get(checkout_url(product))

    assert page.status_code == 200
    assert b'name="buyer_phone"' in page.content
    assert b"csrfmiddlewaretoken" in page.content
    assert page["Cache-Control"].startswith("no-store")


def test_an_order_holds_the_stock_and_sends_the_buyer_to_the_payment_page(client, provider) -> None:
    seller = paying_seller(provider)
    product = make_product(seller, availability="in_stock", quantity=2, price=15_000)

    answer = client.post(checkout_url(product), order_form(quantity="2"))

    assert answer.status_code == 302
    order = Order.objects.get()
    assert answer["Location"] == order.hosted_url
    assert answer["Location"].startswith(provider.url + "/pay/")
    assert (order.state, order.items_total, order.buyer_language) == (
        "pending_payment",
        30_000,
        "fr",
    )
    assert order.payment_session_ref and order.reserved_until is not None
    assert Product.objects.get(pk=product.pk).quantity == 0
    assert order.buyer_phone == "+212661234567"
    step = OrderStep.objects.get(order=order)
    assert (step.kind, step.status, step.external_ref) == (
        "payment_session",
        "succeeded",
        order.payment_session_ref,
    )
    # Personal data encrypted at rest; the token kept only as a digest to find the order.
    with connection.cursor() as cursor:
        cursor.execute("SELECT buyer_name, buyer_phone, buyer_token FROM maalem_marketplace_order")
        stored = " ".join(cursor.fetchone())
    assert "Salma" not in stored and "661234567" not in stored
    assert order.buyer_token_hash == token_digest(order.buyer_token)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"quantity": "0"}, "quantity", "1 or more"),
        ({"quantity": "3"}, "quantity", "Only 2 left in stock"),
        ({"quantity": "deux"}, "quantity", "as a number"),
        ({"buyer_name": "   "}, "buyer_name", "Write your name"),
        ({"buyer_phone": "12"}, "buyer_phone", "phone number"),
        ({"buyer_phone": "05 22 12 34 56"}, "buyer_phone", "landline"),
        ({"buyer_language": "xx"}, "buyer_language", "valid choice"),
    ],
)
def test_bad_answers_are_explained_and_nothing_is_written(
    client, provider, fields, field, message
) -> None:
    seller = paying_seller(provider)
    product = make_product(seller, availability="in_stock", quantity=2)

    answer = client.post(checkout_url(product, "en"), order_form(**fields))

    assert answer.status_code == 400
    errors = answer.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert not Order.objects.exists() and not OrderStep.objects.exists()
    assert Product.objects.get(pk=product.pk).quantity == 2
    assert provider.stats().get("payment_sessions_created", 0) == 0


def test_a_sold_out_product_cannot_be_ordered(client, provider) -> None:
    seller = paying_seller(provider)
    product = make_product(seller, availability="in_stock", quantity=0)

    answer = client.post(checkout_url(product, "en"), order_form())

    assert answer.status_code == 400
    assert "just sold out" in str(answer.context["form"].errors["quantity"])
    assert not Order.objects.exists()


def test_a_seller_who_cannot_take_payments_cannot_be_ordered_from(client, provider) -> None:
    seller = selling_seller()
    product = make_product(seller)
    seller.case.payment_account_status = "restricted"
    seller.case.save(update_fields=["payment_account_status"])

    assert client.get(checkout_url(product)).status_code == 404
    assert client.post(checkout_url(product), order_form()).status_code == 404
    assert not Order.objects.exists()


def test_a_product_not_for_sale_cannot_be_ordered(client, provider) -> None:
    seller = paying_seller(provider)
    product = make_product(seller, for_sale=False)

    assert client.get(checkout_url(product)).status_code == 404


def test_while_the_provider_is_down_the_buyer_waits_on_her_order_page(client, provider) -> None:
    seller = paying_seller(provider)
    product = make_product(seller)
    provider.faults(fail_next=3, fail_status=503)

    answer = client.post(checkout_url(product), order_form())

    order = Order.objects.get()
    assert answer.status_code == 302
    assert answer["Location"].startswith("/fr/orders/")
    step = OrderStep.objects.get(order=order)
    assert step.status == "failed" and step.next_attempt_at is not None
    page = client.get(answer["Location"])
    assert page.status_code == 200
    assert page["Refresh"] == "5"
    assert page.context["refresh"] and not page.context["can_pay"]


def test_orders_are_rate_limited_per_connection(client, provider, settings) -> None:
    seller = paying_seller(provider)
    product = make_product(seller)
    for _ in range(10):
        assert client.post(checkout_url(product), order_form()).status_code == 302

    answer = client.post(checkout_url(product, "en"), order_form())

    assert answer.status_code == 429
    assert "Too many orders" in answer.content.decode()
    assert Order.objects.count() == 10


def test_the_product_page_links_to_the_order_form(client, provider) -> None:
    seller = paying_seller(provider)
    product = make_product(seller)

    page = client.get(f"{seller.url}{product.public_id}/")

    assert checkout_url(product).encode() in page.content


def test_back_from_the_payment_page_the_buyer_sees_her_order_paid(client, provider) -> None:
    from onboarding.providers.payments import HTTPPaymentsBackend

    from .payment_session_builders import SUCCEEDS, pay

    seller = paying_seller(provider)
    product = make_product(seller)
    client.post(checkout_url(product), order_form())
    order = Order.objects.get()
    session = HTTPPaymentsBackend(**provider.options()).get_payment_session(
        order.payment_session_ref
    )
    back = pay(session, SUCCEEDS)

    address = urlsplit(back)
    page = client.get(f"{address.path}?{address.query}")

    assert page.status_code == 200
    assert page.context["order"].state == "paid"
    assert Order.objects.get().events.last().actor_label == "buyer's return"


def test_an_account_the_provider_refuses_cancels_the_order_at_once(client, provider) -> None:
    seller = paying_seller(provider)
    product = make_product(seller, availability="in_stock", quantity=2)
    provider.set_account(seller.case.payment_account_ref, "closed")

    answer = client.post(checkout_url(product), order_form())

    order = Order.objects.get()
    assert answer["Location"] == f"/fr/orders/{order.buyer_token}/"
    assert order.state == "cancelled"
    assert Product.objects.get(pk=product.pk).quantity == 2
    assert OrderStep.objects.get(order=order).next_attempt_at is None  # refused for good
