"""The whole selling chain in Arabic on a 360x740 phone: the seller adds a product with a photo;
a buyer finds it through the search, orders it and pays on the provider's hosted page; the
seller is told, accepts the order and marks it shipped; the buyer's page shows each step. Real
Chromium, a real Celery worker, the payments sandbox as a real server sending its signed
webhooks to the site, and the run's database. Every page is kept as a screenshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from onboarding.marketplace.models import Order, OrderStep, Product
from tests.onboarding.order_builders import paying_seller
from tests.onboarding.product_builders import arabic_marketplace
from tests.onboarding.sandbox_process import sandbox_for_worker
from tests.worker import celery_worker, wait_for

from .conftest import new_phone_context
from .journey import Journey, sign_in
from .test_accessibility import THUMB, THUMB_TARGETS_SCRIPT
from .waiting import reload_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("kyc"),
]

TITLE = "زربية صوف زرقاء"
PHONE_SIZE = {"width": 360, "height": 740}


def photo_file(folder: Path) -> Path:
    from PIL import Image

    path = folder / "IMG_3107.jpg"
    Image.new("RGB", (1200, 900), (160, 40, 30)).save(path, "JPEG")
    return path


def look(journey: Journey, step: str) -> None:
    journey.look(step)
    small = journey.page.evaluate(THUMB_TARGETS_SCRIPT, THUMB)
    assert not small, f"{step}: too small for a thumb:\n" + "\n".join(small)


def shown_state(page: Page) -> str:
    return page.locator("main .status").first.get_attribute("class") or ""


def test_an_arabic_order_goes_from_search_to_shipped_on_a_small_phone(
    live_server, browser, artifacts, settings, monkeypatch, tmp_path
):
    # The site's Content-Security-Policy is enforced: it must let the order form send the buyer
    # on to the provider's hosted page (form-action applies to that redirect).
    context = new_phone_context(browser, bypass_csp=False)
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.set_viewport_size(PHONE_SIZE)
    url = live_server.url
    # Where the provider sends the buyer back: this site, in the web process and the worker.
    settings.WAGTAILADMIN_BASE_URL = url
    monkeypatch.setenv("BASE_URL", url)
    journey = Journey(page, url, artifacts, "order-chain-ar")
    with sandbox_for_worker(url, settings, monkeypatch, timeout=2) as sandbox:
        seller = paying_seller(sandbox, "دار الزربية")
        marketplace = arabic_marketplace()
        with celery_worker(name="order-chain-ar"):
            # The seller adds a product with a photo, from her phone.
            sign_in(context, seller.case.learner, url)
            journey.open("/ar/sell/products/new/")
            page.locator("#id_photo").set_input_files(str(photo_file(tmp_path)))
            page.locator("#id_title_ar").fill(TITLE)
            page.locator("#id_price_text").fill("٤٥٠")
            page.locator("input[name=availability][value=in_stock]").check()
            page.locator("#id_quantity").fill("2")
            page.locator("button[value=sell]").click()
            look(journey, "product-for-sale")
            product = Product.objects.get(seller=seller)
            assert (product.status, product.price, product.photos.count()) == ("live", 45000, 1)

            # A buyer, who has no account, finds it through the search and orders it.
            context.clear_cookies()
            journey.open(marketplace.url)
            page.locator(f"a[href$='{marketplace.url}search/']").first.click()
            page.locator("#q").fill("زربية")
            page.locator("main form button[type=submit]").click()
            look(journey, "search-results")
            page.get_by_role("link", name=TITLE).click()
            expect(page.locator("h1")).to_have_text(TITLE)
            look(journey, "product-page")
            page.locator("a[href*='/orders/new/']").click()
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            look(journey, "order-form")
            page.locator("#id_buyer_name").fill("سلمى العلوي")
            page.locator("#id_buyer_phone").fill("0661234567")
            page.locator("main form button[type=submit]").click()

            # She pays on the provider's hosted page and comes back to her order.
            page.wait_for_url(f"{sandbox.url}/pay/**")
            expect(page.locator("main")).to_contain_text("450,00")
            look(journey, "hosted-page")
            page.get_by_label("بطاقة 4242 4242 4242 4242", exact=False).check()
            page.locator("main button[type=submit]").click()
            page.wait_for_url(f"{url}/ar/orders/**")
            buyer_page = page.url.split("?")[0]
            order = Order.objects.get(seller=seller)
            assert order.public_id not in buyer_page, "the link is the secret, not the number"
            reload_until(page, "main .status.paid", "the payment webhook")
            look(journey, "order-paid")
            assert Product.objects.get(pk=product.pk).quantity == 1

            # The seller is told, accepts the order and marks it shipped.
            wait_for(
                lambda: OrderStep.objects.filter(
                    order=order, kind="sms_seller", status="succeeded"
                ).exists(),
                timeout=60,
                what="the text message to the seller",
            )
            context.clear_cookies()
            sign_in(context, seller.case.learner, url)
            journey.open("/ar/sell/")
            page.locator("a[href$='/ar/sell/orders/']").first.click()
            expect(page.locator("main .card.new")).to_have_count(1)
            look(journey, "seller-orders")
            page.locator("main .card.new a").click()
            look(journey, "seller-order")
            page.locator("form[action$='/accept/'] button").click()
            expect(page.locator("main .status.accepted")).to_have_count(1)
            page.locator("form[action$='/ship/'] button").click()
            expect(page.locator("main .status.shipped")).to_have_count(1)
            look(journey, "seller-order-shipped")

            # The buyer's page shows each step, in her language.
            context.clear_cookies()
            page.goto(buyer_page)
            expect(page.locator("main .status.shipped")).to_have_count(1)
            expect(page.locator("main .timeline li")).to_have_count(4)
            expect(page.locator("h1")).to_contain_text("الطلب")  # in her language
            expect(page.locator("main .timeline")).to_contain_text("تم الشحن")
            look(journey, "order-shipped")
            wait_for(
                lambda: (
                    OrderStep.objects.filter(
                        order=order, kind="sms_buyer", status="succeeded"
                    ).count()
                    == 3
                ),
                timeout=60,
                what="a text message to the buyer for paid, accepted and shipped",
            )

    context.close()
    assert refused == []
    order.refresh_from_db()
    assert (order.state, order.items_total) == ("shipped", 45000)
    assert order.payment_ref and order.fee > 0 and order.net == order.items_total - order.fee
