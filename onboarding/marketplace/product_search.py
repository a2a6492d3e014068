"""The buyers' side of products: the marketplace's search, a product's page, a seller's list.

A product is public only while it is for sale and its seller is selling (:func:`public_products`).
The search goes through Wagtail search's index (:mod:`.product_matching`): PostgreSQL full text
under PostgreSQL, FTS5 or the database fallback under SQLite. Filters read the product's own
indexed columns (craft, chain, region, price), copied there when it is saved.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from lms.crafts.models import Chain, Craft

from .directory import region_choices
from .models import MarketplaceIndexPage, SellerProfilePage, selling
from .order_checkout import widget_max
from .prices import parse_price, price_decimal
from .product_matching import NEWEST, newest_matching
from .product_models import Product, ProductStatus

#: Products one page of the search lists: enough to scroll, light on slow data.
PRODUCTS_PER_PAGE = 12
#: The deepest page the search goes to: past it, a buyer narrows her search.
MAX_PAGES = 10
#: The longest search a buyer may type.
MAX_QUERY = 100
#: Where, and how long, the search keeps the list of chains and crafts.
TAXONOMY_KEY = "marketplace:search:taxonomy"
TAXONOMY_TTL = 60


def public_sellers() -> QuerySet[SellerProfilePage]:
    """The ids of the sellers whose products buyers may see: page live, case able to take
    payments. Unordered (pages come in tree order), so that PostgreSQL may hash them."""
    return SellerProfilePage.objects.live().filter(selling()).order_by().values("pk")


def public_products() -> QuerySet[Product]:
    """Products buyers may see: for sale, from a seller whose page is live and who is selling."""
    return Product.objects.filter(status=ProductStatus.LIVE, seller__in=public_sellers())


def seller_products(seller: SellerProfilePage, page_path: str) -> list[Product]:
    """What the seller's page (at ``page_path``) lists: her products for sale, newest first."""
    products = Product.objects.filter(seller=seller, status=ProductStatus.LIVE)
    items = list(products.prefetch_related("photos__image").order_by("-published_at", "-pk"))
    for item in items:
        item.first_image = next((p.image for p in item.photos.all() if p.image), None)
        item.local_url = f"{page_path}{item.public_id}/"
    return items


def _price_bound(text: str | None) -> int | None:
    try:
        return parse_price(text) if text else None
    except Exception:  # noqa: BLE001  a bound that is not a price is ignored, not an error
        return None


def search_for(index: MarketplaceIndexPage, query: Mapping[str, str]) -> dict[str, Any]:
    """The page of products matching ``query`` (GET: q, craft, chain, region, min, max, page).

    Codes and the region as stored make the filters, so an address reads the same in every
    language; a value that matches nothing is ignored.
    """
    words = str(query.get("q") or "").strip()[:MAX_QUERY]
    products = Product.objects.filter(status=ProductStatus.LIVE)
    chains, crafts = _taxonomy()
    chain = str(query.get("chain") or "")
    chain_obj = next((item for item in chains if item.code == chain), None)
    craft = str(query.get("craft") or "")
    craft_obj = next((item for item in crafts if item.code == craft), None)
    region = str(query.get("region") or "")
    low, high = _price_bound(query.get("min")), _price_bound(query.get("max"))
    if chain_obj is not None:
        products = products.filter(chain=chain_obj)
    if craft_obj is not None:
        products = products.filter(craft=craft_obj)
    if region:
        products = products.filter(region=region)
    if low is not None:
        products = products.filter(price__gte=low)
    if high is not None:
        products = products.filter(price__lte=high)
    # The ids of the products of every page shown, never more: they are the count, capped at
    # MAX_PAGES pages (no COUNT over every match), and the page is read from them.
    limit = MAX_PAGES * PRODUCTS_PER_PAGE
    if words:
        ids = newest_matching(products, public_sellers(), words, limit)
    else:
        public = products.filter(seller__in=public_sellers()).order_by(*NEWEST)
        ids = list(public.values_list("pk", flat=True)[:limit])
    page = Paginator(ids, PRODUCTS_PER_PAGE).get_page(_page_number(query.get("page")))
    items = _attach(list(page.object_list), index)
    filters = {
        "q": words,
        "chain": chain if chain_obj else "",
        "craft": craft if craft_obj else "",
        "region": region,
        "min": str(query.get("min") or "") if low is not None else "",
        "max": str(query.get("max") or "") if high is not None else "",
    }
    return {
        "products": page,
        "product_items": items,
        "filters": filters,
        "searched": any(filters.values()),
        "chains": sorted(chains, key=lambda item: item.name),
        "crafts": sorted(crafts, key=lambda item: item.name),
        # The directory's cached choices: no scan of every seller on each search.
        "regions": region_choices(index),
    }


