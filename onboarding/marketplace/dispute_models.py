"""A payment dispute (chargeback) on an order, as the provider last served it.

One row per provider dispute id, written only by :mod:`onboarding.marketplace.order_disputes`
(from the dispute re-fetched after each webhook, or the answer to our evidence). The order's
state does not change with it: see docs/marketplace.md, "Disputes".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..pii import EncryptedPIIField
from .order_models import Order


class DisputeStatus(models.TextChoices):
    NEEDS_RESPONSE = "needs_response", pgettext_lazy("dispute", "Waiting for our answer")
    UNDER_REVIEW = "under_review", pgettext_lazy("dispute", "Under review by the bank")
    WON = "won", pgettext_lazy("dispute", "Won: the money stays with the seller")
    LOST = "lost", pgettext_lazy("dispute", "Lost: the money went back to the buyer")


class DisputeReason(models.TextChoices):
    FRAUDULENT = "fraudulent", _("The card holder says she did not make this payment")
    PRODUCT_NOT_RECEIVED = "product_not_received", _("The buyer says she did not receive it")
    PRODUCT_UNACCEPTABLE = "product_unacceptable", _("The buyer says it was not as described")
    DUPLICATE = "duplicate", _("The buyer says she paid twice")
    OTHER = "other", pgettext_lazy("dispute reason", "Another reason")


OPEN_STATUSES = (DisputeStatus.NEEDS_RESPONSE, DisputeStatus.UNDER_REVIEW)


class Dispute(models.Model):
    """A buyer's bank disputing an order's payment: the amount is taken from the seller's
    balance while it is open, given back if it is won."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="disputes", verbose_name=_("order")
    )
    provider_ref = models.CharField(_("dispute reference"), max_length=100, unique=True)
    payment_ref = models.CharField(_("payment"), max_length=100)
    amount = models.PositiveIntegerField(_("amount (centimes)"))
    currency = models.CharField(max_length=3, default="MAD")
    reason = models.CharField(_("reason"), max_length=30, choices=DisputeReason.choices)
    status = models.CharField(_("status"), max_length=20, choices=DisputeStatus.choices)
    evidence_due_by = models.DateTimeField(_("answer due by"), null=True, blank=True)
    # What an operator wrote to the buyer's bank may name the buyer or her address: encrypted
    # like the buyer's name, and erased once the dispute has been closed as long (order_retention).
    evidence = EncryptedPIIField(_("evidence sent"), max_length=5000, blank=True, null=True)
    evidence_sent_at = models.DateTimeField(_("evidence sent on"), null=True, blank=True)
    evidence_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence sent by"),
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment dispute")
        verbose_name_plural = _("payment disputes")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["status", "opened_at"], name="dispute_status_opened")]

    def __str__(self) -> str:
        return f"Dispute {self.provider_ref} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
