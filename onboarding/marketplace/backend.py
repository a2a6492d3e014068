"""The local marketplace backend: a case's seller profile as a page of this Wagtail site.

:func:`publish_seller` does the work; :class:`LocalMarketplaceBackend` is the thin provider the
seller profile step calls (``ONBOARDING_PROVIDERS["marketplace"]``). Another marketplace plugs
in by implementing :class:`onboarding.providers.base.MarketplaceBackend` instead.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page, Site

from maalem.core.pages import publish, with_current_tree
from maalem.core.text import without_bidi_controls

from ..providers.base import AccountStatus, MarketplaceBackend, ProviderRejected
from .models import SEARCH_SLUG, MarketplaceIndexPage, SellerProfilePage
from .shop_photos import shop_photo

logger = logging.getLogger(__name__)

# The directory's title when this backend has to create it, in the default locale's language.
INDEX_TITLES = {"ar": "السوق", "fr": "Marché", "en": "Marketplace"}
INDEX_SLUG = "marketplace"


class LocalMarketplaceBackend(MarketplaceBackend):
    """Seller profiles as :class:`SellerProfilePage` under the site's marketplace.

    OPTIONS: ``payment_provider``, the name buyers read in "pay through …" (default: none, the
    page says "our payment partner").
    """

    def create_or_update_seller(self, case: Any) -> str:
        page = publish_seller(case, payment_provider=str(self.options.get("payment_provider", "")))
        return str(page.pk)

    def seller_url(self, case: Any, language: str) -> str | None:
        """The seller's live page, under the marketplace in ``language`` if there is one."""
        page = SellerProfilePage.objects.live().filter(case=case).first()
        if page is None:
            return None
        index = page.get_parent().specific
        locale = Locale.objects.filter(language_code=language).first()
        localized = index.get_translation_or_none(locale) if locale is not None else None
        if localized is not None and localized.live:
            return f"{localized.url}{page.slug}/"
        return page.url


def publish_seller(case: Any, *, payment_provider: str = "") -> SellerProfilePage:
    """Create or update the case's seller profile; publish it only if the account is active.

    Idempotent: a second call updates the same page. The profile is a draft until the case's
    payment account is active, and is taken offline again if the account no longer is.

    A new page is first added as a draft, in a transaction of its own: adding a child
    locks the marketplace page, which every seller shares, so it is held only for that insert,
    never while the photo is copied and the page revised and published. A run that fails in
    between leaves a draft nobody sees, which its retry fills in.
    """
    try:
        with transaction.atomic():
            _create_draft(case)
    except IntegrityError:
        # The race: two runs of the step for one case (a redelivered message, the sweeper's
        # copy) both found no page and both created one. The unique link to the case let only
        # one commit; this run updates that page.
        pass
    with transaction.atomic():
        return _update(case, payment_provider)


def _create_draft(case: Any) -> None:
    from ..models import ApplicantProfile

    if SellerProfilePage.objects.filter(case=case).exists():
        return
    applicant = ApplicantProfile.objects.filter(case=case).select_related("craft").first()
    page = SellerProfilePage(case_id=case.pk, live=False)
    _fill(page, applicant, "", case)  # the photo is copied before the marketplace is locked
    index = _locked(marketplace_index())
    page.title = _shop_name(applicant, index.locale)
    slug = slugify(page.title, allow_unicode=True) or "seller"
    if slug == SEARCH_SLUG:
        slug = f"{slug}-shop"  # the products' search has that address
    page.slug = find_available_slug(index, slug)
    index.add_child(instance=page)
    logger.info("case %s: seller profile page %s created as a draft", case.pk, page.pk)


