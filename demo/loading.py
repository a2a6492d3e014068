"""Build the demo site: the "Sell online" courses in French, Arabic and English, and learners.

Everything finds what an earlier run made before it makes anything, so running it again changes
nothing. :func:`build_demo_site` calls the loaders in order: the site's frame (:mod:`demo.site`),
the courses and learning path (:mod:`demo.courses`), the crafts (:mod:`demo.crafts`), the people
(:mod:`demo.people`), the sellers' onboarding cases (:mod:`demo.onboarding`), their
products (:mod:`demo.products`) and their buyers' orders (:mod:`demo.orders`); then it writes the
live sellers' accounts into the payments sandbox's state file (:mod:`demo.sandbox_accounts`).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from wagtail.models import Page

from demo.narration import Voices, can_speak
from lms.courses.models import CoursePage, LessonPage

from . import onboarding, orders, products
from .courses import ensure_courses, ensure_learning_paths
from .crafts import link_crafts, load_crafts
from .people import ADMIN, DEMO_PASSWORD, LEARNERS, TRAINER, DemoUser, ensure_learners, ensure_staff
from .sandbox_accounts import seed_payments_sandbox
from .site import DemoSite, ensure_catalogues, ensure_homes, ensure_locales, languages

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "sell_online.json"


@dataclass(frozen=True)
class Summary:
    pages_per_language: dict[str, int]
    courses_per_language: dict[str, int]
    lessons_per_language: dict[str, int]
    learners: list[DemoUser]
    sign_in_names: list[str]
    password: str
    notes: list[str]


def load_content(path: Path = CONTENT_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as file:
        return json.load(file)


def narrated_openings(content: dict[str, Any]) -> list[tuple[str, str]]:
    """``(language, html)`` of each reading lesson's opening text: the words read aloud."""
    return [
        (language, lesson["body"][0]["value"][language])
        for course in content["courses"]
        for lesson in course["lessons"]
        if lesson["body"] and lesson["body"][0]["type"] == "text"
        for language in languages()
    ]


def build_demo_site(content: dict[str, Any]) -> DemoSite:
    # Speaking takes seconds: done before the transaction, which would hold the database's lock.
    site = _build_demo_site(content, Voices.prepare(narrated_openings(content)))
    # Once the sellers are committed: the sandbox of `make run` must know the live ones' accounts.
    seed_payments_sandbox()
    return site


@transaction.atomic
def _build_demo_site(content: dict[str, Any], voices: Voices) -> DemoSite:
    content = copy.deepcopy(content)
    site = DemoSite(voices=voices)
    if not can_speak():
        site.notes.append(
            "Narration: espeak-ng and opusenc are not installed; lessons have no Listen button."
        )
    site.locales = ensure_locales()
    site.homes = ensure_homes(site.locales)
    site.catalogues = ensure_catalogues(site.homes, site.locales)
    site.courses = ensure_courses(content, site)
    site.paths = ensure_learning_paths(content, site)
    load_crafts(site)
    link_crafts(site)
    ensure_staff(site)
    ensure_learners(content, site)
    onboarding.ensure_sellers(site)
    products.ensure_products()
    orders.ensure_orders()
    return site


def summarise(site: DemoSite) -> Summary:
    locales = site.locales.items()
    return Summary(
        # depth 1 is Wagtail's invisible tree root, in no real language.
        pages_per_language={
            code: Page.objects.filter(depth__gt=1, locale=locale).count()
            for code, locale in locales
        },
        courses_per_language={
            code: CoursePage.objects.live().filter(locale=locale).count()
            for code, locale in locales
        },
        lessons_per_language={
            code: LessonPage.objects.live().filter(locale=locale).count()
            for code, locale in locales
        },
        learners=list(LEARNERS),
        sign_in_names=[person.username for person in (ADMIN, TRAINER, *LEARNERS)],
        password=DEMO_PASSWORD,
        notes=list(site.notes),
    )
