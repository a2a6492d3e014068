"""The read side of the marketplace directory: which live sellers to list, and the filters.

At national size (20,000 live sellers) both parts must cost the same whatever the number of
sellers. The list is in the page tree's order, newest seller first, which PostgreSQL reads from
the tree's path index a page at a time instead of sorting every seller. The filters' choices
(the chains, crafts and regions that have a live seller) change only when a seller goes online
or offline, so they are kept in the cache under a version that every publish, unpublish and
deletion of a seller page moves on (see ``receivers``), for a minute at most.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext

from lms.crafts.models import Craft

from .models import MarketplaceIndexPage, SellerProfilePage, selling


def live_sellers(index: MarketplaceIndexPage) -> QuerySet[SellerProfilePage]:
    return (
        SellerProfilePage.objects.child_of(index.seller_tree())
        .live()
        .public()
        .filter(selling())
        .select_related("craft__chain", "photo")
        # Newest first: the tree's path grows with each new seller, and it is indexed.
        .order_by("-path")
    )


VERSION_KEY = "marketplace:directory:version"
# With a cache that each process keeps to itself (the embedded default's local memory), a seller
# put online by the worker reaches a web process's filters within this time; a shared cache
# (Redis, CACHE_URL) sees the new version at once. A stale choice only lists no seller.
CHOICES_TTL = 60


def sellers_changed() -> None:
    """Forget every directory's filter choices: a seller went online or offline."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet
        cache.set(VERSION_KEY, 1, None)


def _choices(index: MarketplaceIndexPage, sellers: QuerySet[SellerProfilePage]) -> dict[str, Any]:
    """The chain ids, craft ids and regions that have a live seller under ``index``, cached."""
    version = cache.get_or_set(VERSION_KEY, 1, None)
    key = f"marketplace:directory:{index.pk}:{version}"
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        selling_sellers = sellers.order_by()
        crafts = sorted(set(selling_sellers.exclude(craft=None).values_list("craft", flat=True)))
        found = {
            "crafts": crafts,
            "regions": sorted(
                set(selling_sellers.exclude(region="").values_list("region", flat=True))
            ),
        }
        cache.set(key, found, CHOICES_TTL)
    return found


def region_choices(index: MarketplaceIndexPage) -> list[tuple[str, str]]:
    """The regions that have a live seller under ``index``, as (stored, shown) pairs, cached."""
    stored = _choices(index, live_sellers(index))["regions"]
    return sorted(((name, gettext(name)) for name in stored), key=lambda r: r[1])


def directory_for(index: MarketplaceIndexPage, query: Mapping[str, str]) -> dict[str, Any]:
    """The page of sellers matching ``query`` (GET parameters) and the choices of each filter.

    Filters take codes (chain, craft) and the region as written, so a filtered address reads
    the same in every language. A value that matches no choice is ignored, not an error.
    """
    sellers = live_sellers(index)
    choices = _choices(index, sellers)
    all_crafts = list(Craft.objects.filter(pk__in=choices["crafts"]).select_related("chain"))
    chains = {craft.chain.pk: craft.chain for craft in all_crafts}.values()
    chain = str(query.get("chain") or "")
    if chain not in {item.code for item in chains}:
        chain = ""
    crafts = [item for item in all_crafts if not chain or item.chain.code == chain]
    craft = str(query.get("craft") or "")
    if craft not in {item.code for item in crafts}:
        craft = ""
    stored_regions = set(choices["regions"])
    regions = region_choices(index)
    region = str(query.get("region") or "")
    if region not in stored_regions:
        region = ""

    if chain:
        sellers = sellers.filter(craft__chain__code=chain)
    if craft:
        sellers = sellers.filter(craft__code=craft)
    if region:
        sellers = sellers.filter(region=region)
    page = Paginator(sellers, index.sellers_per_page).get_page(query.get("page"))
    for seller in page.object_list:
        # Under this marketplace's address, so that a seller opens in the reader's language.
        seller.local_url = f"{index.url}{seller.slug}/"
    return {
        "sellers": page,
        "filters": {"chain": chain, "craft": craft, "region": region},
        "filtered": bool(chain or craft or region),
        "chains": sorted(chains, key=lambda item: item.name),
        "crafts": sorted(crafts, key=lambda item: item.name),
        "regions": regions,
    }
