"""The home page is the front door: in every language it leads to the five places a visitor
comes for, on the learner layout (viewport, language and direction, navigation)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from wagtail.models import Site

from demo.models import HomePage
from demo.site import ensure_catalogues, ensure_homes, ensure_locales
from onboarding.marketplace.backend import marketplace_index

pytestmark = pytest.mark.django_db

LANGUAGES = {"ar": "rtl", "fr": "ltr", "en": "ltr"}
# Each destination and the start of its address, with the language prefix left out.
DESTINATIONS = {
    "sign in": "/learn/sign-in/",
    "catalogue": "/courses/",
    "my learning": "/learn/",
    "marketplace": "/marketplace/",
    "certificate verification": "/certificates/verify/",
}


class Links(HTMLParser):
    """The links inside <main>, and the <html> and viewport attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.in_main = False
        self.links: list[str] = []
        self.html: dict[str, str | None] = {}
        self.viewport = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.html = attributes
        elif tag == "meta" and attributes.get("name") == "viewport":
            self.viewport = attributes.get("content") or ""
        elif tag == "main":
            self.in_main = True
        elif tag == "a" and self.in_main:
            self.links.append(attributes.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.in_main = False


def read(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


@pytest.fixture
def front_door() -> None:
    locales = ensure_locales()
    ensure_catalogues(ensure_homes(locales), locales)
    marketplace_index()


@pytest.mark.usefixtures("front_door")
@pytest.mark.parametrize(("path", "language"), [("/", "ar"), *((f"/{c}/", c) for c in LANGUAGES)])
def test_the_home_page_leads_to_the_five_places_in_every_language(
    client: Client, path: str, language: str
) -> None:
    response = client.get(path, follow=True, headers={"accept-language": language})

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == f"/{language}/"
    page = read(response.content.decode())
    assert page.html.get("lang") == language
    assert page.html.get("dir") == LANGUAGES[language]
    assert "width=device-width" in page.viewport
    for destination, address in DESTINATIONS.items():
        assert any(link.startswith(f"/{language}{address}") for link in page.links), (
            f"no link to the {destination} in {page.links}"
        )


@pytest.mark.usefixtures("front_door")
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_link_of_the_home_page_answers_or_asks_to_sign_in(
    client: Client, language: str
) -> None:
    links = read(client.get(f"/{language}/").content.decode()).links
    sign_in = re.compile(rf"^/{language}/learn/sign-in/")

    for link in links:
        response = client.get(link)
        assert response.status_code == 200 or (
            response.status_code == 302 and sign_in.match(response["Location"])
        ), f"{link} answered {response.status_code}"


@pytest.mark.usefixtures("front_door")
def test_the_marketplace_is_in_the_learner_navigation(client: Client) -> None:
    catalogue = client.get("/ar/courses/").content.decode()

    navigation = catalogue.split('<nav aria-label="', 1)[1].split("</nav>", 1)[0]
    assert 'href="/ar/marketplace/"' in navigation
    assert "السوق" in navigation


def test_the_demo_makes_the_site_root_a_home_page_in_every_language_once() -> None:
    locales = ensure_locales()
    first = ensure_homes(locales)
    again = ensure_homes(locales)

    assert {code: page.pk for code, page in first.items()} == {
        code: page.pk for code, page in again.items()
    }
    assert all(isinstance(page, HomePage) for page in again.values())
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert HomePage.objects.count() == 3