def _update(case: Any, payment_provider: str) -> SellerProfilePage:
    from ..models import ApplicantProfile, OnboardingCase

    # Locking the case serialises the runs for one case where the database can (PostgreSQL).
    case = OnboardingCase.objects.select_for_update().get(pk=case.pk)
    applicant = ApplicantProfile.objects.filter(case=case).select_related("craft").first()
    # The latest revision, so that an editor's unpublished work (a story) is kept.
    page = SellerProfilePage.objects.get(case=case).get_latest_revision_as_object()
    _fill(page, applicant, payment_provider, case)
    page.title = _shop_name(applicant, page.locale) if applicant else page.title
    # Not validated again: the page was when it was added, and what changes here comes from the
    # application, validated when it was sent. Validating again would cost a dozen queries.
    revision = with_current_tree(page).save_revision(log_action=True, clean=False)
    if case.payment_account_status == AccountStatus.ACTIVE:
        revision.publish(log_action=True)
        logger.info("case %s: seller profile page %s published", case.pk, page.pk)
    page = SellerProfilePage.objects.get(pk=page.pk)
    if page.live and case.payment_account_status != AccountStatus.ACTIVE:
        # No "pay by card" on a page whose account cannot take payments any more.
        page.unpublish()
        logger.info("case %s: seller profile page %s taken offline", case.pk, page.pk)
    return page


def _fill(page: SellerProfilePage, applicant: Any, payment_provider: str, case: Any) -> None:
    """Copy what the application says onto the page; the stories are the editors'. The photo
    is a copy made for publication, never the applicant's private original."""
    if applicant is not None:
        page.craft = applicant.craft
        page.region = applicant.region
        page.photo = shop_photo(case, applicant, page.photo_id)
    if payment_provider:
        page.payment_provider = payment_provider


def _shop_name(applicant: Any, locale: Locale) -> str:
    # The shop's name is the only name a profile shows: never the learner's own.
    # Direction controls are removed when the name is typed; a name stored before that is
    # cleaned here, so that no page title can reorder what is around it.
    name = without_bidi_controls(applicant.shop_name).strip() if applicant is not None else ""
    if name:
        return name
    with translation.override(locale.language_code):
        return gettext("Artisan's shop")


def marketplace_index() -> MarketplaceIndexPage:
    """The first marketplace of the default locale, created under the site's home if none."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    site = site or Site.objects.select_related("root_page").first()
    if site is None:
        raise ProviderRejected("there is no Wagtail site to put the marketplace in")
    try:
        locale = Locale.get_default()
    except Locale.DoesNotExist:
        locale = site.root_page.locale
    existing = MarketplaceIndexPage.objects.filter(locale=locale).order_by("path").first()
    if existing is not None:
        translate_index(existing)  # a language added since the marketplace was made
        return existing
    home = site.root_page.get_translation_or_none(locale) or site.root_page
    # The race: two first sellers at once would each create a marketplace. Locking the home
    # page makes the second wait, then find the first one's.
    home = _locked(home)
    existing = MarketplaceIndexPage.objects.filter(locale=locale).order_by("path").first()
    if existing is not None:
        return existing
    index = MarketplaceIndexPage(
        title=INDEX_TITLES.get(locale.language_code, INDEX_TITLES["en"]),
        slug=find_available_slug(home, INDEX_SLUG),
        locale=locale,
    )
    home.add_child(instance=index)
    publish(index)
    logger.info("marketplace page %s created under page %s", index.pk, home.pk)
    translate_index(index)
    return MarketplaceIndexPage.objects.get(pk=index.pk)


def translate_index(index: MarketplaceIndexPage) -> list[MarketplaceIndexPage]:
    """Give the marketplace a live copy in every language whose home page exists.

    Wagtail serves ``/ar/…`` from the Arabic home: without an Arabic marketplace there, an
    Arabic reader would find none. Copies list the sellers of ``index`` (see ``seller_tree``).
    """
    made = []
    home = index.get_parent()
    for locale in Locale.objects.exclude(pk=index.locale_id):
        if index.has_translation(locale) or not home.has_translation(locale):
            continue
        copy = index.copy_for_translation(locale).specific
        copy.title = INDEX_TITLES.get(locale.language_code, index.title)
        publish(copy)
        logger.info("marketplace page %s translated into %s", index.pk, locale.language_code)
        made.append(copy)
    return made


def _locked(page: Page) -> Any:
    """``page`` re-read under a row lock, ready to take a child.

    Wagtail gives a new child the path after its last sibling's; two children added under one
    parent at once would get the same path. The lock makes the second wait for the first.
    """
    return type(page).objects.select_for_update().get(pk=page.pk)
