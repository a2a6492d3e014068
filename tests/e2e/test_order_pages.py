"""The order pages on a 360px phone, in Arabic, French and English, without JavaScript's help:
the buyer's order form (and its errors) and order page, the seller's orders and her buttons, and
an order of hers whose payment is disputed.
axe-core finds no serious or critical fault, nothing scrolls sideways, targets fit a thumb."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from onboarding.marketplace import order_states
from onboarding.marketplace.models import Dispute
from tests.onboarding.order_builders import place_order
from tests.onboarding.product_builders import make_product, selling_seller

from .content import LANGUAGES
from .journey import sign_in
from .test_accessibility import Audit, audit_pages

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("pii_keys"),
]


def visit_order_pages(audit: Audit, page: Page, world: dict, language: str) -> None:
    audit.open(f"/{language}/orders/new/{world['product']}/")
    audit.look("order-form")
    page.locator("#id_quantity").fill("")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [aria-invalid=true]").first).to_be_visible()
    audit.look("order-form-errors")
    audit.open(f"/{language}/orders/{world['paid_token']}/")
    audit.look("order-paid")
    audit.open(f"/{language}/orders/{world['waiting_token']}/")
    audit.look("order-waiting")

    sign_in(page.context, world["seller"], audit.base_url)
    for step, path in [
        ("seller-orders", f"/{language}/sell/orders/"),
        ("seller-order", f"/{language}/sell/orders/{world['paid']}/"),
        ("seller-order-disputed", f"/{language}/sell/orders/{world['disputed']}/"),
        ("seller-cancel", f"/{language}/sell/orders/{world['paid']}/cancel/"),
    ]:
        audit.open(path)
        audit.look(step)


def test_the_order_pages_are_accessible_in_every_language_on_a_small_phone(
    live_server, browser: Browser, artifacts
) -> None:
    seller = selling_seller()
    product = make_product(seller, availability="in_stock", quantity=5)
    paid, paid_token = place_order(seller, product)
    order_states.transition(paid.pk, "paid", actor_label="test", reason="p", payment_ref="pay_1")
    _waiting, waiting_token = place_order(seller, product)
    disputed, _token = place_order(seller, product)
    order_states.transition(disputed.pk, "paid", actor_label="t", reason="p", payment_ref="pay_2")
    Dispute.objects.create(
        order=disputed,
        provider_ref="dp_e2e",
        payment_ref="pay_2",
        amount=disputed.items_total,
        reason="product_not_received",
        status="needs_response",
        evidence_due_by=timezone.now() + timedelta(days=7),
        opened_at=timezone.now(),
    )
    world = {
        "disputed": disputed.public_id,
        "product": product.public_id,
        "paid": paid.public_id,
        "paid_token": paid_token,
        "waiting_token": waiting_token,
        "seller": seller.case.learner,
    }
    faults: list[str] = []
    for language in LANGUAGES:
        faults += audit_pages(
            browser,
            live_server.url,
            artifacts,
            f"orders-{language}",
            lambda audit, page, language=language: visit_order_pages(audit, page, world, language),
        )
    assert not faults, f"{len(faults)} pages have faults:\n\n" + "\n\n".join(faults)
