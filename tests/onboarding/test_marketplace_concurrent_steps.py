"""Seller profile steps running at the same time, as two workers would run them on PostgreSQL."""

import threading

import pytest
from django.db import connection

from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import MarketplaceIndexPage, SellerProfilePage
from tests.builders import default_site

from .marketplace_builders import applied_case, open_account

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("pii_keys"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite has none"
    ),
]


def run_together(calls):
    """Run each call in its own thread and database connection, released at the same moment."""
    start = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            start.wait()
            results.append(call())
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def test_two_cases_each_run_twice_at_once_make_one_marketplace_and_one_page_each():
    default_site()
    cases = [open_account(applied_case(shop_name=name)) for name in ("Dar Nhas", "Dar Zellige")]
    backend = LocalMarketplaceBackend()

    references = run_together(
        [lambda c=case: backend.create_or_update_seller(c) for case in cases * 2]
    )

    assert MarketplaceIndexPage.objects.count() == 1
    for case in cases:
        page = SellerProfilePage.objects.get(case=case)
        assert page.live
        assert references.count(str(page.pk)) == 2
