"""A seller who reads Arabic adds a product with a photo from a 360px phone, and a buyer finds
it through the marketplace's search; each page is looked at by axe-core and kept as a
screenshot. Without a connection, what she typed stays on the phone and is sent when it comes
back."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from onboarding.marketplace.models import Product
from tests.onboarding.product_builders import arabic_marketplace, selling_seller

from .journey import Journey, sign_in
from .test_accessibility import THUMB, THUMB_TARGETS_SCRIPT

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("kyc"),
]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
TITLE = "طبق زليج أزرق"


def photo_file(folder: Path) -> Path:
    from PIL import Image

    path = folder / "IMG_2031.jpg"
    Image.new("RGB", (1200, 900), (30, 80, 160)).save(path, "JPEG")
    return path


def look(journey: Journey, step: str) -> None:
    journey.look(step)
    small = journey.page.evaluate(THUMB_TARGETS_SCRIPT, THUMB)
    assert not small, f"{step}: too small for a thumb:\n" + "\n".join(small)


def test_a_seller_adds_a_product_in_arabic_and_a_buyer_finds_it(page: Page, live_server, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seller = selling_seller("دار الزليج")
    marketplace = arabic_marketplace()
    sign_in(page.context, seller.case.learner, live_server.url)
    journey = Journey(page, live_server.url, SCREENSHOTS, "seller-product")

    journey.open("/ar/sell/")
    look(journey, "dashboard-empty")
    page.get_by_role("link", name="أضف منتوجا").click()
    look(journey, "new-product")
    page.locator("#id_photo").set_input_files(str(photo_file(tmp_path)))
    page.locator("#id_title_ar").fill(TITLE)
    page.locator("#id_price_text").fill("١٢٠")
    page.locator("button[value=sell]").click()
    expect(page.locator(".messages")).to_contain_text("منتوجك معروض للبيع")
    look(journey, "product-for-sale")
    product = Product.objects.get(seller=seller)
    assert (product.status, product.price, product.photos.count()) == ("live", 12000, 1)

    page.context.clear_cookies()  # a buyer, who has no account
    journey.open(marketplace.url)
    page.get_by_role("link", name="ابحث عن منتوج").click()
    page.locator("#q").fill("زليج")
    page.locator("main form button[type=submit]").click()
    look(journey, "search-results")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".price")).to_contain_text("120")
    look(journey, "product-page")


def test_without_a_connection_the_product_waits_on_the_phone(page: Page, live_server):
    seller = selling_seller("دار الزليج")
    sign_in(page.context, seller.case.learner, live_server.url)
    page.goto(f"{live_server.url}/ar/sell/products/new/")

    page.context.set_offline(True)
    page.locator("#id_title_ar").fill(TITLE)
    page.locator("#id_price_text").fill("80")
    page.locator("button[value=sell]").click()
    expect(page.locator("[data-offline-note]")).to_contain_text("بدون اتصال")
    assert not Product.objects.filter(seller=seller).exists()

    page.context.set_offline(False)
    page.locator("[data-offline-note] button").click()
    expect(page.locator(".messages")).to_contain_text("منتوجك معروض للبيع")
    assert Product.objects.get(seller=seller).title_ar == TITLE
