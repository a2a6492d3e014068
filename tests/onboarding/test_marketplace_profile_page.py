"""A seller's public page: what a buyer learns, and nothing personal."""

import re

import pytest

from lms.certificates.issuing import revoke
from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import SellerProfilePage
from tests.builders import default_site
from tests.i18n import french

from .marketplace_builders import (
    applied_case,
    certified_learner,
    make_photo,
    open_account,
)
from .onboarding_builders import VALID_PHONE, make_craft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys")]

CIN = "XY987654"


def live_profile(**application):
    default_site()
    learner, certificate = certified_learner(first_name="Fatima", last_name="Bennani")
    case = applied_case(learner=learner, cin=CIN, **application)
    LocalMarketplaceBackend(payment_provider="Sandbox Pay").create_or_update_seller(
        open_account(case, "active")
    )
    return SellerProfilePage.objects.get(case=case), certificate


def test_the_profile_links_each_valid_certificate_to_its_public_verification_page(client):
    page, certificate = live_profile(shop_name="Atelier Zellige")

    html = client.get(page.url).content.decode()
    links = re.findall(r'href="([^"]*/certificates/verify/[^"]+)"', html)

    assert links == [certificate.verification_path()]
    verification = client.get(links[0])
    assert verification.status_code == 200
    assert certificate.display_code in verification.content.decode()


def test_a_revoked_certificate_is_no_longer_shown(client):
    page, certificate = live_profile()

    revoke(certificate, by=None, reason="issued in error")

    assert "/certificates/verify/" not in client.get(page.url).content.decode()


def test_the_profile_shows_no_national_id_phone_or_learners_name(client):
    page, _certificate = live_profile(shop_name="Atelier Zellige")

    html = client.get(page.url).content.decode()

    assert "Atelier Zellige" in html
    for personal in (CIN, VALID_PHONE, VALID_PHONE[1:], "Fatima", "Bennani"):
        assert personal not in html, personal


def test_the_profile_shows_the_craft_its_chain_the_region_the_photo_and_how_to_pay(client):
    craft = make_craft("zellige", chain="building")
    page, _certificate = live_profile(craft=craft, photo=make_photo(), region="Fès-Meknès")

    html = client.get(page.url).content.decode()

    assert craft.name_fr in html and craft.chain.name_fr in html
    assert "Fès-Meknès" in html
    assert re.search(r'<img[^>]+srcset="[^"]+\.webp 320w', html)
    assert (
        french(
            "This seller takes bank cards and mobile wallets, through %(provider)s.",
            provider="Sandbox Pay",
        )
        in html
    )


def test_the_story_is_shown_in_both_languages_the_readers_first(client):
    page, _certificate = live_profile()
    page.story_ar = "ثلاثة أجيال من صناع الزليج."
    page.story_fr = "Trois générations de zelligeurs."
    page.save_revision().publish()

    html = client.get(page.url).content.decode()

    assert page.url.startswith("/fr/")
    assert html.index('lang="fr" dir="ltr"') < html.index('lang="ar" dir="rtl"')
    assert "ثلاثة أجيال" in html and "Trois générations" in html


def test_a_draft_profile_is_not_served_to_the_public(client):
    default_site()
    case = applied_case(shop_name="Pas encore")
    LocalMarketplaceBackend().create_or_update_seller(case)
    page = SellerProfilePage.objects.get(case=case)

    assert client.get(f"/fr/marketplace/{page.slug}/").status_code == 404


def test_an_arabic_reader_gets_the_profile_right_to_left_in_arabic(client):
    page, _certificate = live_profile(shop_name="Atelier Zellige")

    response = client.get("/ar/" + page.url.removeprefix("/fr/"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "طريقة الأداء" in html and "How to pay" not in html
