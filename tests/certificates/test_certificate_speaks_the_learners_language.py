"""Findings: "The certificate puts French first for an Arabic learner, and its QR opens the
French verify page", and "An unknown code gives a bare 'غير موجود.' page with no way to try
again"."""

from __future__ import annotations

import re

import pytest
import zxingcpp

from lms.certificates.conf import app_settings
from lms.certificates.issuing import issue_certificate
from lms.certificates.models import Certificate
from lms.certificates.rendering import certificate_context, render_pdf
from maalem.core.languages import remember_language
from tests.builders import complete, make_course, make_learner
from tests.certificates.certificate_builders import first_page_png

pytestmark = pytest.mark.django_db


def certificate_for(language: str | None) -> Certificate:
    learner = make_learner(first_name="Fatima", last_name="Bennani")
    if language:
        remember_language(learner, language)
    certificate = issue_certificate(complete(learner, make_course(lessons=1, quiz=False)))
    assert certificate is not None
    return certificate


def test_the_certificate_puts_the_arabic_learners_language_first_and_its_qr_opens_arabic(
    tmp_path,
):
    certificate = certificate_for("ar")

    context = certificate_context(certificate)
    assert context["document_language"] == "ar"
    assert [column["language"] for column in context["columns"]] == ["ar", "fr"]
    page = first_page_png(render_pdf(certificate), tmp_path)
    decoded = [result.text for result in zxingcpp.read_barcodes(page)]
    assert decoded == [
        f"{app_settings.BASE_URL}/ar/certificates/verify/{certificate.display_code}/"
    ]


def test_a_french_learner_gets_french_first_and_the_french_verify_page():
    certificate = certificate_for("fr")

    context = certificate_context(certificate)

    assert [column["language"] for column in context["columns"]] == ["fr", "ar"]
    assert context["verify_url"].endswith(f"/fr/certificates/verify/{certificate.display_code}/")


def test_without_a_known_language_the_qr_keeps_the_configured_address(settings):
    settings.LMS_CERTIFICATES_URL_LANGUAGE = "en"
    certificate = certificate_for(None)
    assert "/en/certificates/verify/" in certificate_context(certificate)["verify_url"]


@pytest.mark.parametrize(
    ("language", "explanation"),
    [
        ("ar", "لا توجد شهادة بهذا الرمز."),
        ("fr", "Aucun certificat ne porte ce code."),
    ],
)
def test_an_unknown_code_explains_and_offers_to_type_the_code_again(client, language, explanation):
    response = client.get(f"/{language}/certificates/verify/ABCD-EFGH-JKMN-PQRS/")

    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert '<header class="top">' in html  # the whole site around it, not a bare message
    assert explanation in html
    form = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', html, re.DOTALL)
    assert form and form.group(1) == f"/{language}/certificates/verify/"
    assert 'name="code" value="ABCD-EFGH-JKMN-PQRS"' in form.group(2)
    assert 'aria-invalid="true"' in form.group(2)


def test_typing_the_code_again_on_the_not_found_page_finds_the_certificate(client):
    certificate = certificate_for("ar")
    client.get("/ar/certificates/verify/ABCD-EFGH-JKMN-PQRS/")

    response = client.get(
        "/ar/certificates/verify/", {"code": certificate.code.lower()}, follow=True
    )

    assert response.status_code == 200
    assert "شهادة صالحة" in response.content.decode()
