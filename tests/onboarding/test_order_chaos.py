"""Orders under faults, with real parts: the sandbox delivers every webhook twice and out of
order, and the first worker is killed with SIGKILL while it works. A fresh worker and the
sweepers (run as beat runs them) finish the work: every order paid is paid exactly once, the
declined one is cancelled, the cancelled one is refunded once, and the sandbox's ledger agrees
with the orders to the centime."""

from __future__ import annotations

import itertools
import os
import signal

import pytest

from onboarding import sweeper
from onboarding.marketplace import order_states, order_sweeper
from onboarding.marketplace.models import Order, OrderStep
from onboarding.providers.payments import HTTPPaymentsBackend
from tests.builders import default_site
from tests.worker import celery_worker, wait_for

from .order_builders import order_form, paying_seller
from .payment_session_builders import DECLINED, SECURE, SUCCEEDS, ledger, pay
from .product_builders import make_product
from .sandbox_process import sandbox_for_worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("pii_keys"),
]


SWEEPS = itertools.count()


def settled() -> bool:
    # What beat does: the orders' outbox often, the stored webhooks less often (the sweeps
    # queue their work for the worker, which the file broker hands over about once a second).
    order_sweeper.sweep()
    if next(SWEEPS) % 5 == 0:
        sweeper.sweep()
    return (
        not Order.objects.filter(state="pending_payment").exists()
        and not OrderStep.objects.exclude(status="succeeded").exists()
    )


def test_orders_end_paid_exactly_once_through_duplicates_reordering_and_a_killed_worker(
    live_server, settings, monkeypatch, client
) -> None:
    default_site()
    with sandbox_for_worker(
        live_server.url,
        settings,
        monkeypatch,
        timeout=2,
        worker_settings="tests.onboarding.fault_worker_settings",
    ) as sandbox:
        monkeypatch.setenv("ONBOARDING_LEASE_SECONDS", "3")
        # The messages the killed worker had taken are lost with it (the rows say so): they are
        # sent again once they have waited this long.
        settings.ONBOARDING_REQUEUE_AFTER = 5.0
        sandbox.configure(refund_delay=0.05)
        seller = paying_seller(sandbox)
        product = make_product(seller, availability="in_stock", quantity=10, price=15_000)
        sandbox.faults(duplicate_webhooks=True, out_of_order_webhooks=True)
        backend = HTTPPaymentsBackend(**sandbox.options())
        for quantity in (1, 2, 1, 3):
            form = order_form(quantity=str(quantity))
            assert client.post(f"/fr/orders/new/{product.public_id}/", form).status_code == 302
        orders = list(Order.objects.order_by("pk"))
        methods = [SUCCEEDS, SECURE, DECLINED, SUCCEEDS]

        with celery_worker(name="orders-doomed") as doomed:
            for order, method in zip(orders, methods, strict=True):
                pay(backend.get_payment_session(order.payment_session_ref), method, code="123456")
            wait_for(
                lambda: Order.objects.filter(state="paid").exists(),
                timeout=30,
                what="a first order to be paid",
            )
            os.killpg(doomed.pid, signal.SIGKILL)

        with celery_worker(name="orders-fresh"):
            try:
                wait_for(settled, timeout=90, every=2.0, what="every order to be settled")
            except AssertionError:
                rows = list(Order.objects.values_list("public_id", "state"))
                steps = list(
                    OrderStep.objects.values_list(
                        "order_id",
                        "kind",
                        "status",
                        "enqueued_at",
                        "lease_until",
                        "next_attempt_at",
                        "attempts",
                    )
                )
                raise AssertionError(f"{rows}\n{steps}") from None
            order_states.transition(
                orders[0].pk, "cancelled", actor_label="seller", reason="out of clay"
            )
            wait_for(
                lambda: settled() and Order.objects.get(pk=orders[0].pk).state == "refunded",
                timeout=90,
                every=2.0,
                what="the cancelled order to be refunded",
            )
        stats = sandbox.stats()
        lines = ledger(sandbox)["lines"]

    states = [Order.objects.get(pk=order.pk).state for order in orders]
    assert states == ["refunded", "paid", "cancelled", "paid"]
    paid = [order for order in Order.objects.order_by("pk") if order.payment_ref]
    assert stats["payments_by_reference"] == {order.public_id: 1 for order in paid}
    assert stats["refunds_created"] == 1
    for order in Order.objects.all():
        assert order.events.filter(to_state="paid").count() == (1 if order.payment_ref else 0)
        texts = OrderStep.objects.filter(order=order, kind="sms_buyer")
        assert texts.count() == texts.values("about").distinct().count()
    # The provider's ledger and the orders' own, line by line summed per order.
    by_reference: dict[str, int] = {}
    for line in lines:
        by_reference[line["reference"]] = (
            by_reference.get(line["reference"], 0) + line["amount_minor"]
        )
    expected = {
        order.public_id: order.net - (order.items_total if order.state == "refunded" else 0)
        for order in paid
    }
    assert by_reference == expected
    assert sum(order.items_total for order in paid) == sum(
        line["amount_minor"] for line in lines if line["type"] == "sale"
    )
    assert sum(order.fee for order in paid) == -sum(
        line["amount_minor"] for line in lines if line["type"] == "fee"
    )
