"""An Arabic-reading learner signs in by phone in real Chromium, on a 360px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.phone_sign_in import last_code
from tests.builders import default_site
from tests.e2e.journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.usefixtures("sms_outbox")
def test_an_arabic_learner_signs_in_with_the_code_from_the_sms(live_server, page, artifacts):
    default_site()  # a flushed test database has no site or content language
    journey = Journey(page, live_server.url, artifacts, "ar-phone-sign-in")

    journey.open("/ar/learn/")
    expect(page).to_have_url(re.compile(r"/ar/learn/sign-in/\?next="))
    journey.look("phone-number")
    page.get_by_label("رقم الهاتف المحمول").fill("06 12 34 56 78")
    page.locator("main form.sign-in button[type=submit]").click()

    expect(page.locator("main bdi")).to_have_text("06 12 34 56 78")
    page.get_by_label("الرمز الذي وصلك في الرسالة").fill(
        "000000" if last_code() != "000000" else "111111"
    )
    page.locator("main form.sign-in button[type=submit]").click()
    expect(page.locator("#code-error")).to_be_visible()
    journey.look("wrong-code")

    page.get_by_label("الرمز الذي وصلك في الرسالة").fill(last_code())
    page.locator("main form.sign-in button[type=submit]").click()

    # A new learner gives the name their certificates will carry, then goes where they were going.
    expect(page).to_have_url(re.compile(r"/ar/learn/sign-in/name/\?next="))
    journey.look("your-name")
    page.get_by_label("الاسم الشخصي").fill("فاطمة")
    page.get_by_label("الاسم العائلي").fill("الزهراء")
    page.locator("main form.sign-in button[type=submit]").click()

    expect(page).to_have_url(live_server.url + "/ar/learn/")
    expect(page.locator("section[aria-labelledby=your-name] strong")).to_have_text("فاطمة الزهراء")
    expect(page.locator("header form[action='/ar/learn/sign-out/']")).to_be_visible()
    journey.look("signed-in")
