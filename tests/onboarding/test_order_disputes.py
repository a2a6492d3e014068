"""Payment disputes reach orders exactly once, with the real sandbox: its dispute, signed like
its webhooks, posted to the site twice and processed again, or its news out of order (closed
before created), make one dispute, one timeline line and one text to the seller per news, with
the order's state unchanged; the payload is never trusted; the sandbox's ledger agrees with the
orders to the centime, disputes included."""

from __future__ import annotations

import pytest
from django.utils import translation

from onboarding import account_updates
from onboarding.marketplace.models import Dispute, Order, OrderStep
from onboarding.marketplace.order_notifications import seller_dispute_message
from onboarding.models import WebhookEvent

from .dispute_builders import deliver, dispute_lines, paid_orders, replay
from .order_builders import run_steps
from .payment_session_builders import ledger

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys")]


def dispute_texts(order: Order) -> list[str]:
    steps = OrderStep.objects.filter(order=order, kind="sms_seller", about__startswith="dp")
    return sorted(step.about.partition(":")[2] for step in steps)


def test_a_dispute_delivered_twice_and_replayed_is_recorded_once(
    client, provider, sms_outbox
) -> None:
    (order,) = paid_orders(client, provider)
    opened = provider.open_dispute(order.payment_session_ref, "product_not_received")

    assert deliver(client, provider, "dispute.created", opened, copies=2) == "processed"
    assert replay("dispute.created") == "processed"
    assert deliver(client, provider, "dispute.created", opened) == "processed"  # a new event id

    dispute = Dispute.objects.get()
    assert (dispute.provider_ref, dispute.payment_ref) == (opened["id"], order.payment_ref)
    assert (dispute.status, dispute.reason, dispute.amount) == (
        "needs_response",
        "product_not_received",
        15_000,
    )
    assert dispute.evidence_due_by is not None and dispute.closed_at is None
    order = Order.objects.get(pk=order.pk)
    assert order.state == "paid"
    assert dispute_lines(order) == [f"dispute {opened['id']} opened: product_not_received"]
    assert dispute_texts(order) == ["open"]
    sms_outbox.clear()
    run_steps(order)
    # In the seller's language (French, the site's, here), once.
    with translation.override("fr"):
        expected = seller_dispute_message(order, f"dp{dispute.pk}:open")
    assert [text for _phone, text in sms_outbox].count(expected) == 1
    assert "conteste le paiement de la commande" in expected and "150.00 MAD" in expected


@pytest.mark.parametrize("outcome", ["lost", "won"])
def test_closed_before_created_ends_closed_and_the_payload_is_not_trusted(
    client, provider, outcome
) -> None:
    (order,) = paid_orders(client, provider)
    opened = provider.open_dispute(order.payment_ref)
    closed = provider.close_dispute(opened["id"], outcome)

    assert deliver(client, provider, "dispute.closed", closed) == "processed"
    assert deliver(client, provider, "dispute.created", opened, copies=2) == "processed"
    # A forged or stale payload says the opposite: the sandbox's word wins.
    other = "won" if outcome == "lost" else "lost"
    assert deliver(client, provider, "dispute.updated", {**closed, "status": other}) == (
        "processed"
    )

    dispute = Dispute.objects.get()
    assert dispute.status == outcome and dispute.closed_at is not None
    order = Order.objects.get(pk=order.pk)
    assert order.state == "paid"
    assert dispute_lines(order) == [
        f"dispute {opened['id']} opened: fraudulent",
        f"dispute {opened['id']} {outcome}",
    ]
    assert dispute_texts(order) == sorted(["open", outcome])


def test_a_dispute_event_waits_while_the_provider_is_down(client, provider) -> None:
    (order,) = paid_orders(client, provider)
    opened = provider.open_dispute(order.payment_ref)
    provider.faults(fail_next=10, fail_status=503)

    assert deliver(client, provider, "dispute.created", opened) == (
        "provider not reached, will retry"
    )
    event = WebhookEvent.objects.get(type="dispute.created")
    assert event.processed_at is None and not Dispute.objects.exists()
    provider.faults(fail_next=0)
    assert account_updates.process_webhook(event.pk) == "processed"
    assert Dispute.objects.get().status == "needs_response"


def test_a_dispute_about_no_order_is_closed(client, provider) -> None:
    (order,) = paid_orders(client, provider)
    opened = provider.open_dispute(order.payment_ref)
    stranger = {**opened, "payment": "pay_x", "session": "ps_x", "reference": "elsewhere"}

    assert deliver(client, provider, "dispute.created", stranger) == "ignored"
    assert not Dispute.objects.exists()


def test_the_sandbox_ledger_agrees_with_the_orders_disputes_included(client, provider) -> None:
    lost, won, still_open, undisputed = paid_orders(client, provider, count=4)
    for order, outcome in ((lost, "lost"), (won, "won"), (still_open, "")):
        opened = provider.open_dispute(order.payment_ref)
        deliver(client, provider, "dispute.created", opened)
        if outcome:
            deliver(
                client, provider, "dispute.closed", provider.close_dispute(opened["id"], outcome)
            )

    lines = ledger(provider)["lines"]
    by_reference: dict[str, int] = {}
    for line in lines:
        by_reference[line["reference"]] = (
            by_reference.get(line["reference"], 0) + line["amount_minor"]
        )
    orders = Order.objects.filter(pk__in=[lost.pk, won.pk, still_open.pk, undisputed.pk])
    expected = {
        order.public_id: order.net
        - sum(dispute.amount for dispute in order.disputes.exclude(status="won"))
        for order in orders
    }
    assert by_reference == expected
    taken = -sum(line["amount_minor"] for line in lines if line["type"] == "dispute")
    given_back = sum(line["amount_minor"] for line in lines if line["type"] == "dispute_reversal")
    assert taken == sum(Dispute.objects.values_list("amount", flat=True)) == 3 * 15_000
    assert given_back == Dispute.objects.get(status="won").amount
    account = lost.payment_account_ref
    totals = ledger(provider)["accounts"][account]
    assert totals["disputes_minor"] == 2 * 15_000
    assert totals["net_minor"] == sum(by_reference.values())
