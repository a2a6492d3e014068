"""How many buyers' orders per second go through the whole payment chain, with 1 and 2 workers.

Run: .venv/bin/python bench/marketplace_orders.py [--orders 40] [--rounds 1]
[--database maalem_bench_orders] [--broker redis://127.0.0.1:6379/7]

Needs the PostgreSQL server on 127.0.0.1:5432 (trust auth) and Redis on 127.0.0.1:6379. It
creates (and drops first) its own database, uses a Redis db as the broker, migrates, and then,
for each setting, starts as subprocesses: the payment sandbox, the site under gunicorn
that receives the sandbox's signed webhooks, and the Celery workers (1 process, then 2
processes, of concurrency 1).

Each round, :func:`orders_per_second` makes a live seller whose merchant account is active at
the sandbox, then places N orders as checkout writes them (order, line, first timeline row,
payment-session step) and hands their steps to the workers, all at once. The workers open each
payment session at the sandbox; this process, playing the buyers, pays each one on the
sandbox's hosted page (a POST with the test card 4242 4242 4242 4242) as soon as the order has
its page; the sandbox sends its signed ``payment.succeeded`` webhook to the web server, which
stores it; a worker applies it, re-fetching the session from the sandbox, and the order is
paid (its text messages are queued to the same workers). It prints orders per second (N over
the time from the first order placed to the last one paid), p50 and p95 of each order's
placed → paid, and the ratio of 2 workers to 1.
"""

from __future__ import annotations

import math
import os
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SANDBOX_CARD = "4242424242424242"
#: Buyers paying at once on the hosted page: enough that the workers, not them, set the pace.
BUYERS = 4


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def orders_per_second(workers: int, orders: int) -> dict[str, Any]:
    """Push ``orders`` orders through the whole chain with ``workers`` worker processes.

    Call it from a process whose Django settings name a PostgreSQL database (migrated, which it
    writes to) and a Redis broker (``CELERY_BROKER_URL``): the web server and the workers it
    starts read the same environment. Returns the round's numbers (``rate`` in orders/s).
    """
    from django.conf import settings
    from django.db import connection

    from bench.processes import free_port, web_server
    from bench.processes import workers as worker_processes
    from tests.onboarding.sandbox_process import running_sandbox

    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis"):
        raise RuntimeError(
            "orders_per_second needs PostgreSQL and Redis: set DATABASE_URL and CELERY_BROKER_URL"
        )
    # The web server is started with this environment: it must accept the sandbox's signature.
    os.environ.setdefault("PAYMENTS_WEBHOOK_SECRETS", "whsec_sandbox")
    log_dir = Path(settings.VAR_DIR)
    log_dir.mkdir(parents=True, exist_ok=True)
    label = f"orders-w{workers}-{time.monotonic_ns()}"
    with web_server(free_port(), log_dir) as site_url:
        webhook_url = site_url + "/onboarding/webhooks/payments/"
        with running_sandbox(webhook_url=webhook_url, activation_delay=0.05) as sandbox:
            product = _selling_product(sandbox, label)
            environment = {"PAYMENTS_API_URL": sandbox.url, "PAYMENTS_TIMEOUT": "5"}
            with worker_processes(workers, label, log_dir, environment):
                return _push(product, orders, workers)


def _selling_product(sandbox: Any, label: str) -> Any:
    """A made-to-order product of a live seller whose account the sandbox knows, active."""
    import requests

    from onboarding.models import OnboardingCase
    from tests.onboarding.product_builders import make_product, selling_seller
    from tests.onboarding.sandbox_process import applicant

    seller = selling_seller(f"Bench {label}")
    answer = requests.post(
        sandbox.url + "/v1/accounts",
        json=applicant(shop_name=seller.title, metadata={"case_id": str(seller.case_id)}),
        headers={"Authorization": f"Bearer {sandbox.api_key}", "Idempotency-Key": label},
        timeout=5,
    )
    answer.raise_for_status()
    account_ref = answer.json()["id"]
    sandbox.set_account(account_ref, "active")
    OnboardingCase.objects.filter(pk=seller.case_id).update(payment_account_ref=account_ref)
    seller.case.payment_account_ref = account_ref
    return make_product(seller, availability="made_to_order", price=12000)


