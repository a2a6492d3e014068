"""Which products match a buyer's words: the ids of the newest ones, at most a few pages of them.

The words go through Wagtail search's index in their compared spelling (:mod:`.search_words`).
Under SQLite (or any database but PostgreSQL) Wagtail's backend searches as it is. Under
PostgreSQL, Wagtail's own ranked query ranks every match with ``title || body``, which no index
serves (seconds over 200,000 products), so the marketplace lists the newest matches instead, in
up to three steps, each bounded whatever the number of products:

1. **The newest products first.** The ``window`` newest products for sale (with the buyer's
   filters, read from the product's own indexed columns) are walked newest first, and each one's
   index entry is checked (one probe of its unique ``(content_type, object_id)`` index) until
   ``limit`` match. A common word (any word in more than about one product in 25) stops here
   after a few thousand probes.
2. **The GIN index.** Fewer matches than ``limit`` in the window: the words are rarer, so the
   entries that have them are read through the GIN index on their ``body`` vector, up to
   ``gin_cap`` of them, and their products are sorted newest first.
3. **Every product, newest first.** More than ``gin_cap`` entries match but few of the newest
   products do (the word went out of fashion): the newest-first walk goes on to the end. This is
   the only step that is not bounded; it needs a word common in old products and rare in new ones.

Steps 2 and 3 run without parallel workers: PostgreSQL starts them for a query that may read the
whole table, and on a small server, under load, starting them costs more (tens of milliseconds)
than the few thousand rows the ``LIMIT`` reads. Step 1 reads a bounded window, which PostgreSQL
plans without them, so it saves the three round trips the setting takes (a transaction).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet, TextField
from django.db.models.functions import Cast
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from .product_models import Product
from .search_words import search_words

#: Newest first; the order of the marketplace's lists.
NEWEST = ("-published_at", "-pk")
#: Products walked newest first before the GIN index is asked (step 1).
WINDOW = 4_000
#: Index entries read through the GIN index before falling back to the full walk (step 2).
GIN_CAP = 5_000


def newest_matching(
    products: QuerySet[Product],
    sellers: QuerySet[Any],
    words: str,
    limit: int,
    *,
    window: int = WINDOW,
    gin_cap: int = GIN_CAP,
) -> list[int]:
    """The ids of the first ``limit`` of ``products`` (for sale, filtered on the product's own
    columns) whose seller is among ``sellers`` (a queryset of their ids) and that have every word
    of ``words``: newest first under PostgreSQL, by relevance elsewhere."""
    words = search_words(words)
    backend = get_search_backend()
    public = products.filter(seller__in=sellers)
    if connection.vendor != "postgresql" or not hasattr(backend, "config"):
        results = backend.search(words, public, operator="and")
        return [product.pk for product in results[:limit]]
    from django.contrib.postgres.search import SearchQuery  # needs psycopg: PostgreSQL only

    entries = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Product),
        body=SearchQuery(words, search_type="plain", config=backend.config),
    )
    found = _in_window(products, sellers, entries, limit, window)
    if len(found) >= limit:
        return found
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        ids = list(entries.values_list("object_id", flat=True)[: gin_cap + 1])
        if len(ids) <= gin_cap:
            chosen = public.filter(pk__in=[int(pk) for pk in ids])
        else:
            entry = entries.filter(object_id=Cast(OuterRef("pk"), TextField()))
            chosen = public.filter(Exists(entry))
        return list(chosen.order_by(*NEWEST).values_list("pk", flat=True)[:limit])


def _in_window(
    products: QuerySet[Product],
    sellers: QuerySet[Any],
    entries: QuerySet[Any],
    limit: int,
    window: int,
) -> list[int]:
    """Step 1: the matches among the ``window`` newest of ``products``.

    The window is a subquery in FROM, which Django's ORM does not write: the SQL of the window, of
    the sellers and of the entries is Django's own, put together here. The window reads one
    index of one table (status and the filters, newest first); the seller, and the words (a
    probe of the entry's unique index, or the GIN index when the planner expects few matches),
    are checked outside it, on its rows only.
    """
    window_sql, window_params = (
        products.order_by(*NEWEST).values_list("pk", "published_at", "seller_id")[:window]
    ).query.sql_with_params()
    sellers_sql, sellers_params = sellers.query.sql_with_params()
    entries_sql, entries_params = entries.values("object_id").query.sql_with_params()
    sql = (
        f"SELECT newest.id FROM ({window_sql}) AS newest (id, published_at, seller_id) "
        f"WHERE newest.seller_id IN ({sellers_sql}) "
        f"AND newest.id::text IN ({entries_sql}) "
        "ORDER BY newest.published_at DESC, newest.id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*window_params, *sellers_params, *entries_params, limit])
        return [row[0] for row in cursor.fetchall()]
