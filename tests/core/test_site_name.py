"""Finding: "Page titles and the verify page say 'Maalem' in Latin script" on Arabic pages."""

from __future__ import annotations

import re

import pytest

from lms.certificates.issuing import issue_certificate
from maalem.core.brand import site_name
from tests.builders import complete, make_catalogue, make_course, make_learner

pytestmark = pytest.mark.django_db


def title_of(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    assert match
    return match.group(1).strip()


def verify_page(client, language: str) -> str:
    completion = complete(make_learner(first_name="Youssef"), make_course(lessons=1, quiz=False))
    certificate = issue_certificate(completion)
    assert certificate is not None
    response = client.get(f"/{language}/certificates/verify/{certificate.display_code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_page_titles_and_the_verify_page_say_the_brand_in_arabic_script(client):
    make_catalogue()
    pages = [client.get("/ar/learn/sign-in/").content.decode(), verify_page(client, "ar")]

    for html in pages:
        assert title_of(html).endswith("· مْعلّم")
        assert '<a class="brand" href="/ar/">مْعلّم</a>' in html
        assert "Maalem" not in html


def test_french_pages_say_maalem(client):
    html = verify_page(client, "fr")
    assert title_of(html).endswith("· Maalem")
    assert "Maalem" in html.split("Délivré par", 1)[1]


def test_a_host_names_its_site_per_language(settings):
    settings.MAALEM_SITE_NAME = {"ar": "حرفتي", "fr": "Mon Métier"}
    assert site_name("ar") == "حرفتي"
    assert site_name("fr") == "Mon Métier"
    assert site_name("en") == "Maalem"
    settings.MAALEM_SITE_NAME = "Herfa"
    assert site_name("ar") == "Herfa"
