"""The page that answers the payment provider, in French on a 360px phone: a photo for each side
of the ID card, a field for the RIB it flags, a photo for a document it names in its own words,
and a clear message for a wrong answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from onboarding.models import OnboardingCase
from tests.onboarding.onboarding_builders import make_case, photo_upload

from .journey import Journey, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("kyc"),
]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def test_the_provider_request_page_reads_well_in_french_on_a_small_phone(
    live_server, context, page, tmp_path
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    case = make_case(state="action_required")
    OnboardingCase.objects.filter(pk=case.pk).update(
        payment_account_ref="acct_demo",
        requirements=["identity_document", "bank_account", "tax_certificate"],
    )
    sign_in(context, case.learner, live_server.url)
    photo = tmp_path / "recto.png"
    photo.write_bytes(photo_upload().read())
    journey = Journey(page, live_server.url, SCREENSHOTS, "action-required-fr")

    journey.open(f"/fr/onboarding/cases/{case.pk}/action-required/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("input[type=file]")).to_have_count(3)
    expect(page.locator("#id_rib")).to_be_visible()
    journey.look("asked")

    page.locator("#id_identity_card_front").set_input_files(str(photo))
    page.locator("#id_rib").fill("1234")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary a[href='#id_rib']")).to_have_count(1)
    journey.look("wrong-rib")
