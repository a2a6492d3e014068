"""The marketplace's place in the learner navigation (``lms_navigation_links``)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language, gettext
from wagtail.models import Locale

from lms.courses import local_cache
from lms.courses.navigation import NavigationLink
from lms.courses.signal_handlers import page_urls_generation

from .models import MarketplaceIndexPage

# As long as the catalogue link's: the page-URL generation drops both when a page changes.
URL_CACHE_SECONDS = 300


def marketplace_url(request: HttpRequest) -> str:
    """The live marketplace in the active language (in any language if untranslated), or ""."""
    key = f"marketplace:url:{page_urls_generation(request)}:{request.get_host()}:{get_language()}"
    url = local_cache.get(key)
    if url is None:
        marketplaces = MarketplaceIndexPage.objects.live().order_by("path")
        try:
            marketplace = marketplaces.filter(locale=Locale.get_active()).first()
        except Locale.DoesNotExist:  # a site with no content language set up yet
            marketplace = None
        marketplace = marketplace or marketplaces.first()
        url = (marketplace.get_url(request) or "") if marketplace else ""
        local_cache.set(key, url, URL_CACHE_SECONDS)
    return str(url)


def marketplace_link(request: HttpRequest) -> NavigationLink | None:
    url = marketplace_url(request)
    if not url:
        return None
    return NavigationLink(
        gettext("Marketplace"),
        url,
        "shop",
        description=gettext("The shops of the artisans who finished their training."),
    )


# How long the navigation remembers whether a learner sells (a shop taken down loses its link
# within this time; the pages behind it check for themselves).
SELLER_CACHE_SECONDS = 60


def my_products_link(request: HttpRequest) -> NavigationLink | None:
    """ "My products", for a learner whose shop is live."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    from .products import seller_page_of

    key = f"marketplace:sells:{user.pk}"
    sells = cache.get(key)
    if sells is None:
        sells = seller_page_of(user) is not None
        cache.set(key, sells, SELLER_CACHE_SECONDS)
    if not sells:
        return None
    return NavigationLink(
        gettext("My products"),
        reverse("marketplace_seller:dashboard"),
        "shop",
        description=gettext("Add and change the products of your shop."),
    )
