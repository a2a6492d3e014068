"""A seller's money page and statements show what the provider's ledger holds, to the centime:
real payments through the sandbox's hosted page, a refund and a payout; private to her."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pypdf
import pytest
from django.test import Client
from django.utils import timezone, translation

from onboarding.marketplace.models import SellerProfilePage
from onboarding.marketplace.prices import price_text
from onboarding.models import OnboardingCase
from onboarding.providers.payments import HTTPPaymentsBackend
from tests.builders import make_learner

from .payment_session_builders import SUCCEEDS, active_account, ledger, open_session, pay
from .payment_session_builders import wait_for_refund as settled
from .product_builders import selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]

MONEY = "/fr/sell/money/"


def seller_at(sandbox) -> SellerProfilePage:
    """A selling seller whose case holds an active account of the sandbox."""
    seller = selling_seller(shop_name="Atelier Hind")
    account = active_account(sandbox, HTTPPaymentsBackend(**sandbox.options()))
    OnboardingCase.objects.filter(pk=seller.case_id).update(payment_account_ref=account)
    return SellerProfilePage.objects.select_related("case").get(pk=seller.pk)


def signed_in(seller: SellerProfilePage) -> Client:
    client = Client()
    client.force_login(seller.case.learner)
    return client


def sell(sandbox, account: str, amount: int) -> str:
    backend = HTTPPaymentsBackend(**sandbox.options())
    session = open_session(backend, account, amount_minor=amount)
    pay(session, SUCCEEDS)
    return backend.get_payment_session(session.ref).payment_ref


@pytest.fixture
def money_seller(provider):
    """Two sales paid on the hosted page, a settled refund and a payout, then one more sale."""
    provider.configure(refund_delay=0.05)
    seller = seller_at(provider)
    account = seller.case.payment_account_ref
    backend = HTTPPaymentsBackend(**provider.options())
    first = sell(provider, account, 15_000)
    sell(provider, account, 8_050)
    refund = backend.refund(payment_ref=first, amount_minor=2_500, idempotency_key="r-1")
    settled(backend, refund.ref)
    assert len(provider.run_payouts()) == 1
    sell(provider, account, 12_345)
    return seller


def ledger_totals(sandbox, account: str) -> dict[str, int]:
    return ledger(sandbox)["accounts"][account]


def test_the_page_shows_the_ledger_to_the_centime(money_seller, provider):
    account = money_seller.case.payment_account_ref
    expected = ledger_totals(provider, account)

    response = signed_in(money_seller).get(MONEY)

    assert response.status_code == 200
    for _title, period in response.context["now"]:
        totals = period.totals
        got = (totals.sales, totals.fees, totals.refunds, totals.payouts, totals.net)
        assert got == (
            expected["sales_minor"],
            expected["fees_minor"],
            expected["refunds_minor"],
            expected["payouts_minor"],
            expected["net_minor"],
        )
    assert expected["payouts_minor"] == 15_000 + 8_050 - 325 - 221 - 2_500
    page = response.content.decode()
    with translation.override("fr"):
        for name in ("sales_minor", "fees_minor", "payouts_minor", "net_minor"):
            assert price_text(expected[name]) in page, name
    weeks = response.context["tables"][0]["periods"]
    assert len(weeks) == 12 and sum(week.totals.net for week in weeks[1:]) == 0
    assert 'aria-hidden="true" max="' in page and "<figcaption>" in page


def test_the_answer_is_kept_a_minute_per_seller(money_seller, provider):
    client = signed_in(money_seller)
    route = "GET /v1/accounts/{account_id}/balance_transactions"
    before = provider.stats()["requests_by_route"].get(route, 0)

    client.get(MONEY)
    client.get(MONEY)

    assert provider.stats()["requests_by_route"][route] == before + 1


def test_the_csv_statement_lists_every_line_and_the_totals(money_seller, provider, settings):
    account = money_seller.case.payment_account_ref
    month = timezone.localdate().strftime("%Y-%m")

    response = signed_in(money_seller).get(f"{MONEY}statement.csv", {"month": month})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Relevé", "Atelier Hind"]
    assert rows[1] == ["Compte de paiement", f"•••• {account[-4:]}"]
    assert account not in response.content.decode()
    lines = [row for row in rows[6:] if len(row) == 5]
    mine = [line for line in ledger(provider)["lines"] if line["account"] == account]
    assert [row[4] for row in lines] == [
        line["payout"] or line["refund"] or line["payment"] for line in mine
    ]
    assert [row[3] for row in lines] == [
        "150.00", "-3.25", "80.50", "-2.21", "-25.00", "-200.04", "123.45", "-2.85"
    ]  # fmt: skip
    assert rows[-1] == ["Net", "", "", f"{ledger_totals(provider, account)['net_minor'] / 100:.2f}"]
    assert not list(Path(settings.MEDIA_ROOT).rglob("statement*"))  # made in memory only


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_pdf_statement_is_an_a4_in_her_language(money_seller, language):
    today = timezone.localdate().isoformat()
    response = signed_in(money_seller).get(
        f"/{language}/sell/money/statement.pdf", {"start": today, "end": today}
    )

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    text = "".join(page.extract_text() for page in reader.pages)
    assert money_seller.case.payment_account_ref[-4:] in text
    assert "Atelier Hind" in text and "123,45" in text
    words = {"fr": ("Relevé", "Virement", "Net"), "ar": ("كشف الحساب", "تحويل", "الصافي")}
    assert all(word in text for word in words[language]), text


@pytest.mark.parametrize(
    "query, message",
    [
        ({"month": "2026-13"}, "2026-11"),
        ({"start": "2026-03-10", "end": "2026-03-01"}, "avant"),
        ({"start": "2024-01-01", "end": "2025-06-01"}, "366"),
        ({"start": "2026-03-10"}, "dernier jour"),
        ({"month": "2026-01", "start": "2026-01-02", "end": "2026-01-03"}, "pas les deux"),
        ({"month": "2999-01"}, "pas encore commencé"),
    ],
)
def test_a_bad_period_is_explained(money_seller, query, message):
    response = signed_in(money_seller).get(f"{MONEY}statement.csv", query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_others_see_only_their_own_or_nothing(money_seller, provider):
    other = seller_at(provider)
    not_selling = Client()
    not_selling.force_login(make_learner())

    theirs = signed_in(other).get(MONEY)
    anonymous = Client().get(MONEY)

    assert [period.totals.sales for _title, period in theirs.context["now"]] == [0, 0]
    assert anonymous.status_code == 302 and "/sign-in/?next=" in anonymous["Location"]
    assert not_selling.get(MONEY).status_code == 200
    assert "compte de paiement est actif" in not_selling.get(MONEY).content.decode()
    assert not_selling.get(f"{MONEY}statement.csv").status_code == 404
    assert not_selling.get(f"{MONEY}statement.pdf").status_code == 404


def test_an_unreachable_provider_gets_a_friendly_page(money_seller, settings):
    settings.ONBOARDING_PROVIDERS = {
        **settings.ONBOARDING_PROVIDERS,
        "payments": {
            "BACKEND": "onboarding.providers.payments.HTTPPaymentsBackend",
            "OPTIONS": {"base_url": "http://127.0.0.1:9", "api_key": "k", "timeout": 0.5},
        },
    }
    client = signed_in(money_seller)

    page = client.get(MONEY)
    statement = client.get(f"{MONEY}statement.csv")

    assert page.status_code == 200
    assert "Votre argent est en sécurité" in page.content.decode()
    assert statement.status_code == 503
    assert "Votre argent est en sécurité" in statement.content.decode()


def test_the_page_asks_the_database_a_bounded_number_of_times(
    money_seller, django_assert_max_num_queries
):
    """Her session, her page and case, the site's menus: none per line nor per period."""
    client = signed_in(money_seller)
    client.get(MONEY)  # the first visit also records her language
    with django_assert_max_num_queries(14):
        assert client.get(MONEY).status_code == 200
