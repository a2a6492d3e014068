"""The local marketplace backend: one seller profile page per case, live only once the seller
can be paid."""

import pytest
from wagtail.models import Page

from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import MarketplaceIndexPage, SellerProfilePage
from onboarding.providers import get_backend
from tests.builders import default_site

from .marketplace_builders import applied_case, make_photo, open_account
from .onboarding_builders import make_craft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys")]


def test_the_profile_is_a_draft_while_the_payment_account_is_not_active():
    default_site()
    case = applied_case(shop_name="Atelier Zellige")

    reference = get_backend("marketplace").create_or_update_seller(case)

    page = SellerProfilePage.objects.get(case=case)
    assert reference == str(page.pk)
    assert page.live is False
    assert page.title == "Atelier Zellige"
    assert SellerProfilePage.objects.live().count() == 0


def test_the_profile_is_published_once_the_payment_account_is_active():
    default_site()
    craft, photo = make_craft(), make_photo()
    case = applied_case(shop_name="Atelier Zellige", craft=craft, photo=photo, region="Fès-Meknès")
    backend = LocalMarketplaceBackend()
    backend.create_or_update_seller(case)

    backend.create_or_update_seller(open_account(case, "active"))

    page = SellerProfilePage.objects.get(case=case)
    assert page.live is True
    assert (page.craft, page.region) == (craft, "Fès-Meknès")
    # A copy made for publication, not the applicant's private file.
    assert page.photo.collection.name == "Shop photos"
    assert photo not in page.photo.file.name
    assert page.get_parent().specific_class is MarketplaceIndexPage


def test_calling_the_backend_twice_keeps_one_page_and_updates_it():
    default_site()
    case = open_account(applied_case(shop_name="Dar Nhas"), "active")
    backend = LocalMarketplaceBackend()

    first = backend.create_or_update_seller(case)
    case.applicant.shop_name = "Dar Nhas Fès"
    case.applicant.save()
    second = backend.create_or_update_seller(case)

    assert first == second
    assert SellerProfilePage.objects.filter(case=case).count() == 1
    assert SellerProfilePage.objects.get(case=case).title == "Dar Nhas Fès"
    assert MarketplaceIndexPage.objects.count() == 1


def test_a_profile_whose_account_stops_being_active_goes_offline():
    default_site()
    case = open_account(applied_case(), "active")
    backend = LocalMarketplaceBackend()
    backend.create_or_update_seller(case)

    backend.create_or_update_seller(open_account(case, "restricted"))

    assert SellerProfilePage.objects.get(case=case).live is False


def test_the_marketplace_is_made_under_the_home_page_in_the_default_language(settings):
    settings.LANGUAGE_CODE = "fr"
    home = default_site().root_page

    LocalMarketplaceBackend().create_or_update_seller(applied_case())

    index = MarketplaceIndexPage.objects.get()
    assert (index.title, index.slug, index.live) == ("Marché", "marketplace", True)
    assert Page.objects.get(pk=index.pk).get_parent().pk == home.pk


def test_an_editors_unpublished_story_survives_the_next_update():
    default_site()
    case = applied_case()
    backend = LocalMarketplaceBackend()
    backend.create_or_update_seller(case)
    draft = SellerProfilePage.objects.get(case=case).get_latest_revision_as_object()
    draft.story_fr = "Trois générations de zelligeurs."
    draft.save_revision()

    backend.create_or_update_seller(open_account(case, "active"))

    assert SellerProfilePage.objects.get(case=case).story_fr == "Trois générations de zelligeurs."
