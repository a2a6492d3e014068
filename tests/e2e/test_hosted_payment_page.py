"""A buyer pays on the sandbox's hosted page in Arabic on a 360px phone, with the test card that
asks for a 3-D Secure code, and lands back on the shop's address with the session id. Each page
is screenshotted (tests/e2e/screenshots/), fits the phone, and axe-core finds no serious fault."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from onboarding.providers.payments import HTTPPaymentsBackend
from tests.onboarding.payment_session_builders import SECURE, active_account, open_session
from tests.onboarding.sandbox_process import running_sandbox

from .journey import Journey
from .test_accessibility import THUMB, THUMB_TARGETS_SCRIPT

pytestmark = [pytest.mark.e2e]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def test_a_buyer_pays_in_arabic_through_3d_secure_on_a_small_phone(page: Page):
    with running_sandbox(activation_delay=0.2) as sandbox:
        backend = HTTPPaymentsBackend(**sandbox.options())
        shop = f"{sandbox.url}/_sandbox/stats"  # any page of ours will do as the shop's
        session = open_session(
            backend,
            active_account(sandbox, backend),
            amount_minor=45_000,
            description="زربية من الصوف، صنعت باليد",
            return_url=shop,
            cancel_url=shop,
        )
        journey = Journey(page, sandbox.url, SCREENSHOTS, "hosted-payment-ar")

        page.goto(session.hosted_url)  # the phone's Accept-Language is Arabic
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("main")).to_contain_text("450,00")
        assert page.evaluate(THUMB_TARGETS_SCRIPT, THUMB) == []
        journey.look("choose")
        page.get_by_label("بطاقة 4000 0000 0000 3220", exact=False).check()
        page.locator("main button[type=submit]").click()

        expect(page.locator("h1")).to_have_text("أكّد الدفع مع البنك")
        assert f"method={SECURE}" in page.url
        journey.look("3d-secure")
        page.get_by_label("الرمز").fill("123456")
        page.locator("main button[type=submit]").click()

        page.wait_for_url(f"{shop}?session_id={session.ref}")
        assert backend.get_payment_session(session.ref).status == "succeeded"
        page.goto(session.hosted_url)
        expect(page.locator("main")).to_contain_text("تم الدفع بنجاح")
        journey.look("paid")
