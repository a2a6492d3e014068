"""The buyer's order page: opened only by its secret link, never cached, indexed or leaked in a
referrer; it says where the order is, and what comes next, in the page's language."""

from __future__ import annotations

import pytest

from onboarding.marketplace import order_states
from onboarding.marketplace.models import Order, Product

from .order_builders import place_order
from .product_builders import make_product, selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "sms_outbox")]


@pytest.fixture
def placed():
    seller = selling_seller()
    product = make_product(seller, availability="in_stock", quantity=3, price=12_050)
    return place_order(seller, product, quantity=2)


def test_the_link_opens_the_order_with_private_headers(client, placed) -> None:
    order, token = placed
    order_states.transition(order.pk, "paid", actor_label="test", reason="paid", payment_ref="p")

    page = client.get(f"/en/orders/{token}/")

    assert page.status_code == 200
    text = page.content.decode()
    assert order.public_id in text and "Atelier Zellige" in text
    assert "241.00" in text or "241,00" in text  # 2 × 120.50 MAD
    assert "will accept it soon" in text
    assert [e.to_state for e in page.context["events"]] == ["pending_payment", "paid"]
    assert "no-store" in page["Cache-Control"]
    assert page["X-Robots-Tag"].startswith("noindex")
    assert page["Referrer-Policy"] == "no-referrer"
    assert "Refresh" not in page
    # Her name and number are not on a page a forwarded link opens.
    assert "Salma" not in text and "661234567" not in text


@pytest.mark.parametrize(
    "token", ["x" * 43, "short", "not a token at all with spaces and more", "%00" * 10]
)
def test_an_unknown_or_malformed_token_is_not_found(client, placed, token) -> None:
    assert client.get(f"/en/orders/{token}/").status_code == 404


def test_the_digest_in_the_database_does_not_open_the_order(client, placed) -> None:
    order, _token = placed
    assert client.get(f"/en/orders/{order.buyer_token_hash}/").status_code == 404


def test_the_page_speaks_the_language_of_its_address(client, placed) -> None:
    _order, token = placed
    french = client.get(f"/fr/orders/{token}/").content.decode()
    arabic = client.get(f"/ar/orders/{token}/").content.decode()
    assert 'lang="fr"' in french and 'dir="rtl"' in arabic
    assert "Payez votre commande" in french


def test_the_buyer_may_cancel_an_unpaid_order_and_the_stock_comes_back(client, placed) -> None:
    order, token = placed
    ask = client.get(f"/en/orders/{token}/cancel/")
    assert ask.status_code == 200 and "Cancel this order?" in ask.content.decode()
    assert ask["Referrer-Policy"] == "same-origin"  # so that its form's POST has an Origin
    assert Order.objects.get(pk=order.pk).state == "pending_payment"

    answer = client.post(f"/en/orders/{token}/cancel/")

    assert answer.status_code == 302
    order.refresh_from_db()
    assert order.state == "cancelled"
    assert Product.objects.get(pk=order.items.get().product_id).quantity == 3
    # Once paid, it is the seller's to cancel, not hers.
    other, other_token = place_order(order.seller, make_product(order.seller))
    order_states.transition(other.pk, "paid", actor_label="test", reason="p", payment_ref="p2")
    assert client.get(f"/en/orders/{other_token}/cancel/").status_code == 302
    client.post(f"/en/orders/{other_token}/cancel/")
    assert Order.objects.get(pk=other.pk).state == "paid"
