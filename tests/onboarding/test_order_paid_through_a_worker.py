"""End to end with real parts: a buyer orders on the site, pays on the sandbox's hosted page
with the test card, the sandbox's signed webhook reaches the site, and a real Celery worker
applies it: the order is paid once, and buyer and seller are each texted once."""

from __future__ import annotations

import pytest

from onboarding.marketplace.models import Order, OrderStep
from onboarding.providers.payments import HTTPPaymentsBackend
from tests.builders import default_site
from tests.worker import celery_worker, wait_for

from .order_builders import order_form, paying_seller
from .payment_session_builders import SUCCEEDS, pay
from .product_builders import make_product
from .sandbox_process import sandbox_for_worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("pii_keys"),
]


def test_a_buyer_pays_on_the_hosted_page_and_the_worker_makes_the_order_paid(
    live_server, settings, monkeypatch, client
) -> None:
    default_site()
    with sandbox_for_worker(live_server.url, settings, monkeypatch, timeout=2) as sandbox:
        seller = paying_seller(sandbox)
        product = make_product(seller, availability="in_stock", quantity=2, price=15_000)
        with celery_worker(name="orders"):
            answer = client.post(f"/fr/orders/new/{product.public_id}/", order_form())
            order = Order.objects.get()
            assert answer["Location"] == order.hosted_url
            session = HTTPPaymentsBackend(**sandbox.options()).get_payment_session(
                order.payment_session_ref
            )
            back = pay(session, SUCCEEDS)
            assert f"/fr/orders/{order.buyer_token}/?session_id={session.ref}" in back

            wait_for(
                lambda: Order.objects.get().state == "paid",
                timeout=30,
                what="the order to be paid",
            )
            wait_for(
                lambda: OrderStep.objects.filter(order=order, status="succeeded").count() == 3,
                timeout=30,
                what="the payment page and both texts to be done",
            )
        stats = sandbox.stats()
    order = Order.objects.get()
    assert (order.fee, order.net) == (325, 15_000 - 325)
    assert [event.to_state for event in order.events.all()] == ["pending_payment", "paid"]
    assert stats["payments_by_reference"] == {order.public_id: 1}
    assert stats["payment_sessions_created"] == 1
    texts = OrderStep.objects.filter(order=order, kind__startswith="sms")
    assert sorted(texts.values_list("kind", "attempts")) == [("sms_buyer", 1), ("sms_seller", 1)]