def _taxonomy() -> tuple[list[Chain], list[Craft]]:
    """Every production chain and craft: the form's choices, and what the filters' codes are
    read against. Cached for ``TAXONOMY_TTL`` seconds: they change only when an editor changes
    the crafts, and two queries on every search cost more than that delay."""
    found: tuple[list[Chain], list[Craft]] | None = cache.get(TAXONOMY_KEY)
    if found is None:
        found = (list(Chain.objects.all()), list(Craft.objects.select_related("chain")))
        cache.set(TAXONOMY_KEY, found, TAXONOMY_TTL)
    return found


def _page_number(value: Any) -> int:
    try:
        return max(1, min(int(value), MAX_PAGES))
    except (TypeError, ValueError):
        return 1


def _attach(ids: list[int], index: MarketplaceIndexPage) -> list[Product]:
    """The products of ``ids``, in that order, with their seller, first photo and address under
    this marketplace, in few queries."""
    loaded = {
        product.pk: product
        for product in Product.objects.filter(pk__in=ids)
        .select_related("seller", "craft")
        .prefetch_related("photos__image")
    }
    items = [loaded[pk] for pk in ids if pk in loaded]
    for item in items:
        item.seller_name = item.seller.title
        item.first_image = next((p.image for p in item.photos.all() if p.image), None)
        item.local_url = f"{index.url}{item.seller.slug}/{item.public_id}/"
    return items


def product_page_context(
    seller: SellerProfilePage, request: HttpRequest, public_id: str
) -> dict[str, Any]:
    product = (
        Product.objects.filter(seller=seller, status=ProductStatus.LIVE, public_id=public_id)
        .select_related("craft__chain")
        .first()
    )
    if product is None:
        raise Http404
    photos = [photo for photo in product.photos.select_related("image") if photo.image]
    url = request.build_absolute_uri(request.path)
    return {
        "product": product,
        "product_photos": photos,
        "structured_data": structured_data(product, seller, url, photos, request),
        "seller_url": request.path.rstrip("/").rsplit("/", 1)[0] + "/",
        "basket_max": widget_max(product),
    }


AVAILABILITY = {
    "in_stock": "https://schema.org/InStock",
    "made_to_order": "https://schema.org/MadeToOrder",
}


def structured_data(
    product: Product, seller: SellerProfilePage, url: str, photos: list[Any], request: HttpRequest
) -> str:
    """The product as schema.org ``Product`` with an ``Offer``, as JSON-LD for a ``<script>``."""
    availability = AVAILABILITY[product.availability]
    if product.in_stock and product.quantity == 0:
        availability = "https://schema.org/OutOfStock"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "url": url,
        "productID": product.public_id,
        "offers": {
            "@type": "Offer",
            "price": price_decimal(product.price or 0),
            "priceCurrency": "MAD",
            "availability": availability,
            "url": url,
            "seller": {"@type": "Organization", "name": seller.title},
        },
    }
    if product.description:
        data["description"] = product.description
    if product.craft is not None:
        data["category"] = product.craft.name
    if photos:
        data["image"] = [
            request.build_absolute_uri(photo.image.get_rendition("max-800x800").url)
            for photo in photos
        ]
    # Inside <script>, "</" would end it early: escape what HTML could read as markup.
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
