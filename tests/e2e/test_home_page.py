"""The home page on a 360px phone, in Arabic, French and English: the five places a visitor comes
for are there, big enough for a thumb, with or without JavaScript, and axe-core finds no serious
fault. The Arabic and French pages are kept as screenshots in tests/e2e/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from demo.site import ensure_catalogues, ensure_homes, ensure_locales
from onboarding.marketplace.backend import marketplace_index
from tests.builders import default_site

from .journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
THUMB = 44
DIRECTIONS = {"ar": "rtl", "fr": "ltr", "en": "ltr"}
# The start of each destination's address after the language prefix.
DESTINATIONS = [
    "/learn/sign-in/",
    "/courses/",
    "/learn/",
    "/marketplace/",
    "/certificates/verify/",
]


def build_front_door() -> None:
    # As the demo loader does: in one transaction, which the row locks it takes need.
    with transaction.atomic():
        locales = ensure_locales()
        # A transactional test that ran before may have flushed the site that migrations made.
        default_site()
        ensure_catalogues(ensure_homes(locales), locales)
        marketplace_index()


def destinations(page: Page, language: str) -> list[dict[str, float]]:
    """The box of the link to each destination in <main>, failing if one is missing or hidden."""
    boxes = []
    for address in DESTINATIONS:
        link = page.locator(f"main a[href^='/{language}{address}']").first
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None
        boxes.append(box)
    return boxes


@pytest.mark.parametrize("language", DIRECTIONS)
def test_the_home_page_offers_the_five_places_on_a_small_phone(
    live_server, page: Page, language: str
) -> None:
    build_front_door()
    SCREENSHOTS.mkdir(exist_ok=True)
    journey = Journey(page, live_server.url, SCREENSHOTS, f"home-{language}")

    journey.open(f"/{language}/")
    journey.look("home")

    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", DIRECTIONS[language])
    for box in destinations(page, language):
        assert box["height"] >= THUMB and box["width"] >= THUMB, f"too small for a thumb: {box}"
    navigation = page.locator("header nav").first
    expect(navigation.locator(f"a[href^='/{language}/marketplace/']")).to_be_visible()


def test_the_home_page_works_without_javascript(live_server, page_without_javascript: Page):
    build_front_door()

    page_without_javascript.goto(f"{live_server.url}/ar/")

    destinations(page_without_javascript, "ar")
    page_without_javascript.locator("main a[href^='/ar/certificates/verify/']").click()
    expect(page_without_javascript.locator("h1")).to_be_visible()
    assert "/ar/certificates/verify/" in page_without_javascript.url
