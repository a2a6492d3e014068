"""The orders throughput bench at a small size: three orders go from placed to paid through a
real sandbox, its hosted page and signed webhook, the web server and a real worker."""

from __future__ import annotations

import importlib.util

import pytest
from django.conf import settings
from django.db import connection

from bench.marketplace_orders import orders_per_second
from onboarding.marketplace.models import Order
from tests import worker

pytestmark = [
    pytest.mark.timeout(300),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis"),
        reason="the bench runs on PostgreSQL and Redis",
    ),
    # The payment page sends the buyer back to her order's page, which checkout brings.
    pytest.mark.skipif(
        importlib.util.find_spec("onboarding.marketplace.order_urls") is None,
        reason="needs the buyer's order pages",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_three_orders_are_paid_through_the_whole_chain_with_one_worker(monkeypatch, pii_keys):
    # The web server and the worker are other processes: the test's database and keys.
    monkeypatch.setenv("DATABASE_URL", worker.test_database_url())
    monkeypatch.setenv("PII_SALT_KEYS", ",".join(settings.SALT_KEY))
    monkeypatch.setenv("PII_HMAC_KEY", settings.ONBOARDING_PII_HMAC_KEY)

    result = orders_per_second(1, 3)

    assert result["orders"] == 3 and result["workers"] == 1
    assert result["rate"] > 0 and 0 < result["p50"] <= result["p95"]
    paid = Order.objects.filter(state="paid").exclude(payment_ref="")
    assert paid.count() == 3
    assert all(order.fee > 0 and order.net == order.items_total - order.fee for order in paid)
