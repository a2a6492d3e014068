"""Buyers find products: on the seller's page, through the marketplace's search (Arabic and
French words, filters), and on each product's page with its schema.org data. Drafts, hidden
products and the products of a seller who stopped selling are never shown."""

import json
import re

import pytest
from django.db import connection

from onboarding.marketplace.models import MarketplaceIndexPage
from onboarding.marketplace.products import hide

from .marketplace_builders import open_account
from .onboarding_builders import make_craft
from .product_builders import make_product, selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


@pytest.fixture
def shops():
    zellige = selling_seller()
    copper = selling_seller(
        "Dar Nhas",
        cin="ZZ123456",
        craft=make_craft("dinanderie", chain="metal"),
        region="Marrakech-Safi",
    )
    products = {
        "plate": make_product(zellige, title_ar="طبق زليج أزرق", title_fr="Plat en zellige bleu"),
        "fountain": make_product(
            zellige, title_ar="نافورة", title_fr="Fontaine murale", price=450000
        ),
        "tray": make_product(
            copper, title_ar="صينية نحاس", title_fr="Plateau en cuivre", price=80000
        ),
        "draft": make_product(copper, for_sale=False, title_fr="Théière en cuivre"),
        "hidden": make_product(copper, title_fr="Lanterne en cuivre"),
    }
    hide(products["hidden"])
    return {"zellige": zellige, "copper": copper, **products}


def search(client, **query):
    index = MarketplaceIndexPage.objects.get()
    html = client.get(index.search_url(), query).content.decode()
    return re.findall(r'class="card-link"[^>]*>.*?<span dir="auto">([^<]+)</span>', html)


def test_the_search_finds_products_by_french_and_arabic_words(client, shops):
    assert search(client, q="zellige") == ["Plat en zellige bleu"]
    assert search(client, q="cuivre") == ["Plateau en cuivre"]  # not the draft, not hidden
    with_arabic = client.get(MarketplaceIndexPage.objects.get().search_url(), {"q": "نحاس"})
    assert "Plateau en cuivre" in with_arabic.content.decode()


def test_the_search_filters_by_craft_chain_region_and_price(client, shops):
    assert search(client, chain="metal") == ["Plateau en cuivre"]
    assert search(client, craft="zellige", min="1000") == ["Fontaine murale"]
    assert sorted(search(client, region="Fès-Meknès", max="4500")) == [
        "Fontaine murale",
        "Plat en zellige bleu",
    ]
    assert search(client, q="zellige", chain="metal") == []
    assert search(client, max="pas un prix") != []  # a bound that is not a price is ignored


def test_the_seller_page_lists_her_products_for_sale_only(client, shops):
    html = client.get(shops["copper"].url).content.decode()

    assert "Plateau en cuivre" in html
    assert "Théière en cuivre" not in html and "Lanterne en cuivre" not in html


def test_a_product_page_has_schema_org_product_and_offer(client, shops):
    url = f"{shops['copper'].url}{shops['tray'].public_id}/"
    html = client.get(url).content.decode()

    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block)
    assert data["@type"] == "Product" and data["name"] == "Plateau en cuivre"
    offer = data["offers"]
    assert (offer["@type"], offer["price"], offer["priceCurrency"]) == ("Offer", "800.00", "MAD")
    assert offer["availability"] == "https://schema.org/MadeToOrder"
    assert offer["seller"]["name"] == "Dar Nhas"


def test_drafts_and_hidden_products_have_no_public_page(client, shops):
    for name in ("draft", "hidden"):
        url = f"{shops['copper'].url}{shops[name].public_id}/"
        assert client.get(url).status_code == 404, name


def test_products_of_a_seller_who_cannot_take_payments_are_not_shown(client, shops):
    url = f"{shops['copper'].url}{shops['tray'].public_id}/"
    open_account(shops["copper"].case, "restricted")

    assert client.get(url).status_code == 404
    assert search(client, q="cuivre") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full text")
def test_on_postgresql_the_search_is_full_text(client, shops):
    from wagtail.search.backends import get_search_backend

    assert type(get_search_backend()).__name__ == "PostgresSearchBackend"
    assert search(client, q="fontaine murale") == ["Fontaine murale"]
