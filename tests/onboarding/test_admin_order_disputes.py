"""Disputes in the operators' Orders area and on the seller's pages, with the real sandbox.

Seeing them needs ``view_order`` (the order page's panel, the list's filter); answering one
needs ``change_order``: a confirmation page asks for the evidence and why, the evidence goes to
the sandbox once, and the reason goes into the timeline with the operator's name. The seller
reads "a buyer disputed this payment" on her order page and the dispute lines on her money
page, in her language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from maalem.core.languages import remember_language
from onboarding.marketplace.models import Dispute, Order
from onboarding.marketplace.prices import price_text
from onboarding.providers.payments import HTTPPaymentsBackend

from .dispute_builders import deliver, dispute_lines, paid_orders
from .test_admin_orders import ORDERS, order_operator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "fast_passwords")]


@pytest.fixture
def disputed(client, provider) -> Dispute:
    (order,) = paid_orders(client, provider)
    opened = provider.open_dispute(order.payment_ref, "product_unacceptable")
    assert deliver(client, provider, "dispute.created", opened) == "processed"
    return Dispute.objects.get()


def evidence_url(dispute: Dispute) -> str:
    return reverse("marketplace_order:dispute_evidence", args=[dispute.order_id, dispute.pk])


def test_the_order_page_shows_its_disputes_to_whoever_sees_orders(client, disputed) -> None:
    client.force_login(order_operator("view_order"))

    page = client.get(f"{ORDERS}inspect/{disputed.order_id}/").content.decode()

    assert f'data-dispute="{disputed.provider_ref}"' in page
    # The admin speaks the site's language, French here.
    assert "L’acheteur dit qu’il n’était pas conforme à la description" in page
    assert 'data-status="needs_response">En attente de notre réponse' in page
    with translation.override("fr"):
        assert price_text(15_000) in page
    assert evidence_url(disputed) not in page  # no change_order: no answer
    assert client.get(evidence_url(disputed)).status_code == 302  # Wagtail's "denied"
    assert client.post(evidence_url(disputed), {"evidence": "x", "reason": "y"}).status_code == 403


def test_the_list_filters_disputed_orders(client, disputed) -> None:
    client.force_login(order_operator("view_order"))
    number = Order.objects.get(pk=disputed.order_id).public_id

    assert number in client.get(f"{ORDERS}?disputes=open").content.decode()
    assert number in client.get(f"{ORDERS}?disputes=needs_response").content.decode()
    assert number not in client.get(f"{ORDERS}?disputes=closed").content.decode()


def test_an_operator_answers_a_dispute_once_with_her_name_in_the_timeline(
    client, provider, disputed
) -> None:
    client.force_login(order_operator("view_order", "change_order"))
    inspect = f"{ORDERS}inspect/{disputed.order_id}/"
    assert evidence_url(disputed) in client.get(inspect).content.decode()
    assert client.get(evidence_url(disputed)).status_code == 200

    answer = client.post(
        evidence_url(disputed),
        {"evidence": "Delivered on 2 Dec, signed by the buyer.", "reason": "Proof from Amana"},
    )

    assert answer.status_code == 302
    dispute = Dispute.objects.get()
    assert dispute.status == "under_review"
    assert dispute.evidence == "Delivered on 2 Dec, signed by the buyer."
    assert dispute.evidence_by is not None and dispute.evidence_sent_at is not None
    at_sandbox = HTTPPaymentsBackend(**provider.options()).get_dispute(dispute.provider_ref)
    assert (at_sandbox.status, at_sandbox.evidence) == ("under_review", dispute.evidence)
    order = Order.objects.get(pk=dispute.order_id)
    assert order.state == "paid"
    last = order.events.last()
    assert last is not None and last.actor == dispute.evidence_by
    assert last.reason == f"dispute {dispute.provider_ref} evidence sent: Proof from Amana"
    page = client.get(inspect).content.decode()
    assert "Nadia Operator" in page and "Delivered on 2 Dec" in page

    again = client.post(evidence_url(dispute), {"evidence": "More", "reason": "twice"}, follow=True)
    assert [message.level_tag for message in again.context["messages"]] == ["error"]
    assert len(dispute_lines(order)) == 2  # opened, evidence sent: nothing more
    assert Dispute.objects.get().evidence == "Delivered on 2 Dec, signed by the buyer."


def test_evidence_needs_a_text_and_a_reason_and_a_provider_refusal_writes_nothing(
    client, provider, disputed
) -> None:
    client.force_login(order_operator("view_order", "change_order"))

    empty = client.post(evidence_url(disputed), {"evidence": " ", "reason": " "})
    assert empty.status_code == 200
    assert set(empty.context["form"].errors) == {"evidence", "reason"}
    provider.faults(fail_next=1, fail_status=503)
    down = client.post(evidence_url(disputed), {"evidence": "Proof", "reason": "r"}, follow=True)
    assert [message.level_tag for message in down.context["messages"]] == ["error"]

    dispute = Dispute.objects.get()
    assert (dispute.status, dispute.evidence or "", dispute.evidence_sent_at) == (
        "needs_response",
        "",
        None,
    )
    assert len(dispute_lines(Order.objects.get(pk=dispute.order_id))) == 1


@pytest.mark.parametrize(
    ("language", "heading", "status"),
    [
        ("en", "A buyer disputed this payment", "Waiting for our answer"),
        ("fr", "Un acheteur a contesté ce paiement", "En attente de notre réponse"),
        ("ar", "اعترض مشترٍ على هذا الدفع", "في انتظار ردّنا"),
    ],
)
def test_the_seller_reads_the_dispute_in_her_language(
    client, disputed, language, heading, status
) -> None:
    order = Order.objects.get(pk=disputed.order_id)
    seller = order.seller
    assert seller is not None
    client.force_login(seller.case.learner)

    page = client.get(f"/{language}/sell/orders/{order.public_id}/").content.decode()

    assert heading in page and status in page
    # The timeline lists state changes only: the dispute's line is not a second "Paid".
    assert page.count('class="timeline"') == 1


def test_her_money_page_shows_what_the_dispute_took(client, disputed, settings) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    order = Order.objects.get(pk=disputed.order_id)
    seller = order.seller
    assert seller is not None
    client.force_login(seller.case.learner)
    remember_language(seller.case.learner, "en")

    page = client.get("/en/sell/money/")

    assert page.status_code == 200
    week = page.context["now"][0][1].totals
    assert (week.sales, week.fees, week.disputes) == (15_000, order.fee, 15_000)
    assert week.net == 15_000 - order.fee - 15_000
    assert "Disputes" in page.content.decode()
