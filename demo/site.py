"""The demo site's frame: its languages, the home page in each, and the course catalogues.

French is written first and the other languages are Wagtail translations of it
(``copy_for_translation``); a page already made by an earlier run is found, not made again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale, Page, Site

from demo.models import HomePage
from demo.narration import Voices
from lms.courses.models import CourseIndexPage, CoursePage, LearningPath
from maalem.core.pages import publish

SOURCE_LANGUAGE = "fr"
TRANSLATED_LANGUAGES = ("ar", "en")

Text = dict[str, str]

HOME_TITLE: Text = {"fr": "Maalem", "ar": "مْعلّم", "en": "Maalem"}
CATALOGUE_SLUG = "courses"
CATALOGUE_TITLE: Text = {"fr": "Formations", "ar": "الدورات", "en": "Courses"}
CATALOGUE_INTRO: Text = {
    "fr": "<p>Des cours courts, faits pour le téléphone, pour vendre votre artisanat en ligne.</p>",
    "ar": "<p>دورات قصيرة، مصمَّمة للهاتف، لتبيع منتجاتك الحرفية عبر الإنترنت.</p>",
    "en": "<p>Short courses, made for your phone, to sell your craft online.</p>",
}


@dataclass
class DemoSite:
    """What the build made or found: pages by language, so later steps can link them."""

    locales: dict[str, Locale] = field(default_factory=dict)
    homes: dict[str, Page] = field(default_factory=dict)
    catalogues: dict[str, CourseIndexPage] = field(default_factory=dict)
    # language -> course slug -> page, in prerequisite order.
    courses: dict[str, dict[str, CoursePage]] = field(default_factory=dict)
    paths: dict[str, LearningPath] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    voices: Voices | None = None


def languages() -> tuple[str, ...]:
    return (SOURCE_LANGUAGE, *TRANSLATED_LANGUAGES)


def ensure_locales() -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in languages()}


def translate_page(page: Page, locale: Locale, fill: Callable[[Any], None]) -> Page:
    """The translation of ``page`` into ``locale``: found, or copied, filled in and published.

    Parents are translated first, so a missing parent translation is a bug to surface rather
    than something to paper over with copy_parents.
    """
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translation = page.copy_for_translation(locale, copy_parents=False).specific
    fill(translation)
    publish(translation)
    return translation.specific_class.objects.get(pk=translation.pk)


def as_home_page(page: Page) -> HomePage:
    """``page`` made a :class:`HomePage` in place, if it is not one yet.

    Wagtail's default root page is a plain Page, and so are the homes of a site loaded before
    the home page had a type of its own. Giving the same row the home's type keeps its id, its
    children and its translations, which a new page would have to take over one by one.
    """
    page = page.specific
    if isinstance(page, HomePage):
        return page
    home = HomePage(page_ptr_id=page.pk)
    for page_field in Page._meta.concrete_fields:
        setattr(home, page_field.attname, getattr(page, page_field.attname))
    home.content_type = ContentType.objects.get_for_model(HomePage)
    # raw: only the home's own table gets a row; the page row is there already.
    home.save_base(raw=True)
    Page.objects.filter(pk=page.pk).update(content_type=home.content_type)
    home = HomePage.objects.get(pk=page.pk)
    if home.alias_of_id is None:  # an alias has no revisions: it follows its source
        publish(home)  # the latest revision must be of a home page too, for the editor
        home = HomePage.objects.get(pk=page.pk)
    return home


def ensure_homes(locales: dict[str, Locale]) -> dict[str, Page]:
    """Wagtail's default root page becomes the French home; Arabic and English copy it."""
    home = as_home_page(Site.objects.get(is_default_site=True).root_page)
    if home.title != HOME_TITLE[SOURCE_LANGUAGE]:
        home.title = home.draft_title = HOME_TITLE[SOURCE_LANGUAGE]
        publish(home)
    homes: dict[str, Page] = {SOURCE_LANGUAGE: home}
    for language in TRANSLATED_LANGUAGES:

        def fill(page: Page, language: str = language) -> None:
            page.title = HOME_TITLE[language]

        homes[language] = as_home_page(translate_page(home, locales[language], fill))
    return homes


def ensure_catalogues(
    homes: dict[str, Page], locales: dict[str, Locale]
) -> dict[str, CourseIndexPage]:
    home = homes[SOURCE_LANGUAGE]
    # A home holds one catalogue at most, whatever its slug.
    catalogue = CourseIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = CourseIndexPage(
            title=CATALOGUE_TITLE[SOURCE_LANGUAGE],
            slug=CATALOGUE_SLUG,
            intro=CATALOGUE_INTRO[SOURCE_LANGUAGE],
            locale=locales[SOURCE_LANGUAGE],
        )
        home.add_child(instance=catalogue)
        publish(catalogue)
    catalogues = {SOURCE_LANGUAGE: catalogue}
    for language in TRANSLATED_LANGUAGES:

        def fill(page: CourseIndexPage, language: str = language) -> None:
            page.title = CATALOGUE_TITLE[language]
            page.intro = CATALOGUE_INTRO[language]

        catalogues[language] = translate_page(catalogue, locales[language], fill)
    return catalogues
