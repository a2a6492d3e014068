"""Finding: "The language links on a seller page lead to the blank home". On every kind of
page, each language link opens the same page in that language when it exists, else the nearest
place that does (the catalogue, the marketplace, that language's home): never a 404, never a
blank page."""

from __future__ import annotations

import re

import pytest

from lms.courses import services
from lms.courses.models import CourseIndexPage
from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import MarketplaceIndexPage, SellerProfilePage
from tests.builders import lessons_of, make_course, make_learner, make_translation

from .marketplace_builders import applied_case, certified_learner, open_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys")]

LANGUAGE_LINK = re.compile(r'<a href="([^"]+)" lang="([a-z]+)" hreflang="[a-z]+"')


def language_links(html: str) -> dict[str, str]:
    nav = html.split('<nav class="langs"', 1)[1].split("</nav>", 1)[0]
    return {language: url for url, language in LANGUAGE_LINK.findall(nav)}


def build_site(reader: object = None) -> dict[str, str]:
    """Pages of every kind, in French; the course also in Arabic and English, its second
    lesson in Arabic only; and a live seller."""
    course = make_course(title="Vendre en ligne", lessons=2, quiz=False)
    make_translation(course, "ar", "البيع عبر الإنترنت")
    make_translation(course, "en", "Selling online")
    first, second = lessons_of(course)
    if reader is not None:
        services.enrol(reader, course)
    make_translation(first, "ar", "الدرس الأول")
    make_translation(first, "en", "First lesson")
    make_translation(second, "ar", "الدرس الثاني")
    learner, certificate = certified_learner(first_name="Latifa")
    case = applied_case(learner=learner, shop_name="Tapis Latifa")
    LocalMarketplaceBackend().create_or_update_seller(open_account(case, "active"))
    seller = SellerProfilePage.objects.get(case=case)
    return {
        "catalogue": CourseIndexPage.objects.get(locale__language_code="fr").url,
        "course": course.url,
        "lesson": first.url,
        "lesson in French and Arabic only": second.url,
        "marketplace": MarketplaceIndexPage.objects.get(locale__language_code="fr").url,
        "seller": seller.url,
        "seller, read in Arabic": f"/ar/marketplace/{seller.slug}/",
        "my learning": "/fr/learn/",
        "sign in": "/fr/learn/sign-in/",
        "certificate check": "/fr/certificates/verify/",
        "verified certificate": certificate.verification_path(),
    }


def test_the_language_links_of_every_page_lead_to_a_page_in_that_language(client):
    reader = make_learner()
    pages = build_site(reader)
    client.force_login(reader)

    problems = []
    for kind, url in pages.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, (kind, url)
        links = language_links(response.content.decode())
        assert sorted(links) == ["ar", "en", "fr"], kind
        for language, link in links.items():
            target = client.get(link, follow=True)
            html = target.content.decode()
            main = html.split('<main id="main">', 1)[-1]
            if target.status_code != 200:
                problems.append(f"{kind} → {language}: {link} answers {target.status_code}")
            elif f'<html lang="{language}"' not in html:
                problems.append(f"{kind} → {language}: {link} is not in {language}")
            elif "<h1" not in main:
                problems.append(f"{kind} → {language}: {link} is blank")
    assert not problems, "\n".join(problems)


def test_the_language_links_of_a_seller_page_lead_to_the_seller_in_each_language(client):
    pages = build_site()
    slug = pages["seller"].rstrip("/").rsplit("/", 1)[1]

    for url in (pages["seller"], pages["seller, read in Arabic"]):
        links = language_links(client.get(url).content.decode())
        assert links == {
            "ar": f"/ar/marketplace/{slug}/",
            "fr": f"/fr/marketplace/{slug}/",
            "en": f"/en/marketplace/{slug}/",
        }


def test_a_page_not_translated_links_to_its_nearest_translated_place(client):
    reader = make_learner()
    pages = build_site(reader)
    client.force_login(reader)
    links = language_links(client.get(pages["lesson in French and Arabic only"]).content.decode())
    course_in_english = client.get(links["en"])
    assert course_in_english.status_code == 200
    assert links["en"].startswith("/en/") and links["en"] != "/en/"
    assert "Selling online" in course_in_english.content.decode()
