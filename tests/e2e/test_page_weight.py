"""Each page type fits a cheap data plan: 50 KB on a first visit, 10 KB on a return visit.

Bytes over the wire are counted in real Chromium on a 360px phone (see ``weight.py`` for what
counts): the HTML and everything it pulls in, headers included, compressed as sent; media left
out. A first visit starts from an empty phone: no HTTP cache, no service worker (it installs
during that visit, and what it fetches then counts too). A return visit opens the same page in
the same context after going elsewhere, so only what the HTTP cache and the service worker
could not answer crosses the network.

The site is served the way a deployment serves it, not by pytest-django's ``live_server``: that
server answers ``/static/`` itself, uncompressed and without a cache lifetime, which would
overstate the first visit and make every return visit revalidate the stylesheet and script.
Here ``collectstatic`` runs into a temporary STATIC_ROOT with the compressed manifest storage,
and WhiteNoise serves the hashed, brotli-compressed files with a far-future lifetime, as in
production (DEBUG is off, as pytest-django always has it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
from playwright.sync_api import Browser
from wagtail.models import Site

from demo.site import as_home_page
from lms.courses import services
from onboarding.marketplace.models import MarketplaceIndexPage
from onboarding.marketplace.product_photos import add_photo
from tests.builders import make_learner
from tests.onboarding.product_builders import make_product, phone_photo, selling_seller

from .conftest import new_phone_context
from .content import LANGUAGES, make_trilingual_course
from .journey import sign_in
from .weight import (
    FIRST_VISIT_BUDGET,
    KB,
    PRODUCTION_STATIC_IGNORE,
    RETURN_VISIT_BUDGET,
    Visits,
    WireMeter,
    first_and_return_visit,
    production_shaped_server,
    production_static_settings,
    table,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    static_root = tmp_path_factory.mktemp("static")
    with override_settings(**production_static_settings(static_root)):
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=PRODUCTION_STATIC_IGNORE,
        )
    return static_root


@pytest.fixture
def production_site(collected_static: Path, settings) -> Iterator[str]:
    settings.MEDIA_ROOT = str(collected_static.parent / "media")
    with override_settings(**production_static_settings(collected_static)):
        with production_shaped_server() as url:
            yield url


# The private storage, which the production-shaped static settings leave out of STORAGES.
PRIVATE_STORAGE = settings.STORAGES["private"]


def product_page(language: str) -> str:
    """A product for sale, with a photo, on the marketplace in ``language``."""
    with override_settings(STORAGES={**settings.STORAGES, "private": PRIVATE_STORAGE}):
        seller = selling_seller("Dar Zellige")
        product = make_product(seller)
        add_photo(product, phone_photo())
    marketplaces = MarketplaceIndexPage.objects.filter(locale__language_code=language)
    marketplace = marketplaces.first() or seller.get_parent().specific
    return f"{marketplace.url}{seller.slug}/{product.public_id}/"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.usefixtures("pii_keys")
def test_every_page_type_fits_the_byte_budget_on_a_first_and_a_return_visit(
    language, production_site, browser: Browser, artifacts: Path
):
    courses = make_trilingual_course()
    course = courses[language]
    learner = make_learner()
    services.enrol(learner, course.course)
    services.mark_lesson_done(learner, course.lessons[0])
    for home_page in Site.objects.get(is_default_site=True).root_page.get_translations(
        inclusive=True
    ):
        as_home_page(home_page)
    home = f"/{language}/"
    pages = [
        ("home", home, False),
        ("catalogue", course.catalogue.url, False),
        ("course", course.course.url, False),
        ("lesson", course.lessons[1].url, True),
        ("dashboard (My learning)", f"/{language}/learn/", True),
        ("product", product_page(language), False),
    ]

    measured: list[Visits] = []
    for name, path, signed_in in pages:
        # A new, empty phone for each page type: its first visit pays for everything.
        context = new_phone_context(browser)
        try:
            if signed_in:
                sign_in(context, learner, production_site)
            meter = WireMeter(context)
            page = context.new_page()
            elsewhere = course.catalogue.url if path == home else home
            visits = first_and_return_visit(
                meter, page, name, production_site + path, production_site + elsewhere
            )
            assert page.locator("h1").count() == 1, f"{name}: {path} did not show its page"
            measured.append(visits)
        finally:
            context.close()

    summary = f"Bytes over the wire, {language}, media left out\n" + table(measured)
    details = [load.report() for visits in measured for load in (visits.first, visits.again)]
    report = "\n\n".join([summary, *details])
    (artifacts / f"page-weight-{language}.txt").write_text(report + "\n")
    print("\n" + report)  # noqa: T201 - the numbers are the point of this test; -s shows them
    for visits in measured:
        assert visits.first.received <= FIRST_VISIT_BUDGET, (
            f"{language} {visits.name}: first visit {visits.first.received / KB:.1f} KB, budget "
            f"{FIRST_VISIT_BUDGET // KB} KB\n{visits.first.report()}\n{summary}"
        )
        assert visits.again.received <= RETURN_VISIT_BUDGET, (
            f"{language} {visits.name}: return visit {visits.again.received / KB:.1f} KB, budget "
            f"{RETURN_VISIT_BUDGET // KB} KB\n{visits.again.report()}\n{summary}"
        )
        # The counting itself: a first visit that received nothing measured nothing.
        html = [t for t in visits.first.transfers if t.resource_type == "document"]
        assert html and html[0].status == 200, f"{visits.name}: no page came over the network"
