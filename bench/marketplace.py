"""The marketplace's product search over 200,000 products, and the weight of a product page.

Run it from the repository root against a PostgreSQL database of its own (it writes to it):

    DATABASE_URL=postgres://…/maalem_products_bench .venv/bin/python bench/marketplace.py
        [--products 200000] [--sellers 400] [--rounds 30]

The first run migrates, loads the crafts, and makes ``--sellers`` live seller pages and
``--products`` products (90 % for sale) with Arabic and French names, written with COPY, then
indexes them with Wagtail search's own PostgreSQL indexer; a database already loaded at that
size is reused. It then times the marketplace's search (``search_for``, what the page runs:
search, filters, one page of results with their sellers and photos) for Arabic and French words,
with and without filters, ``--rounds`` times each, and prints the median and the 95th percentile
against the target (p95 ≤ 100 ms). Last, it prints the bytes of a product page (HTML, raw and
gzipped, plus the stylesheet and script a first visit fetches) against the learner pages' budget.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MAALEM_VAR_DIR", tempfile.mkdtemp(prefix="maalem-bench-market-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "true"
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from wagtail.models import Locale, Page, Site  # noqa: E402
from wagtail.search.backends import get_search_backend  # noqa: E402

from demo.scale.copying import copy_rows, next_id, reset_sequences  # noqa: E402
from lms.crafts.models import Craft  # noqa: E402
from onboarding.marketplace.backend import marketplace_index  # noqa: E402
from onboarding.marketplace.models import (  # noqa: E402
    MarketplaceIndexPage,
    Product,
    SellerProfilePage,
)
from onboarding.marketplace.product_search import search_for  # noqa: E402
from onboarding.models import OnboardingCase  # noqa: E402

TARGET_MS = 100.0
FIRST_VISIT_BUDGET = 50 * 1024
PREFIX = "bench-seller-"
REGIONS = ["Fès-Meknès", "Marrakech-Safi", "Souss-Massa", "Casablanca-Settat", "Oriental"]
WORDS_AR = ["طبق", "زربية", "صينية", "مزهرية", "علبة", "مرآة", "سلة", "وسادة", "فانوس", "إبريق"]
QUALITIES_AR = ["زليج", "نحاس", "خشب", "فضة", "جلد", "صوف", "فخار", "أزرق", "أحمر", "مطرز"]
WORDS_FR = ["plat", "tapis", "plateau", "vase", "boîte", "miroir", "panier", "coussin", "lanterne"]
QUALITIES_FR = ["zellige", "cuivre", "thuya", "argent", "cuir", "laine", "terre", "bleu", "brodé"]


@transaction.atomic
def ensure_sellers(count: int) -> list[SellerProfilePage]:
    existing = list(SellerProfilePage.objects.filter(title__startswith=PREFIX))
    if len(existing) >= count:
        return existing[:count]
    index = marketplace_index()
    crafts = list(Craft.objects.all())
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{PREFIX}{n}") for n in range(len(existing), count)
    )
    cases = OnboardingCase.objects.bulk_create(
        OnboardingCase(learner=user, state="active", payment_account_status="active")
        for user in users
    )
    for n, case in enumerate(cases, start=len(existing)):
        page = SellerProfilePage(
            title=f"{PREFIX}{n}",
            slug=f"{PREFIX}{n}",
            case=case,
            craft=crafts[n % len(crafts)],
            region=REGIONS[n % len(REGIONS)],
        )
        index = MarketplaceIndexPage.objects.get(pk=index.pk)
        index.add_child(instance=page)
    return list(SellerProfilePage.objects.filter(title__startswith=PREFIX))


def make_products(sellers: list[SellerProfilePage], total: int) -> None:
    have = Product.objects.filter(seller__in=sellers).count()
    if have >= total:
        print(f"Reusing the {have:,} products already loaded.")
        return
    rng = random.Random(42)
    crafts = list(Craft.objects.select_related("chain"))
    first = next_id(Product)
    now = timezone.now()
    started = time.perf_counter()
    batch: list[Product] = []
    for n in range(total - have):
        seller = sellers[n % len(sellers)]
        craft = seller.craft if rng.random() < 0.8 else rng.choice(crafts)
        product = Product(
            pk=first + n,
            seller=seller,
            status="live" if rng.random() < 0.9 else rng.choice(["draft", "hidden"]),
            title_ar=f"{rng.choice(WORDS_AR)} {rng.choice(QUALITIES_AR)}",
            title_fr=f"{rng.choice(WORDS_FR)} en {rng.choice(QUALITIES_FR)}",
            description_ar=" ".join(rng.choices(QUALITIES_AR, k=6)),
            description_fr=" ".join(rng.choices(QUALITIES_FR, k=6)),
            price=rng.randrange(20, 5000) * 100,
            availability=rng.choice(["made_to_order", "in_stock"]),
            quantity=rng.randrange(0, 10),
            craft=craft,
            chain_id=craft.chain_id,
            region=seller.region,
            created_at=now,
            updated_at=now,
            published_at=now,
        )
        batch.append(product)
        if len(batch) == 10_000:
            copy_rows(Product, batch)
            batch = []
    copy_rows(Product, batch)
    reset_sequences([Product])
    print(f"Wrote {total - have:,} products with COPY in {time.perf_counter() - started:.0f} s.")
    started = time.perf_counter()
    backend = get_search_backend()
    index = backend.get_index_for_model(Product)
    queryset = Product.objects.filter(pk__gte=first).order_by("pk")
    for start in range(first, first + total - have, 2_000):
        index.add_items(Product, list(queryset.filter(pk__gte=start, pk__lt=start + 2_000)))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Indexed them with Wagtail search in {time.perf_counter() - started:.0f} s.")


QUERIES = [
    ("Arabic word", {"q": "زربية"}),
    ("Arabic words", {"q": "طبق نحاس"}),
    ("French word", {"q": "tapis"}),
    ("French words", {"q": "plateau cuivre"}),
    ("Arabic word + chain", {"q": "زليج", "chain": "__chain__"}),
    ("French word + region + price", {"q": "laine", "region": "Souss-Massa", "max": "1000"}),
    ("no words, craft filter", {"craft": "__craft__"}),
    ("no words, region + price range", {"region": "Oriental", "min": "100", "max": "900"}),
    ("no words, last page (10)", {"page": "10"}),
]


def time_searches(index: MarketplaceIndexPage, rounds: int) -> list[tuple[str, float, float]]:
    craft = Craft.objects.select_related("chain").first()
    assert craft is not None
    rows = []
    for label, raw in QUERIES:
        query = {
            key: value.replace("__chain__", craft.chain.code).replace("__craft__", craft.code)
            for key, value in raw.items()
        }
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            with translation.override("fr"):
                context = search_for(index, query)
            times.append((time.perf_counter() - started) * 1000)
        found = context["products"].paginator.count
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        rows.append((f"{label} ({found:,} found)", statistics.median(times), p95))
    return rows


def product_page_bytes() -> tuple[str, int, int, int]:
    product = Product.objects.filter(status="live", seller__title__startswith=PREFIX).first()
    assert product is not None
    arabic = Locale.objects.filter(language_code="ar").first()
    index = marketplace_index()
    url = f"{index.url}{product.seller.slug}/{product.public_id}/"
    if arabic is not None and index.get_translation_or_none(arabic) is not None:
        url = url.replace(f"/{index.locale.language_code}/", "/ar/", 1)
    response = Client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content
    assets = sum(
        len(gzip.compress(Path(str(finders.find(name))).read_bytes()))
        for name in ("lms/lms.css", "lms/offline.js")
    )
    return url, len(html), len(gzip.compress(html)), assets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=200_000)
    parser.add_argument("--sellers", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/marketplace.py needs DATABASE_URL set to a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    if not Craft.objects.exists():
        call_command("load_crafts", verbosity=0)
    if not Site.objects.exists():
        raise SystemExit("No Wagtail site: run manage.py migrate on an empty database first.")
    if not Page.objects.filter(depth=2).exists():
        raise SystemExit("No home page under the root.")
    sellers = ensure_sellers(args.sellers)
    make_products(sellers, args.products)
    index = marketplace_index()
    print(
        f"\nSearch over {Product.objects.count():,} products (PostgreSQL full text), "
        f"{args.rounds} rounds each; target p95 ≤ {TARGET_MS:.0f} ms"
    )
    print(f"{'query':<58} {'median':>9} {'p95':>9}")
    for label, median, p95 in time_searches(index, args.rounds):
        verdict = "PASS" if p95 <= TARGET_MS else "OVER"
        print(f"{label:<58} {median:7.1f}ms {p95:7.1f}ms  {verdict}")
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        url, raw, zipped, assets = product_page_bytes()
    total = zipped + assets
    print(f"\nProduct page {url}")
    print(f"  HTML {raw:,} B raw, {zipped:,} B gzipped; stylesheet and script {assets:,} B gzipped")
    print(
        f"  first visit without media: {total:,} B of the {FIRST_VISIT_BUDGET:,} B budget "
        f"({'PASS' if total <= FIRST_VISIT_BUDGET else 'OVER'})"
    )


if __name__ == "__main__":
    main()
