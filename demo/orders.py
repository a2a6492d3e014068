"""Demo orders in every state, for each live demo seller, taken there by the real services.

Each order is written as checkout writes it (the order, its line, its first timeline row), then
moved as its buyer, the payment provider and the seller would move it: a payment session opened
at the in-memory provider (:mod:`onboarding.providers.fake`), paid with the sandbox's test card
(or declined with its declining card), the provider's signed webhook verified and applied by
:func:`onboarding.marketplace.order_payments.apply_event`, the seller's moves and cancellation
made through :func:`onboarding.marketplace.order_states.transition`, and the refund made by the
outbox's own step then settled by its webhook. So every reference, fee and timeline row is one
the real chain would write.

No network, and nothing the sandbox must know: the references are the in-memory provider's, and
the text messages the moves queue are left to the worker. The buyers are made up: Arabic names marked
"(تجربة)", "a trial", and numbers +2126000000xx. Each order has a fixed number, made from the
seller and the state (:func:`order_number`): one that exists already is left as it is, so running the loader again changes nothing.

Latifa also has a delivered order whose buyer's bank disputes the payment (open, waiting for
an answer): the in-memory provider opens the dispute and its signed ``dispute.created`` is
applied by :func:`onboarding.marketplace.order_disputes.apply_event`.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from onboarding.marketplace import order_disputes, order_outbox, order_payments, order_states
from onboarding.marketplace.models import (
    Order,
    OrderItem,
    OrderState,
    OrderStep,
    OrderStepKind,
    Product,
    SellerProfilePage,
    selling,
)
from onboarding.marketplace.order_conf import order_settings
from onboarding.providers import get_backend
from onboarding.providers.base import AccountStatus
from onboarding.providers.fake import InMemoryPaymentsBackend, SignedWebhook

from .onboarding import demo_payment_provider

S = OrderState

#: Each demo order's state, and the short name its number carries (numbers fit in 20 characters).
STATES: dict[str, str] = {
    S.PENDING_PAYMENT: "wait",
    S.PAID: "paid",
    S.ACCEPTED: "acc",
    S.SHIPPED: "ship",
    S.DELIVERED: "done",
    S.CANCELLED: "decl",
    S.REFUNDED: "refd",
}
#: The moves the seller makes after the payment, to reach each state.
SELLER_PATHS: dict[str, list[str]] = {
    S.ACCEPTED: [S.ACCEPTED],
    S.SHIPPED: [S.ACCEPTED, S.SHIPPED],
    S.DELIVERED: [S.ACCEPTED, S.SHIPPED, S.DELIVERED],
    S.REFUNDED: [S.CANCELLED],
}
# The demo's buyers read Arabic: their names, and the titles their orders copy, are in Arabic.
BUYER_FIRST_NAMES = ["سلمى", "يوسف", "خديجة", "مهدي", "إيمان", "كريم", "نورة"]
PAYS = "4242424242424242"
DECLINED = "4000000000000002"
#: The demo's unpaid order keeps its hold for a month, so that it is still unpaid when looked at.
UNPAID_HOLD = timedelta(days=30)
#: The sellers who also get a delivered order with an open dispute.
DISPUTED_FOR = ("latifa",)


def order_number(username: str, state: str, kind: str = "") -> str:
    """A fixed number per seller and state, shaped like a real one (12 letters and digits)."""
    digest = hashlib.sha256(f"demo-{username}-{state}{kind}".encode()).hexdigest()
    return f"{digest[:5]}{(kind or STATES[state])[:1]}{digest[5:11]}"


def ensure_orders() -> int:
    """An order in each state for every live demo seller who has none; how many were made."""
    made = 0
    sellers = SellerProfilePage.objects.live().filter(selling())
    with demo_payment_provider() as provider:
        for place, seller in enumerate(sellers.select_related("case__learner").order_by("pk")):
            product = demo_product(seller)
            if product is None:
                continue
            username = str(seller.case.learner.get_username())
            for number, state in enumerate(STATES):
                public_id = order_number(username, state)
                if Order.objects.filter(public_id=public_id).exists():
                    continue
                buyer = DemoBuyer(provider, seller, place * len(STATES) + number)
                buyer.order(product, public_id, state)
                made += 1
            disputed = order_number(username, S.DELIVERED, "x")
            if username in DISPUTED_FOR and not Order.objects.filter(public_id=disputed).exists():
                buyer = DemoBuyer(provider, seller, place * len(STATES) + len(STATES))
                order = buyer.order(product, disputed, S.DELIVERED)
                buyer.deliver(provider.open_dispute(order.payment_ref, "product_not_received"))
                made += 1
    return made


def demo_product(seller: SellerProfilePage) -> Product | None:
    """What the demo buyers order: a made-to-order piece for sale, so no stock runs out."""
    return (
        Product.objects.filter(seller=seller, status="live", price__gt=0)
        .order_by("-availability", "pk")
        .first()
    )


class DemoBuyer:
    """One made-up buyer who orders from a demo seller, and what follows her order."""

    def __init__(self, provider: InMemoryPaymentsBackend, seller: Any, number: int) -> None:
        self.provider = provider
        self.seller = seller
        self.language = "ar"
        self.name = f"{BUYER_FIRST_NAMES[number % len(BUYER_FIRST_NAMES)]} (تجربة)"
        self.phone = f"+2126000000{number % 100:02d}"

    def order(self, product: Product, public_id: str, state: str) -> Order:
        order = self.place(product, public_id, state)
        self.open_session(order)
        if state == S.PENDING_PAYMENT:
            return order
        self.pay(order, DECLINED if state == S.CANCELLED else PAYS)
        for move in SELLER_PATHS.get(state, []):
            order_states.transition(
                order.pk,
                move,
                actor=self.seller.case.learner,
                actor_label="seller",
                reason="demo: the seller's move",
            )
        if state == S.REFUNDED:
            self.refund(order)
        return Order.objects.get(pk=order.pk)

    def place(self, product: Product, public_id: str, state: str) -> Order:
        """The order as checkout writes it, in one transaction."""
        hold = UNPAID_HOLD if state == S.PENDING_PAYMENT else timedelta(minutes=30)
        with transaction.atomic():
            order = Order(
                public_id=public_id,
                seller=self.seller,
                shop_name=self.seller.title,
                buyer_name=self.name,
                buyer_phone=self.phone,
                buyer_language=self.language,
                items_total=product.price or 0,
                payment_account_ref=self.seller.case.payment_account_ref,
                reserved_until=timezone.now() + hold,
            )
            order.set_token()
            order.save()
            OrderItem.objects.create(
                order=order,
                product=product,
                title=(
                    (product.title_ar or product.title_fr)
                    if self.language == "ar"
                    else (product.title_fr or product.title_ar)
                )[:120],
                unit_price=product.price or 0,
                quantity=1,
            )
            order_states.record_opening(order, actor_label="buyer", reason="ordered on the site")
        return order

    def open_session(self, order: Order) -> None:
        """The payment page the buyer is sent to, opened at the provider and kept on the order
        as the checkout's outbox step keeps it."""
        self.known_to_provider(order.payment_account_ref)
        session = self.provider.create_payment_session(
            account_ref=order.payment_account_ref,
            amount_minor=order.items_total,
            reference=order.public_id,
            description=f"{order.shop_name} #{order.public_id}"[:200],
            # The in-memory provider never sends anyone back: the site's address will do.
            return_url=order_settings.BASE_URL + "/",
            cancel_url=order_settings.BASE_URL + "/",
            idempotency_key=f"demo-session-{order.buyer_token_hash[:32]}",
        )
        order_payments.record_session(order.pk, session, actor_label="payment provider")

    def pay(self, order: Order, card: str) -> None:
        session_ref = Order.objects.values_list("payment_session_ref", flat=True).get(pk=order.pk)
        self.deliver(self.provider.pay(session_ref, card))

    def refund(self, order: Order) -> None:
        """The refund step the cancellation queued, run as a worker runs it, then settled."""
        step = OrderStep.objects.get(order=order, kind=OrderStepKind.REFUND)
        order_outbox.run_step(step.pk)
        refund_ref = Order.objects.values_list("refund_ref", flat=True).get(pk=order.pk)
        self.deliver(self.provider.settle_refund(refund_ref))

    def deliver(self, webhook: SignedWebhook) -> None:
        """The provider's webhook, verified with its signature and applied to the order."""
        event = get_backend("payments").parse_payment_webhook(webhook.body, webhook.headers)
        if event.type.startswith("dispute."):
            order_disputes.apply_event(event)
        else:
            order_payments.apply_event(event)

    def known_to_provider(self, account_ref: str) -> None:
        """The seller's account at the in-memory provider, which forgets it when the process
        ends: a demo loaded again in a new process finds her active account there again."""
        with self.provider.store.lock:
            self.provider.store.accounts.setdefault(
                account_ref,
                {
                    "id": account_ref,
                    "object": "account",
                    "status": AccountStatus.ACTIVE.value,
                    "requirements": [],
                    "business_name": self.seller.title,
                    "metadata": {},
                    "created": 0,
                    "updated": 0,
                    "version": 1,
                },
            )
