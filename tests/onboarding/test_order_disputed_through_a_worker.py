"""End to end with real parts, through duplicate and out-of-order webhooks: a buyer pays on the
sandbox's hosted page with the card that gets disputed, the sandbox disputes the payment by
itself, its signed webhooks (each sent twice, each payment's held back behind the next) reach
the site, and a real Celery worker applies them. The bank then decides: the order keeps its
state, has one dispute, one timeline line per news and one text to the seller per news, and the
sandbox's ledger agrees with the order to the centime."""

from __future__ import annotations

import pytest

from onboarding.marketplace.models import Dispute, Order, OrderStep
from onboarding.providers.payments import HTTPPaymentsBackend
from tests.builders import default_site
from tests.worker import celery_worker, wait_for

from .dispute_builders import dispute_lines
from .order_builders import order_form, paying_seller
from .payment_session_builders import ledger, pay
from .product_builders import make_product
from .sandbox_process import sandbox_for_worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("pii_keys"),
]

DISPUTED_CARD = "4000000000000259"


def test_a_disputed_payment_reaches_the_order_once_through_faulty_webhooks(
    live_server, settings, monkeypatch, client
) -> None:
    default_site()
    with sandbox_for_worker(live_server.url, settings, monkeypatch, timeout=2) as sandbox:
        sandbox.configure(dispute_delay=0.3)
        seller = paying_seller(sandbox)
        product = make_product(seller, availability="in_stock", quantity=2, price=15_000)
        sandbox.faults(duplicate_webhooks=True, out_of_order_webhooks=True)
        with celery_worker(name="disputes"):
            assert client.post(f"/fr/orders/new/{product.public_id}/", order_form()).status_code
            order = Order.objects.get()
            backend = HTTPPaymentsBackend(**sandbox.options())
            pay(backend.get_payment_session(order.payment_session_ref), DISPUTED_CARD)
            wait_for(
                lambda: Order.objects.get().state == "paid" and Dispute.objects.exists(),
                timeout=30,
                what="the order to be paid and its dispute recorded",
            )
            dispute = Dispute.objects.get()
            sandbox.close_dispute(dispute.provider_ref, "lost")
            wait_for(
                lambda: (
                    Dispute.objects.get().status == "lost"
                    and OrderStep.objects.filter(order=order, about__startswith="dp")
                    .filter(status="succeeded")
                    .count()
                    == 2
                ),
                timeout=30,
                what="the dispute to be closed and the seller texted twice",
            )
        lines = ledger(sandbox)["lines"]
        events = sandbox.events()

    order = Order.objects.get()
    dispute = Dispute.objects.get()
    assert order.state == "paid"
    assert (dispute.status, dispute.reason, dispute.amount) == ("lost", "fraudulent", 15_000)
    assert dispute_lines(order) == [
        f"dispute {dispute.provider_ref} opened: fraudulent",
        f"dispute {dispute.provider_ref} lost",
    ]
    assert [event.to_state for event in order.events.exclude(reason__startswith="dispute")] == [
        "pending_payment",
        "paid",
    ]
    texts = OrderStep.objects.filter(order=order, kind="sms_seller")
    assert sorted(texts.values_list("about", flat=True)) == sorted(
        ["paid", f"dp{dispute.pk}:open", f"dp{dispute.pk}:lost"]
    )
    assert {"dispute.created", "dispute.closed"} <= {event["type"] for event in events}
    assert sum(line["amount_minor"] for line in lines) == order.net - dispute.amount
    assert [line["type"] for line in lines] == ["sale", "fee", "dispute"]
