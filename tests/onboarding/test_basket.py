"""A buyer's basket: kept in a signed cookie set only once she adds something; lines added,
changed and removed by forms; bad or tampered input explained, never an error page."""

from __future__ import annotations

import pytest
from django.test import Client

from onboarding.marketplace import basket as baskets
from onboarding.marketplace.basket import Basket
from onboarding.marketplace.models import Product

from .product_builders import make_product, selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys")]

BASKET = "/en/orders/basket/"


def add(client: Client, product: Product, quantity: object = 1, **extra: str):
    return client.post(
        f"/en/orders/basket/add/{product.public_id}/",
        {"quantity": quantity, **extra},
        headers={"Sec-Fetch-Site": "same-origin"},
    )


def in_cookie(client: Client) -> Basket:
    return baskets.loads(client.cookies[baskets.COOKIE].value)


def test_the_cookie_round_trips_and_a_changed_one_reads_as_unreadable() -> None:
    basket = Basket(7, [("abc", 2), ("def", 1)])
    value = baskets.dumps(basket)

    assert baskets.loads(value) == basket
    assert baskets.loads(value[:-2] + "xx").unreadable
    assert baskets.loads("garbage").unreadable
    too_many = Basket(7, [(f"p{n}", 1) for n in range(baskets.MAX_LINES + 1)])
    assert baskets.loads(baskets.dumps(too_many)).unreadable
    assert baskets.loads(baskets.dumps(Basket(7, [("abc", 10_000)]))).unreadable


def test_adding_puts_the_product_in_the_basket_and_its_page_shows_it(client) -> None:
    seller = selling_seller()
    vase = make_product(seller, title_fr="Vase", price=10_000, availability="in_stock", quantity=5)
    plate = make_product(seller, title_fr="Plat", price=2_550)

    answer = add(client, vase, 2)
    add(client, plate)
    add(client, vase, 1)

    assert answer.status_code == 303
    assert answer["Location"] == f"{BASKET}?added={vase.public_id}"
    assert in_cookie(client) == Basket(seller.pk, [(vase.public_id, 3), (plate.public_id, 1)])
    page = client.get(BASKET)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("no-store")
    assert [(line.product.pk, line.quantity) for line in page.context["basket"].lines] == [
        (vase.pk, 3),
        (plate.pk, 1),
    ]
    assert page.context["basket"].total == 32_550
    assert "MAD" in page.content.decode() and 'name="buyer_phone"' in page.content.decode()


def test_a_line_is_changed_and_removed(client) -> None:
    seller = selling_seller()
    vase = make_product(seller, availability="in_stock", quantity=5)
    plate = make_product(seller)
    add(client, vase)
    add(client, plate)

    changed = client.post(f"/en/orders/basket/line/{vase.public_id}/", {"quantity": "4"})
    assert changed.status_code == 303
    assert in_cookie(client).lines == [(vase.public_id, 4), (plate.public_id, 1)]

    client.post(f"/en/orders/basket/line/{vase.public_id}/", {"quantity": "4", "remove": "1"})
    assert in_cookie(client).lines == [(plate.public_id, 1)]

    client.post(f"/en/orders/basket/line/{plate.public_id}/", {"remove": "1"})
    assert baskets.COOKIE not in client.cookies or not client.cookies[baskets.COOKIE].value


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "1 or more"),
        ("-3", "1 or more"),
        ("deux", "as a number"),
        ("", "1 or more"),
        ("99999999999999999999", "at most 20"),
        ("6", "Only 5 left in stock"),
    ],
)
def test_bad_quantities_are_explained_and_the_basket_unchanged(client, quantity, message) -> None:
    seller = selling_seller()
    vase = make_product(seller, availability="in_stock", quantity=5)
    add(client, vase, 1)

    added = add(client, vase, quantity)
    changed = client.post(f"/en/orders/basket/line/{vase.public_id}/", {"quantity": quantity})

    for answer in (added, changed):
        assert answer.status_code == 400
        assert message in answer.content.decode()
    (row,) = changed.context["rows"]  # the line shows what she typed, with the message
    assert (row["value"], message in row["error"]) == (quantity[:20], True)
    assert in_cookie(client).lines == [(vase.public_id, 1)]


def test_more_than_in_stock_across_two_adds_is_refused(client) -> None:
    seller = selling_seller()
    vase = make_product(seller, availability="in_stock", quantity=2)
    add(client, vase, 2)

    answer = add(client, vase, 1)

    assert answer.status_code == 400
    assert "Only 2 left" in answer.content.decode()


