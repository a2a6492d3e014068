"""A buyer's order from one seller, its lines, its timeline and its outbox.

An order's ``state`` is written only by :mod:`onboarding.marketplace.order_states`; a step's
status only by :mod:`onboarding.marketplace.order_outbox`. The buyer has no account: her link
carries a random token of which only the SHA-256 is stored, and her name and phone number are
encrypted at rest like an applicant's.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..pii import EncryptedPIIField
from .product_models import new_public_id


def new_buyer_token() -> str:
    """A buyer's secret link token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored of a buyer's token: its SHA-256, so a database copy opens no order."""
    return hashlib.sha256(token.encode()).hexdigest()


class OrderState(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", pgettext_lazy("order", "Waiting for payment")
    PAID = "paid", pgettext_lazy("order", "Paid")
    ACCEPTED = "accepted", pgettext_lazy("order", "Accepted by the seller")
    SHIPPED = "shipped", pgettext_lazy("order", "Shipped")
    DELIVERED = "delivered", pgettext_lazy("order", "Delivered")
    CANCELLED = "cancelled", pgettext_lazy("order", "Cancelled")
    REFUNDED = "refunded", pgettext_lazy("order", "Refunded")


class Order(models.Model):
    """One buyer's order from one seller, paid through the seller's merchant account."""

    # A record the workers write many times, not content: no "usage" entry in Wagtail's reference
    # index, which would cost a read and a write at each save once the admin has been loaded.
    wagtail_reference_index_ignore = True

    # The order outlives the seller's page (erasing her data deletes it): the shop's name is
    # copied, and the money's trail stays.
    seller = models.ForeignKey(
        "maalem_marketplace.SellerProfilePage",
        on_delete=models.SET_NULL,
        null=True,
        related_name="orders",
        verbose_name=_("seller"),
    )
    shop_name = models.CharField(_("shop"), max_length=255)
    public_id = models.CharField(
        _("order number"), max_length=20, unique=True, default=new_public_id, editable=False
    )
    buyer_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    #: The token itself, encrypted: the worker puts the buyer's link in her text messages and
    #: in the payment page's way back. Orders are found by the digest, never by this.
    buyer_token = EncryptedPIIField(max_length=500, blank=True, editable=False)
    # Empty (null) once erased, past their retention period (see order_retention).
    buyer_name = EncryptedPIIField(_("buyer's name"), max_length=500, blank=True, null=True)
    buyer_phone = EncryptedPIIField(
        _("buyer's mobile number"), max_length=500, blank=True, null=True
    )
    buyer_language = models.CharField(_("buyer's language"), max_length=10, default="ar")
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=OrderState.choices,
        default=OrderState.PENDING_PAYMENT,
        editable=False,
    )
    currency = models.CharField(max_length=3, default="MAD", editable=False)
    #: All in centimes. ``fee`` is what the provider kept, ``net`` what the seller receives.
    items_total = models.PositiveIntegerField(_("items (centimes)"))
    fee = models.PositiveIntegerField(_("provider fee (centimes)"), default=0)
    net = models.IntegerField(_("net to the seller (centimes)"), default=0)
    payment_account_ref = models.CharField(_("merchant account"), max_length=100, blank=True)
    payment_session_ref = models.CharField(_("payment session"), max_length=100, blank=True)
    hosted_url = models.URLField(_("payment page"), max_length=500, blank=True)
    payment_ref = models.CharField(_("payment"), max_length=100, blank=True)
    refund_ref = models.CharField(_("refund"), max_length=100, blank=True)
    #: Until when the stock is held for an unpaid order; the sweeper re-checks it after that.
    reserved_until = models.DateTimeField(_("stock held until"), null=True, blank=True)
    #: Set once, when the order's reserved stock went back on sale.
    stock_released_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: When the buyer's name and number were erased, past their retention period.
    buyer_erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("ordered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        # Operators may list and refund orders; who bought one is a permission of its own.
        permissions = [("view_buyer_details", "Can see the buyer's name and mobile number")]
        indexes = [
            # The seller's list, newest first; the sweeper's unpaid orders past their hold.
            models.Index(fields=["seller", "-created_at", "-id"], name="order_seller_newest"),
            models.Index(fields=["state", "reserved_until"], name="order_state_reserved"),
            models.Index(fields=["payment_session_ref"], name="order_session"),
            models.Index(fields=["payment_ref"], name="order_payment"),
        ]

    def __str__(self) -> str:
        # Never the buyer's name or phone: this shows up in the admin and in logs.
        return f"Order {self.public_id} ({self.state})"

    def set_token(self) -> str:
        """Give the order a new buyer token; return it (it is stored only as a digest)."""
        token = new_buyer_token()
        self.buyer_token_hash = token_digest(token)
        self.buyer_token = token  # type: ignore[assignment]  # an encrypted str field
        return token


class OrderItem(models.Model):
    """One line of an order: the product as it was sold (its name and price are copied)."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="items", verbose_name=_("order")
    )
    product = models.ForeignKey(
        "maalem_marketplace.Product",
        on_delete=models.SET_NULL,
        null=True,
        related_name="order_items",
        verbose_name=_("product"),
    )
    title = models.CharField(_("name"), max_length=120)
    unit_price = models.PositiveIntegerField(_("unit price (centimes)"))
    quantity = models.PositiveIntegerField(_("quantity"))
    #: Whether the quantity was taken from the product's stock (not for made-to-order pieces).
    reserved = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity


class OrderEvent(models.Model):
    """One line of an order's timeline: a change of state, who or what made it, and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("from"), max_length=20, choices=OrderState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=OrderState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by what"), max_length=50)
    reason = models.CharField(_("why"), max_length=255)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("order event")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["order", "at"], name="order_event_order_at")]

    def __str__(self) -> str:
        return f"{self.from_state or '-'} → {self.to_state}"


class OrderStepKind(models.TextChoices):
    PAYMENT_SESSION = "payment_session", _("Payment session")
    REFUND = "refund", _("Refund")
    SMS_BUYER = "sms_buyer", _("Text message to the buyer")
    SMS_SELLER = "sms_seller", _("Text message to the seller")


class OrderStepStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class OrderStep(models.Model):
    """One external effect of an order, kept as an outbox row until it has succeeded.

    ``about`` is the order state a text message announces ("" for the other kinds): one row,
    so one message, per order, kind and state, however often the change is retried.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=20, choices=OrderStepKind.choices)
    about = models.CharField(max_length=20, blank=True, default="")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrderStepStatus.choices,
        default=OrderStepStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("attempts allowed"))
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)
    external_ref = models.CharField(_("provider reference"), max_length=100, blank=True)
    last_response = models.JSONField(_("last answer"), default=dict, blank=True)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    # Fixed at creation and sent on every attempt: the provider tells a retry from a new request.
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("order step")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind", "about"], name="one_order_step_per_kind_and_state"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="order_step_due")]

    def __str__(self) -> str:
        return f"{self.kind} of order {self.order_id} ({self.status})"
