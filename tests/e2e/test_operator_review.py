"""An operator reads the funnel and compares two cases that share a national ID in the admin; a
seller whose payment account is restricted is gone from the marketplace for a buyer on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from onboarding import provisioning
from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import SellerProfilePage
from tests.builders import default_site, make_learner
from tests.onboarding.marketplace_builders import applied_case, make_photo, open_account
from tests.onboarding.onboarding_builders import make_craft, operator

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("kyc"),
]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CIN = "AB123456"


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_an_operator_compares_a_duplicate_id_case_and_a_restricted_seller_is_gone(
    live_server, browser: Browser
):
    default_site()
    craft = make_craft("carpet-weaving", "textile")
    first = applied_case(
        learner=make_learner(first_name="Latifa", last_name="Berrada"),
        cin=CIN,
        shop_name="Tapis Latifa",
        craft=craft,
        photo=make_photo(),
    )
    second = applied_case(
        learner=make_learner(first_name="Mustapha", last_name="Chraibi"),
        cin=CIN,
        shop_name="Cuir Mustapha",
        photo=make_photo(),
    )
    assert second.state == "manual_review"
    LocalMarketplaceBackend().create_or_update_seller(open_account(first, "active"))
    provisioning.seller_published(first.pk, actor_label="marketplace")
    page_url = SellerProfilePage.objects.get(case=first).url
    reviewer = operator("view_onboardingcase", "review_case")

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr")
    admin = desk.new_page()
    admin.goto(f"{live_server.url}/admin/login/")
    admin.fill("input[name=username]", reviewer.username)
    admin.fill("input[name=password]", "pass-Word-42")
    admin.click("button[type=submit]")
    admin.goto(f"{live_server.url}/admin/onboarding/funnel/")
    expect(admin.locator('tr[data-stage="submitted"]')).to_contain_text("2")
    shot(admin, "operator-funnel")
    admin.goto(f"{live_server.url}/admin/onboarding/cases/inspect/{second.pk}/")
    table = admin.locator("table[data-comparison]")
    expect(table).to_contain_text("Latifa Berrada")
    expect(table).to_contain_text("Mustapha Chraibi")
    expect(table.locator("img")).to_have_count(2)
    shot(admin, "operator-duplicate-case")
    desk.close()

    phone = browser.new_context(viewport={"width": 360, "height": 740})
    buyer = phone.new_page()
    for language in ("fr", "ar"):
        url = f"{live_server.url}/{language}/{page_url.removeprefix('/fr/')}"
        assert buyer.goto(url).status == 200
        shot(buyer, f"seller-live-{language}")
    open_account(first, "restricted")
    for language in ("fr", "ar"):
        url = f"{live_server.url}/{language}/{page_url.removeprefix('/fr/')}"
        assert buyer.goto(url).status == 404
        shot(buyer, f"seller-restricted-{language}")
    phone.close()
