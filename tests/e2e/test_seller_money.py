"""A seller opens her money page on a 360px phone, in Arabic and in French, without JavaScript:
the totals, the chart and the tables fit, read right to left in Arabic, and pass axe-core."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page

from onboarding.models import OnboardingCase
from onboarding.providers.fake import InMemoryPaymentsBackend
from tests.onboarding.payments_builders import make_applicant
from tests.onboarding.qr_builders import live_seller

from .journey import Journey, sign_in
from .weight import FIRST_VISIT_BUDGET, WireMeter

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("pii_keys"),
]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture
def payments(settings) -> InMemoryPaymentsBackend:
    options = {"name": f"money-{uuid.uuid4().hex}", "webhook_secrets": ["whsec_test"]}
    settings.ONBOARDING_PROVIDERS = {
        **settings.ONBOARDING_PROVIDERS,
        "payments": {
            "BACKEND": "onboarding.providers.fake.InMemoryPaymentsBackend",
            "OPTIONS": options,
        },
    }
    return InMemoryPaymentsBackend(**options)


def seller_with_sales(payments: InMemoryPaymentsBackend) -> OnboardingCase:
    case, _seller = live_seller(shop_name="زرابي لطيفة Tapis Latifa")
    account = payments.open_account(make_applicant(), uuid.uuid4().hex).ref
    payments.set_account(account, "active")
    OnboardingCase.objects.filter(pk=case.pk).update(payment_account_ref=account)
    for number, amount in enumerate((125_000, 38_050, 9_900)):
        session = payments.create_payment_session(
            account_ref=account,
            amount_minor=amount,
            reference=f"order-{number}",
            description="Tapis",
            return_url="https://example.org/done",
            cancel_url="https://example.org/cancel",
            idempotency_key=f"session-{number}",
        )
        payments.pay(session.ref)
        if number == 0:
            payment = payments.get_payment_session(session.ref).payment_ref
            refund = payments.refund(payment_ref=payment, amount_minor=5_000, idempotency_key="r")
            payments.settle_refund(refund.ref)
            payments.pay_out(account)
    return OnboardingCase.objects.get(pk=case.pk)


@pytest.mark.parametrize("language, direction", [("ar", "rtl"), ("fr", "ltr")])
def test_her_money_fits_a_phone_in_her_language(
    live_server, page: Page, payments, language, direction
):
    case = seller_with_sales(payments)
    sign_in(page.context, case.learner, live_server.url)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    journey = Journey(page, live_server.url, SCREENSHOTS, f"seller-money-{language}-360")

    # A phone that never opened the site: the page, its chart and tables stay within budget.
    load = WireMeter(page.context).load(page, f"{live_server.url}/{language}/sell/money/")
    assert load.received <= FIRST_VISIT_BUDGET, load.report()
    journey.look("money")  # no sideways scrolling, no serious axe-core fault

    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("figure.money-chart progress").count() == 24
    assert page.locator("figure.money-chart figcaption").count() == 2
    first_bar = page.locator("figure.money-chart progress").first.bounding_box()
    assert first_bar is not None and first_bar["width"] > 60
    # Right to left, the bar starts on the right and its amount follows on its left.
    amount = page.locator("figure.money-chart li bdi").first.bounding_box()
    assert amount is not None and (amount["x"] < first_bar["x"]) == (direction == "rtl")
    table = page.locator(".money-table").first
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"seller-money-{language}-360-table.png"))
    answer = page.request.get(f"{live_server.url}/{language}/sell/money/statement.pdf")
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
