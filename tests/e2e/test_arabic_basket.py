"""A buyer fills a basket in Arabic on a 360x740 phone, without an account: two products of one
seller added from their pages, a quantity changed, one order placed for both and paid on the
sandbox's hosted page, back on her order's page with both lines. Real Chromium with the site's
Content-Security-Policy enforced, the payments sandbox as a real server. Every page is kept as
a screenshot and checked by axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from onboarding.marketplace import basket as baskets
from onboarding.marketplace.models import Order, Product
from tests.onboarding.order_builders import paying_seller
from tests.onboarding.product_builders import arabic_marketplace, make_product
from tests.onboarding.sandbox_process import sandbox_for_worker

from .conftest import new_phone_context
from .journey import Journey
from .test_accessibility import THUMB, THUMB_TARGETS_SCRIPT
from .waiting import reload_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("kyc"),
]

RUG, CUSHION = "زربية صوف زرقاء", "وسادة جلد مطرزة"


def look(journey: Journey, step: str) -> None:
    journey.look(step)
    small = journey.page.evaluate(THUMB_TARGETS_SCRIPT, THUMB)
    assert not small, f"{step}: too small for a thumb:\n" + "\n".join(small)


def test_an_arabic_basket_of_two_products_is_ordered_and_paid_on_a_small_phone(
    live_server, browser, artifacts, settings, monkeypatch
):
    context = new_phone_context(browser, bypass_csp=False)
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    url = live_server.url
    settings.WAGTAILADMIN_BASE_URL = url
    monkeypatch.setenv("BASE_URL", url)
    journey = Journey(page, url, artifacts, "basket-ar")
    with sandbox_for_worker(url, settings, monkeypatch, timeout=2) as sandbox:
        seller = paying_seller(sandbox, "دار الزربية")
        rug = make_product(
            seller, title_ar=RUG, title_fr="", price=45_000, availability="in_stock", quantity=3
        )
        cushion = make_product(seller, title_ar=CUSHION, title_fr="", price=12_050)
        shop = f"{arabic_marketplace().url}{seller.slug}/"

        # She adds two rugs from the rug's page.
        journey.open(f"{shop.removeprefix(url)}{rug.public_id}/")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        look(journey, "product-page")
        page.locator("#basket-quantity").fill("2")
        page.locator("form.basket-add button[type=submit]").click()
        expect(page.locator("h1")).to_contain_text("سلّتك")
        look(journey, "basket-one-line")

        # Then a cushion, and she changes her mind: two cushions, one rug.
        journey.open(f"{shop.removeprefix(url)}{cushion.public_id}/")
        page.locator("form.basket-add button[type=submit]").click()
        expect(page.locator("main .basket-lines > li")).to_have_count(2)
        page.locator(f"#qty-{cushion.public_id}").fill("2")
        page.locator(f"form[action$='/line/{cushion.public_id}/'] button:not([name])").click()
        page.locator(f"#qty-{rug.public_id}").fill("1")
        page.locator(f"form[action$='/line/{rug.public_id}/'] button:not([name])").click()
        expect(page.locator(f"#qty-{cushion.public_id}")).to_have_value("2")
        expect(page.locator("main .price")).to_contain_text("691,00")  # 450 + 2 × 120,50
        look(journey, "basket-two-lines")

        # A quantity she cannot have is explained on the page.
        page.locator(f"#qty-{rug.public_id}").fill("9")
        page.locator(f"form[action$='/line/{rug.public_id}/'] button:not([name])").click()
        expect(page.locator("#error-summary")).to_contain_text("3")  # "only 3 left"
        look(journey, "basket-too-many")

        # She orders the whole basket and pays on the provider's hosted page.
        page.locator("#id_buyer_name").fill("سلمى العلوي")
        page.locator("#id_buyer_phone").fill("0661234567")
        page.locator("form[action$='/orders/basket/'] button[type=submit]").click()
        page.wait_for_url(f"{sandbox.url}/pay/**")
        expect(page.locator("main")).to_contain_text("691,00")
        look(journey, "hosted-page")
        page.get_by_label("بطاقة 4242 4242 4242 4242", exact=False).check()
        page.locator("main button[type=submit]").click()
        page.wait_for_url(f"{url}/ar/orders/**")
        reload_until(page, "main .status.paid", "the payment")
        expect(page.locator("main .order-lines li")).to_have_count(2)
        expect(page.locator("main .order-lines")).to_contain_text(RUG)
        look(journey, "order-paid")

        # Her basket is empty again.
        assert baskets.COOKIE not in {cookie["name"] for cookie in context.cookies()}
        journey.open("/ar/orders/basket/")
        expect(page.locator("main")).to_contain_text("سلّتك فارغة")
        look(journey, "basket-empty")

    context.close()
    assert refused == []
    order = Order.objects.get(seller=seller)
    assert (order.state, order.items_total, order.items.count()) == ("paid", 69_100, 2)
    assert Product.objects.get(pk=rug.pk).quantity == 2