def _push(product: Any, count: int, workers: int) -> dict[str, Any]:
    from django.db import close_old_connections

    from onboarding.marketplace.models import Order, OrderState

    started = time.monotonic()
    ids = [_place(product, number) for number in range(count)]
    paying: set[int] = set()
    payments: list[Future[None]] = []
    deadline = time.monotonic() + 60 + count * 2
    with ThreadPoolExecutor(BUYERS) as buyers:
        while True:
            states = dict(Order.objects.filter(pk__in=ids).values_list("pk", "state"))
            if all(state == OrderState.PAID for state in states.values()):
                break
            for payment in payments:
                if payment.done() and payment.exception() is not None:
                    raise RuntimeError(f"a buyer could not pay: {payment.exception()}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"orders not paid after {deadline - started:.0f}s: "
                    f"{sorted(s for s in states.values() if s != OrderState.PAID)}"
                )
            ready = Order.objects.filter(pk__in=set(ids) - paying).exclude(hosted_url="")
            for order_id, hosted_url in ready.values_list("pk", "hosted_url"):
                paying.add(order_id)
                payments.append(buyers.submit(_pay, hosted_url))
            time.sleep(0.02)
            close_old_connections()
    moments = [
        (placed, paid)
        for placed, paid in Order.objects.filter(pk__in=ids).values_list("created_at", "paid_at")
        if paid is not None
    ]
    latencies = [(paid - placed).total_seconds() for placed, paid in moments]
    first = min(placed for placed, _paid in moments)
    wall_seconds = (max(paid for _placed, paid in moments) - first).total_seconds()
    return {
        "workers": workers,
        "orders": count,
        "seconds": wall_seconds,
        "rate": count / wall_seconds,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
    }


def _place(product: Any, number: int) -> int:
    """One order as checkout writes it, its payment-session step sent to the workers."""
    from django.db import transaction
    from django.utils import timezone

    from onboarding.conf import app_settings
    from onboarding.marketplace import order_states, order_steps
    from onboarding.marketplace.models import Order, OrderItem, OrderStep, OrderStepKind

    seller = product.seller
    with transaction.atomic():
        order = Order(
            seller=seller,
            shop_name=seller.title,
            buyer_name=f"Bench buyer {number}",
            buyer_phone=f"+2126000{number % 100000:05d}",
            buyer_language="fr",
            items_total=product.price,
            payment_account_ref=seller.case.payment_account_ref,
            reserved_until=timezone.now() + timedelta(minutes=30),
        )
        order.set_token()
        order.save()
        OrderItem.objects.create(
            order=order,
            product=product,
            title=product.title_fr,
            unit_price=product.price,
            quantity=1,
        )
        order_states.record_opening(order, actor_label="buyer", reason="benchmark")
        step = OrderStep.objects.create(
            order=order,
            kind=OrderStepKind.PAYMENT_SESSION,
            max_attempts=app_settings.MAX_ATTEMPTS,
            next_attempt_at=timezone.now(),
            enqueued_at=timezone.now(),
        )
        order_steps.send_on_commit(step.pk)
    return order.pk


def _pay(hosted_url: str) -> None:
    """The buyer on the sandbox's hosted page: the test card, then the way back (not followed)."""
    import requests

    answer = requests.post(
        hosted_url,
        data={"method": SANDBOX_CARD, "lang": "fr"},
        allow_redirects=False,
        timeout=10,
    )
    if answer.status_code not in (302, 303):
        raise RuntimeError(f"the hosted page answered {answer.status_code}: {answer.text[:200]}")


def main() -> None:
    import argparse
    import tempfile

    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--orders", type=int, default=40)
    arguments.add_argument("--rounds", type=int, default=1, help="rounds per worker setting")
    arguments.add_argument("--database", default="maalem_bench_orders", help="dropped first")
    arguments.add_argument("--broker", default="redis://127.0.0.1:6379/7")
    args = arguments.parse_args()
    sys.path.insert(0, str(ROOT))
    from lms.certificates.keys import new_signing_key

    # Set before Django is imported: this process, the web server and the workers share them.
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
            "CELERY_BROKER_URL": args.broker,
            "MAALEM_VAR_DIR": tempfile.mkdtemp(prefix="maalem-bench-orders-"),
            "DEBUG": "false",
            "SECRET_KEY": "bench-orders-secret-key-not-for-production",
            "PII_SALT_KEYS": "bench-orders-salt",
            "PII_HMAC_KEY": "bench-orders-hmac",
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "60",  # the production shape (docs/deploy.md)
            "PAYMENTS_WEBHOOK_SECRETS": "whsec_sandbox",
            "CERTIFICATE_SIGNING_KEY": new_signing_key(),
        }
    )
    os.environ.pop("PYTEST_VERSION", None)
    _recreate_database(args.database)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(
        f"database {args.database}, broker {args.broker}, files in {os.environ['MAALEM_VAR_DIR']}"
    )
    results: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    # Interleaved, so that a drift of the machine's load hits both settings alike.
    for round_number in range(1, args.rounds + 1):
        for workers in (1, 2):
            result = orders_per_second(workers, args.orders)
            results[workers].append(result)
            print(
                f"  round {round_number}, {workers} worker process(es): {result['rate']:.2f} "
                f"orders/s, p50 {result['p50']:.2f} s, p95 {result['p95']:.2f} s",
                flush=True,
            )
    rates = {workers: _median([r["rate"] for r in rounds]) for workers, rounds in results.items()}
    print()
    print(f"{args.orders} orders per round, placed -> paid through the sandbox, PostgreSQL + Redis")
    print(f"  1 worker:  {rates[1]:.2f} orders/s")
    print(f"  2 workers: {rates[2]:.2f} orders/s")
    print(f"  ratio 2/1: {rates[2] / rates[1]:.2f}")


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _recreate_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
