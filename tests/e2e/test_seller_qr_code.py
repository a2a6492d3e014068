"""A buyer in front of the stall opens the seller's page on a 360px phone, in Arabic, and scans
the QR code it shows: the code drawn by Chromium decodes to the seller's EMV payload."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page

from onboarding import emvco
from onboarding.qr import case_qr
from tests.builders import make_translation
from tests.onboarding.onboarding_builders import make_craft
from tests.onboarding.qr_builders import live_seller

from .journey import Journey, sign_in
from .weight import FIRST_VISIT_BUDGET, WireMeter

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("pii_keys"),
]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def test_the_arabic_seller_page_shows_a_qr_code_that_a_phone_can_scan(live_server, page: Page):
    craft = make_craft("carpet-weaving", "textile")
    case, seller = live_seller(shop_name="زرابي لطيفة", craft=craft)
    # The Arabic marketplace (and its home) serves the one seller page in Arabic.
    marketplace = make_translation(seller.get_parent().specific, "ar", "السوق")
    code = case_qr(case)
    assert code is not None

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    journey = Journey(page, live_server.url, SCREENSHOTS, "seller-qr-code-ar-360")

    # A phone that never opened the site: the page with its code stays within the budget.
    load = WireMeter(page.context).load(page, f"{live_server.url}{marketplace.url}{seller.slug}/")
    assert load.received <= FIRST_VISIT_BUDGET, load.report()
    journey.look("seller-page")  # no sideways scrolling, no serious axe-core fault

    assert page.locator("html").get_attribute("dir") == "rtl"
    qr = page.locator("svg.qr")
    qr.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "seller-qr-code-ar-360.png"))
    box = qr.bounding_box()
    assert box is not None and 200 <= box["width"] <= 360
    scanned = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [result.text for result in scanned] == [code.payload]
    parsed = emvco.parse(scanned[0].text)
    assert parsed.alternate == emvco.LanguageTemplate("ar", "زرابي لطيفة", "فاس")
    assert (parsed.mcc, parsed.currency, parsed.country) == ("5713", "504", "MA")


def test_the_seller_finds_her_code_and_her_poster_on_her_page_in_arabic(live_server, page: Page):
    case, _seller = live_seller(shop_name="Tapis Latifa")
    code = case_qr(case)
    assert code is not None
    sign_in(page.context, case.learner, live_server.url)
    journey = Journey(page, live_server.url, SCREENSHOTS, "seller-status-qr-ar-360")

    journey.open(f"/ar/onboarding/cases/{case.pk}/")
    journey.look("status")  # no sideways scrolling, no serious axe-core fault

    qr = page.locator("svg.qr")
    scanned = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [result.text for result in scanned] == [code.payload]
    poster = page.get_by_role("link", name="ملصقي للطباعة")
    answer = page.request.get(live_server.url + str(poster.get_attribute("href")))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
