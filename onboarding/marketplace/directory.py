"""The read side of the marketplace directory: which live sellers to list, and the filters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext

from lms.crafts.models import Chain, Craft

from .models import MarketplaceIndexPage, SellerProfilePage, selling


def live_sellers(index: MarketplaceIndexPage) -> QuerySet[SellerProfilePage]:
    return (
        SellerProfilePage.objects.child_of(index.seller_tree())
        .live()
        .public()
        .filter(selling())
        .select_related("craft__chain", "photo")
        .order_by("title", "pk")
    )


def directory_for(index: MarketplaceIndexPage, query: Mapping[str, str]) -> dict[str, Any]:
    """The page of sellers matching ``query`` (GET parameters) and the choices of each filter.

    Filters take codes (chain, craft) and the region as written, so a filtered address reads
    the same in every language. A value that matches no choice is ignored, not an error.
    """
    sellers = live_sellers(index)
    chains = Chain.objects.filter(crafts__in=sellers.values("craft")).distinct()
    chain = str(query.get("chain") or "")
    if chain and not chains.filter(code=chain).exists():
        chain = ""
    crafts = Craft.objects.filter(pk__in=sellers.values("craft")).select_related("chain")
    if chain:
        crafts = crafts.filter(chain__code=chain)
    craft = str(query.get("craft") or "")
    if craft and not crafts.filter(code=craft).exists():
        craft = ""
    stored_regions = set(
        sellers.exclude(region="").order_by().values_list("region", flat=True).distinct()
    )
    regions = sorted(((name, gettext(name)) for name in stored_regions), key=lambda r: r[1])
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
