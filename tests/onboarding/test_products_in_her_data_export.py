"""A seller's products and her shop's orders are her data: "Download my data" holds them, the
products with their photos, the orders without who bought; another learner's export holds
nothing of them."""

from __future__ import annotations

import json

import pytest

from maalem.core.private_files import private_storage
from onboarding.marketplace.backend import publish_seller
from onboarding.marketplace.product_photos import add_photo
from tests.builders import default_site, make_learner

from .marketplace_builders import applied_case, make_photo, open_account
from .onboarding_builders import make_craft
from .order_builders import BUYER_PHONE, place_order
from .product_builders import make_product, phone_photo
from .rights_builders import unzip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]

DOWNLOAD = "/fr/learn/your-data/download/"


def test_her_export_holds_her_products_and_their_photos(client):
    default_site()
    case = applied_case(shop_name="Dar Zellige", craft=make_craft("zellige"), photo=make_photo())
    case = open_account(case, "active")
    page = publish_seller(case)
    product = make_product(page, description_fr="Fait main à Fès")
    photo = add_photo(product, phone_photo())
    hidden = make_product(page, for_sale=False, title_fr="Brouillon de tapis", title_ar="")
    order, _token = place_order(page, product, quantity=2)

    client.force_login(case.learner)
    files = unzip(b"".join(client.get(DOWNLOAD).streaming_content))

    products = json.loads(files["marketplace.json"])["products"]
    assert [item["id"] for item in products] == [product.public_id, hidden.public_id]
    first = products[0]
    assert (first["title_fr"], first["title_ar"], first["price_centimes"]) == (
        "Plat en zellige",
        "طبق زليج",
        12050,
    )
    assert first["description_fr"] == "Fait main à Fès"
    name = f"product-{product.public_id}-1.jpg"
    assert first["photos"] == [name]
    assert files[f"files/marketplace/{name}"] == private_storage().open(photo.private_name).read()
    (sold,) = json.loads(files["marketplace.json"])["orders"]
    assert (sold["number"], sold["state"], sold["items_centimes"]) == (
        order.public_id,
        "pending_payment",
        24100,
    )
    assert sold["lines"] == [
        {"title": "Plat en zellige", "unit_price_centimes": 12050, "quantity": 2}
    ]
    # Who bought is the buyer's data, not the seller's.
    assert not any(BUYER_PHONE.encode() in content for content in files.values())
    assert not any(b"Salma" in content for content in files.values())

    client.force_login(make_learner(first_name="Khadija"))
    theirs = unzip(b"".join(client.get(DOWNLOAD).streaming_content))
    assert json.loads(theirs["marketplace.json"]) == {"products": [], "orders": []}
    assert not any(b"zellige" in content for content in theirs.values())
