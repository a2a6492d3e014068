"""Paginators for the admin lists that may hold hundreds of thousands of rows.

Wagtail's listing counts the rows it pages through with ``COUNT(*)``, which reads the whole table:
seconds at national size. Unfiltered, the count of a big table is taken from PostgreSQL's own
estimate (``pg_class.reltuples``, kept by autovacuum) instead; a filtered or searched list, and any
list on another database or of a table too small to matter, is counted exactly. With an estimate
the number of pages is approximate: the last page may come out a few rows short or empty.
"""

from __future__ import annotations

from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.paginator import WagtailPaginator

# Below this many rows an exact count is cheap enough, and exact.
ESTIMATE_ABOVE = 20_000
# The most rows a filtered list counts before it says "more than".
COUNT_CAP = 10_000


def estimated_rows(object_list: Any) -> int | None:
    """PostgreSQL's estimate of the rows of an unfiltered queryset's table, or None when there
    is none to trust (a filter, a slice, DISTINCT, another database, a table never analysed)."""
    if not isinstance(object_list, QuerySet):
        return None
    query = object_list.query
    if query.where or query.distinct or query.is_sliced or query.combinator:
        return None
    connection = connections[object_list.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [connection.ops.quote_name(object_list.model._meta.db_table)],
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] >= 0 else None


class LargeListPaginator(WagtailPaginator):
    estimate_above = ESTIMATE_ABOVE

    @cached_property
    def count(self) -> int:
        estimate = estimated_rows(self.object_list)
        if estimate is not None and estimate > self.estimate_above:
            return estimate
        exact: int = super().count
        return exact


class CappedCountPaginator(WagtailPaginator):
    """Counts no further than ``count_cap`` rows, for a filtered list of a big table that
    PostgreSQL cannot estimate: past it, the list says "more than 10,000" and offers the pages of
    the first 10,000 rows. Counting and skipping then read at most that many index entries, on
    any database, whatever the size of the table; the rest is reached by narrowing the filters.
    """

    count_cap = COUNT_CAP

    @cached_property
    def counted(self) -> int:
        """The rows, counted up to one past the cap (a LIMIT inside the COUNT)."""
        head = self.object_list[: self.count_cap + 1]
        return head.count() if isinstance(head, QuerySet) else len(head)

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.count_cap)

    @property
    def capped(self) -> bool:
        return self.counted > self.count_cap

    @cached_property
    def items_count_label(self) -> str:
        if not self.capped:
            label: str = super().items_count_label
            return label
        return _("More than %(count)s %(items)s") % {
            "count": intcomma(self.count_cap),
            "items": self.verbose_name_plural,
        }
