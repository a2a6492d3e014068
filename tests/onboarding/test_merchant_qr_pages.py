"""A live seller's merchant-presented QR code: on her public page, on her status page, and on the
A6 poster she prints. Each printed or drawn code is decoded and read back field by field."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.urls import reverse

from onboarding import emvco
from onboarding.qr import case_qr
from tests.builders import make_learner

from .marketplace_builders import applied_case, open_account
from .onboarding_builders import make_craft, operator
from .qr_builders import QR_ACCOUNT, decoded, live_seller, pdf_pages_png, qr_svgs, svg_png

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys")]


def poster_url(case) -> str:
    return reverse("onboarding_learner:qr_poster", args=[case.pk])


def test_the_code_says_the_shop_its_craft_its_town_and_the_providers_account():
    craft = make_craft("carpet-weaving", "textile")
    case, _page = live_seller(shop_name="Café Tapis · زرابي لطيفة", craft=craft)

    code = case_qr(case)
    assert code is not None
    qr = emvco.parse(code.payload)

    assert qr.initiation == "11" and qr.amount == ""
    assert qr.accounts == (
        emvco.MerchantAccount(QR_ACCOUNT.gui, {"01": QR_ACCOUNT.merchant_id}, "26"),
    )
    assert (qr.currency, qr.country) == ("504", "MA")
    assert qr.mcc == "5713"  # ISO 18245: floor covering stores
    assert (qr.name, qr.city) == ("Cafe Tapis", "Fes")
    assert qr.alternate == emvco.LanguageTemplate("ar", "زرابي لطيفة", "فاس")


def test_the_public_page_draws_a_code_that_decodes_to_the_payload(client, tmp_path):
    case, page = live_seller(shop_name="Atelier Zellige")

    html = client.get(page.url).content.decode()

    (svg,) = qr_svgs(html)
    assert 'role="img"' in svg and "aria-label=" in svg
    assert decoded(svg_png(svg, tmp_path)) == [case_qr(case).payload]


def test_a_seller_whose_provider_gave_no_qr_identifiers_shows_no_code(client):
    case = open_account(applied_case(), "active")
    assert case_qr(case) is None


def test_the_poster_is_an_a6_page_in_arabic_and_french_whose_code_decodes(client, tmp_path):
    case, _page = live_seller(shop_name="Tapis Latifa")
    client.force_login(case.learner)

    response = client.get(poster_url(case))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    (sheet,) = reader.pages
    width, height = (round(float(side) * 25.4 / 72) for side in sheet.mediabox[2:])
    assert (width, height) == (105, 148)
    text = sheet.extract_text()
    assert "Tapis Latifa" in text
    assert "Scannez pour payer" in text
    assert "امسح الرمز للدفع" in text
    (png,) = pdf_pages_png(response.content, tmp_path)
    (payload,) = decoded(png)
    assert payload == case_qr(case).payload
    assert emvco.parse(payload).name == "Tapis Latifa"


def test_the_status_page_shows_the_code_and_links_the_poster(client):
    case, _page = live_seller()
    client.force_login(case.learner)

    html = client.get(reverse("onboarding_learner:status", args=[case.pk])).content.decode()

    assert len(qr_svgs(html)) == 1
    assert f'href="{poster_url(case)}"' in html


def test_no_poster_while_the_account_cannot_be_paid(client):
    case = open_account(applied_case(), "restricted")
    client.force_login(case.learner)

    assert client.get(poster_url(case)).status_code == 404
    html = client.get(reverse("onboarding_learner:status", args=[case.pk])).content.decode()
    assert poster_url(case) not in html


def test_another_learner_gets_the_poster_of_a_case_that_does_not_exist(client):
    case, _page = live_seller()
    client.force_login(make_learner())

    assert client.get(poster_url(case)).status_code == 404


def test_an_operator_who_may_see_cases_opens_the_poster_from_the_case_page(client):
    case, _page = live_seller()
    client.force_login(operator("view_onboardingcase"))

    page = client.get(f"/admin/onboarding/cases/inspect/{case.pk}/").content.decode()

    assert f'href="{poster_url(case)}"' in page
    response = client.get(poster_url(case))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
