"""The admin lists of big tables page through them without counting every row."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maalem.core.pagination import LargeListPaginator, estimated_rows


class EstimatingEarly(LargeListPaginator):
    estimate_above = 5


def counts(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


@pytest.fixture
def users(db):
    User = get_user_model()
    User.objects.bulk_create(User(username=f"reader-{n}") for n in range(30))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(User._meta.db_table)}")
    return User


def test_an_unfiltered_big_list_on_postgresql_is_not_counted_row_by_row(users):
    paginator = EstimatingEarly(users.objects.order_by("pk"), 10)
    with CaptureQueriesContext(connection) as queries:
        total = paginator.count
    if connection.vendor == "postgresql":
        assert counts(queries) == []
        assert total == estimated_rows(users.objects.all())
        assert total > 5
    else:
        # No estimate elsewhere: the exact count.
        assert len(counts(queries)) == 1
        assert total == users.objects.count()


def test_a_filtered_list_is_counted_exactly(users):
    paginator = EstimatingEarly(users.objects.filter(username__startswith="reader-1"), 10)
    with CaptureQueriesContext(connection) as queries:
        total = paginator.count
    assert total == 11  # reader-1 and reader-10 … reader-19
    assert len(counts(queries)) == 1


def test_a_small_list_is_counted_exactly(users):
    paginator = LargeListPaginator(users.objects.order_by("pk"), 10)
    assert paginator.count == users.objects.count()
    assert paginator.num_pages == -(-users.objects.count() // 10)
