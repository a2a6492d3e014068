"""A certified Arabic-reading artisan opens their seller account on a 360px phone: from "My
learning" to the application form, one mistake fixed, then a real worker and the payments
sandbox (a real HTTP server) take the case to an active account and a live seller profile."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from onboarding import eligibility
from onboarding.marketplace.models import SellerProfilePage
from tests.builders import complete, default_site, make_learner
from tests.onboarding.onboarding_builders import (
    make_craft,
    make_rule,
    photo_upload,
    quick_course,
    valid_rib,
)
from tests.onboarding.sandbox_process import sandbox_for_worker
from tests.worker import celery_worker

from .journey import Journey
from .waiting import reload_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("kyc"),
]

MY_SHOP = "زليج فاس"


def wrong_key(rib: str) -> str:
    return rib[:22] + f"{int(rib[22:]) % 97 + 1:02d}"


def test_a_certified_learner_applies_in_arabic_on_a_phone_and_ends_with_a_live_shop(
    live_server, page, artifacts, settings, monkeypatch, tmp_path
):
    default_site()
    course = quick_course()
    make_rule(course)
    learner = make_learner(first_name="Fatima", last_name="Zahra")
    complete(learner, course)
    case = eligibility.open_case_if_eligible(learner)
    assert case is not None and case.state == "eligible"
    craft = make_craft()
    photo = tmp_path / "atelier.png"
    photo.write_bytes(photo_upload().read())
    journey = Journey(page, live_server.url, artifacts, "kyc-ar")

    journey.open("/ar/learn/sign-in/?next=/ar/learn/")
    journey.sign_in(learner.username)
    expect(page).to_have_url(live_server.url + "/ar/learn/")
    section = page.locator("section.onb-section")
    expect(section.locator("li[aria-current=step]")).to_have_count(1)
    journey.look("my-learning")

    section.locator("a.button").click()
    expect(page).to_have_url(f"{live_server.url}/ar/onboarding/cases/{case.pk}/application/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    journey.look("form")

    page.locator("#id_cin").fill("ab123456")
    page.locator("#id_phone").fill("0612345678")
    page.locator("#id_region").select_option("Fès-Meknès")
    page.locator("#id_craft").select_option(str(craft.pk))
    page.locator("#id_shop_name").fill(MY_SHOP)
    page.locator("#id_photo").set_input_files(str(photo))
    page.locator("#id_payout_method_1").check()
    page.locator("#id_rib").fill(wrong_key(valid_rib()))
    page.locator("#id_consent").check()
    page.locator("button[value=submit]").click()

    expect(page.locator("#id_rib_error")).to_be_visible()
    expect(page.locator("#error-summary a[href='#id_rib']")).to_have_count(1)
    expect(page.locator("#id_rib")).to_have_attribute("aria-invalid", "true")
    journey.look("form-with-a-mistake")

    # The national ID and the phone were kept and are shown masked; the photo too.
    expect(page.locator("#id_cin_kept")).to_contain_text("AB****56")
    expect(page.locator("#id_cin")).to_have_value("")
    page.locator("#id_rib").fill(valid_rib())
    page.locator("#id_consent").check()

    with sandbox_for_worker(live_server.url, settings, monkeypatch, timeout=2) as sandbox:
        with celery_worker(name="kyc-journey"):
            page.locator("button[value=submit]").click()
            expect(page).to_have_url(f"{live_server.url}/ar/onboarding/cases/{case.pk}/?done=sent")
            expect(page.locator(".onb-done")).to_be_visible()
            journey.look("status-sent")

            reload_until(page, ".onb-next.shop", "the seller account to open", timeout=40)
        stats = sandbox.stats()

    expect(page.locator(".onb-next.shop")).to_be_visible()
    expect(page.locator(".onb-step.done")).to_have_count(5)
    journey.look("status-active")
    case.refresh_from_db()
    assert case.state == "active"
    assert stats["accounts_by_case"] == {str(case.pk): 1}
    assert SellerProfilePage.objects.get(case=case).live
    assert case.applicant.payout_method == "bank"
