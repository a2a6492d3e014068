"""Invisible direction controls are taken out of shop names: in the application form, in the
answers the services read, and in the title of the public seller page, even for a name stored
before they were taken out."""

from __future__ import annotations

import html

import pytest

from maalem.core.text import without_bidi_controls
from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import ApplicantProfile
from tests.builders import default_site
from tests.i18n import french

from .marketplace_builders import applied_case, open_account
from .onboarding_builders import application_url, form_data, make_case, make_craft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# "Atelier gpj.exe" that a right-to-left override would show as "Atelier exe.jpg".
SPOOFED = "\u202eAtelier\u2066 gpj.exe\u2069\u200f\u061c\u200e"


def has_controls(text: str) -> bool:
    return any(char in CONTROLS for char in text)


def test_every_direction_control_is_removed_and_the_letters_are_kept():
    assert without_bidi_controls(f"دار{CONTROLS} النحاس") == "دار النحاس"
    assert without_bidi_controls(SPOOFED) == "Atelier gpj.exe"


def test_the_application_form_stores_the_shop_name_without_direction_controls(client):
    case = make_case()
    client.force_login(case.learner)

    response = client.post(
        application_url(case),
        form_data(make_craft(), action="save", consent=None, photo=None, shop_name=SPOOFED),
    )

    assert response.status_code == 302
    assert ApplicantProfile.objects.get(case=case).shop_name == "Atelier gpj.exe"


def test_a_name_made_only_of_direction_controls_counts_as_no_name(client):
    case = make_case()
    client.force_login(case.learner)

    response = client.post(
        application_url(case), form_data(make_craft(), shop_name="\u202e\u200f\u2066")
    )

    assert response.status_code == 200  # the form again, with what to fix
    assert french("Enter the name of your shop.") in html.unescape(response.content.decode())
    assert not ApplicantProfile.objects.filter(case=case).exclude(shop_name="").exists()


def test_the_seller_page_title_and_address_carry_no_direction_control():
    default_site()
    case = open_account(applied_case(shop_name=SPOOFED), "active")

    LocalMarketplaceBackend().create_or_update_seller(case)

    page = SellerProfilePage.objects.get(case=case)
    assert case.applicant.shop_name == "Atelier gpj.exe"
    assert page.title == "Atelier gpj.exe"
    assert page.live and not has_controls(page.slug) and not has_controls(page.url)


def test_a_name_stored_with_controls_before_they_were_removed_is_cleaned_on_the_page():
    default_site()
    case = open_account(applied_case(shop_name="Dar Nhas"), "active")
    ApplicantProfile.objects.filter(case=case).update(shop_name=SPOOFED)
    case.refresh_from_db()

    LocalMarketplaceBackend().create_or_update_seller(case)

    page = SellerProfilePage.objects.get(case=case)
    assert page.title == "Atelier gpj.exe"
    assert not has_controls(page.get_latest_revision_as_object().title)
