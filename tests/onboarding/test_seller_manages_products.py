"""A seller adds, changes, hides, shows and deletes her products from her phone; nobody else can."""

import pytest
from django.urls import reverse

from onboarding.marketplace.models import Product
from tests.builders import make_learner

from .product_builders import make_product, phone_photo, selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


@pytest.fixture
def seller():
    return selling_seller()


@pytest.fixture
def seller_client(client, seller):
    client.force_login(seller.case.learner)
    return client


def form(**overrides):
    data = {
        "title_ar": "طبق زليج",
        "title_fr": "",
        "price_text": "120,50",
        "availability": "in_stock",
        "quantity": "3",
        "description_ar": "",
        "description_fr": "",
        "action": "sell",
    }
    data.update(overrides)
    return data


def test_a_seller_puts_a_product_on_sale_with_a_photo(seller_client, seller):
    data = form(craft=str(seller.craft_id), photo=phone_photo())
    response = seller_client.post(reverse("marketplace_seller:new"), data)

    product = Product.objects.get(seller=seller)
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace_seller:edit", args=[product.public_id])
    assert (product.status, product.price, product.quantity) == ("live", 12050, 3)
    assert product.region == "Fès-Meknès" and product.chain_id == seller.craft.chain_id
    (photo,) = product.photos.all()
    assert photo.image is not None  # a public copy, since it is for sale
    dashboard = seller_client.get(reverse("marketplace_seller:dashboard")).content.decode()
    assert "طبق زليج" in dashboard


def test_an_incomplete_product_is_kept_as_a_draft_with_what_it_lacks(seller_client, seller):
    response = seller_client.post(
        reverse("marketplace_seller:new"), form(price_text="", craft=str(seller.craft_id))
    )

    product = Product.objects.get(seller=seller)
    assert response.status_code == 200
    assert product.status == "draft" and product.title_ar == "طبق زليج"
    assert "Écrivez le prix en dirhams." in response.content.decode()  # her language


def test_save_draft_keeps_what_she_typed_without_putting_it_on_sale(seller_client, seller):
    response = seller_client.post(
        reverse("marketplace_seller:new"), form(action="draft", craft=str(seller.craft_id))
    )

    assert response.status_code == 302
    assert Product.objects.get(seller=seller).status == "draft"


def test_she_edits_hides_shows_and_deletes_her_product_and_can_undo(seller_client, seller):
    product = make_product(seller)
    edit = reverse("marketplace_seller:edit", args=[product.public_id])

    seller_client.post(edit, form(title_fr="Plat bleu", craft=str(seller.craft_id)))
    product.refresh_from_db()
    assert product.title_fr == "Plat bleu" and product.status == "live"

    seller_client.post(reverse("marketplace_seller:hide", args=[product.public_id]))
    product.refresh_from_db()
    assert product.status == "hidden"

    seller_client.post(reverse("marketplace_seller:show", args=[product.public_id]))
    product.refresh_from_db()
    assert product.status == "live"

    delete = reverse("marketplace_seller:delete", args=[product.public_id])
    assert "Supprimer ce produit\u202f?" in seller_client.get(delete).content.decode()
    seller_client.post(delete)
    product.refresh_from_db()
    assert product.status == "deleted"
    dashboard = seller_client.get(reverse("marketplace_seller:dashboard")).content.decode()
    assert reverse("marketplace_seller:undelete", args=[product.public_id]) in dashboard

    seller_client.post(reverse("marketplace_seller:undelete", args=[product.public_id]))
    product.refresh_from_db()
    assert product.status == "hidden"


def test_another_learner_cannot_touch_her_product(client, seller):
    product = make_product(seller)
    other = selling_seller("Dar Nhas", cin="ZZ123456")
    client.force_login(other.case.learner)

    for name in ("edit", "hide", "show", "delete", "undelete"):
        response = client.post(reverse(f"marketplace_seller:{name}", args=[product.public_id]))
        assert response.status_code == 404, name
    product.refresh_from_db()
    assert product.status == "live"


def test_a_learner_who_does_not_sell_is_told_how_to_open_her_shop(client):
    client.force_login(make_learner())

    page = client.get(reverse("marketplace_seller:dashboard")).content.decode()

    assert "quand votre boutique sera ouverte" in page
    assert client.get(reverse("marketplace_seller:new")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, seller):
    product = make_product(seller)

    response = client.post(reverse("marketplace_seller:hide", args=[product.public_id]))

    assert response.status_code == 302 and "sign-in" in response["Location"]
    assert Product.objects.get(pk=product.pk).status == "live"