def test_an_unknown_product_and_a_tampered_cookie_are_explained(client) -> None:
    seller = selling_seller()
    product = make_product(seller)
    answer = client.post("/en/orders/basket/add/nosuchthing/", {"quantity": "1"})
    assert answer.status_code == 404
    assert "not for sale any more" in answer.content.decode()

    add(client, product)
    client.cookies[baskets.COOKIE] = client.cookies[baskets.COOKIE].value + "x"
    page = client.get(BASKET)

    assert page.status_code == 200
    assert "could not read your basket" in page.content.decode()
    assert page.cookies[baskets.COOKIE].value == ""  # emptied


def test_a_product_no_longer_for_sale_is_named_and_taken_out(client) -> None:
    seller = selling_seller()
    vase = make_product(seller, title_fr="Vase bleu")
    plate = make_product(seller)
    add(client, vase)
    add(client, plate)
    Product.objects.filter(pk=vase.pk).update(status="hidden")

    page = client.get("/fr/orders/basket/")

    assert "Vase bleu" in " ".join(page.context["notices"])
    assert [line.product.pk for line in page.context["basket"].lines] == [plate.pk]
    assert baskets.loads(page.cookies[baskets.COOKIE].value).lines == [(plate.public_id, 1)]


def test_another_sellers_product_asks_before_emptying_the_basket(client) -> None:
    first = selling_seller("Atelier Zellige")
    second = selling_seller("Poterie Safi")
    plate = make_product(first)
    bowl = make_product(second)
    add(client, plate)

    asked = add(client, bowl)
    assert asked.status_code == 200
    assert "Atelier Zellige" in asked.content.decode()
    assert in_cookie(client).lines == [(plate.public_id, 1)]

    add(client, bowl, 1, replace="1", confirm="1")
    assert in_cookie(client) == Basket(second.pk, [(bowl.public_id, 1)])


def test_a_form_posted_from_another_site_changes_nothing() -> None:
    seller = selling_seller()
    product = make_product(seller)
    client = Client(enforce_csrf_checks=True)

    forged = client.post(
        f"/en/orders/basket/add/{product.public_id}/",
        {"quantity": "1"},
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    )
    forged_confirm = client.post(
        f"/en/orders/basket/add/{product.public_id}/",
        {"quantity": "1", "confirm": "1"},
        headers={"Origin": "https://evil.example"},
    )

    assert forged.status_code == 200 and b"csrfmiddlewaretoken" in forged.content
    assert forged_confirm.status_code == 200
    assert baskets.COOKIE not in forged.cookies and baskets.COOKIE not in forged_confirm.cookies
    # From this site's own page (the browser says so), it is added.
    same = client.post(
        f"/en/orders/basket/add/{product.public_id}/",
        {"quantity": "1"},
        headers={"Origin": "http://testserver"},
    )
    assert same.status_code == 303 and baskets.COOKIE in same.cookies


def test_the_product_page_stays_cacheable_with_its_basket_form(client, settings) -> None:
    settings.MAALEM_PUBLIC_CACHE_MAX_AGE = 300
    seller = selling_seller()
    product = make_product(seller)
    client.get(f"{seller.url}{product.public_id}/")  # the language cookie, once

    page = client.get(f"{seller.url}{product.public_id}/")

    assert f"/orders/basket/add/{product.public_id}/".encode() in page.content
    assert b"csrfmiddlewaretoken" not in page.content
    assert not page.cookies
    assert "public" in page["Cache-Control"] and "Cookie" in page["Vary"]


def test_the_basket_is_at_most_ten_products(client) -> None:
    seller = selling_seller()
    products = [make_product(seller) for _ in range(baskets.MAX_LINES + 1)]
    for product in products[:-1]:
        add(client, product)

    answer = add(client, products[-1])

    assert answer.status_code == 400
    assert "at most 10 products" in answer.content.decode()
    assert len(in_cookie(client).lines) == baskets.MAX_LINES


def test_a_basket_whose_seller_stopped_selling_gives_way_without_asking(client) -> None:
    first = selling_seller("Atelier Zellige")
    second = selling_seller("Poterie Safi")
    plate = make_product(first)
    bowl = make_product(second)
    add(client, plate)
    Product.objects.filter(pk=plate.pk).update(status="hidden")

    answer = add(client, bowl)

    assert answer.status_code == 303
    assert in_cookie(client) == Basket(second.pk, [(bowl.public_id, 1)])


def test_a_browser_that_says_nothing_of_where_a_form_came_from_is_asked_first() -> None:
    seller = selling_seller()
    product = make_product(seller)
    client = Client(enforce_csrf_checks=True)
    address = f"/en/orders/basket/add/{product.public_id}/"

    asked = client.post(address, {"quantity": "2"})  # no Sec-Fetch-Site, no Origin
    token = asked.context["csrf_token"]
    confirmed = client.post(
        address, {"quantity": "2", "confirm": "1", "csrfmiddlewaretoken": token}
    )

    assert asked.status_code == 200 and baskets.COOKIE not in asked.cookies
    assert confirmed.status_code == 303
    assert in_cookie(client).lines == [(product.public_id, 2)]
