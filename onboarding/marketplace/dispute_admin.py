"""The operators' side of payment disputes: the order list's "Disputes" filter, the order
page's disputes panel, and the evidence an operator sends for a dispute.

Seeing disputes needs what seeing orders needs (``maalem_marketplace.view_order``); answering
one needs ``maalem_marketplace.change_order``, like a refund: a confirmation page asks for the
evidence and why, and the reason goes into the order's timeline with the operator's name. The
evidence is sent straight to the provider with an idempotency key made from the dispute and the
text (:func:`onboarding.marketplace.order_disputes.submit_evidence`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalem.core.confirm import ConfirmView, ReasonForm

from . import order_disputes
from .dispute_models import OPEN_STATUSES, Dispute, DisputeStatus
from .order_models import Order
from .prices import price_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EVIDENCE_PERMISSION = "maalem_marketplace.change_order"
MAX_EVIDENCE = 2000

DISPUTE_CHOICES = [
    ("open", gettext_lazy("Open disputes")),
    ("needs_response", gettext_lazy("Disputes waiting for our answer")),
    ("closed", gettext_lazy("Closed disputes")),
    ("any", gettext_lazy("Any disputed order")),
]


def dispute_filter(queryset: QuerySet[Order], name: str, value: str) -> QuerySet[Order]:
    """Orders with a dispute: open, waiting for an answer, closed, or any."""
    wanted = {
        "open": Q(disputes__status__in=OPEN_STATUSES),
        "needs_response": Q(disputes__status=DisputeStatus.NEEDS_RESPONSE),
        "closed": Q(disputes__status__in=[DisputeStatus.WON, DisputeStatus.LOST]),
    }.get(value, Q(disputes__isnull=False))
    return queryset.filter(pk__in=Order.objects.filter(wanted).values("pk"))


def disputes_panel(user: Any, order: Order) -> list[dict[str, Any]]:
    """The order's disputes as its admin page shows them, each with its evidence link when
    this user may answer it."""
    may_answer = user.has_perm(EVIDENCE_PERMISSION)
    return [
        {
            "dispute": dispute,
            "amount": price_text(dispute.amount),
            "evidence_url": (
                reverse("marketplace_order:dispute_evidence", args=[order.pk, dispute.pk])
                if may_answer and dispute.status == DisputeStatus.NEEDS_RESPONSE
                else ""
            ),
        }
        for dispute in order.disputes.select_related("evidence_by")
    ]


class EvidenceForm(ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"] = forms.CharField(
            label=_("Evidence for the bank"),
            max_length=MAX_EVIDENCE,
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text=_(
                "What shows the payment was right: the shipping and delivery proof, the "
                "messages with the buyer. Sent once to the payment provider."
            ),
        )
        self.order_fields(["evidence", "reason"])


class EvidenceView(ConfirmView):
    """The evidence's confirmation page (GET) and its sending (POST)."""

    header_icon = "list-ul"
    permission = EVIDENCE_PERMISSION
    reason_help_text = gettext_lazy("Recorded in the order's timeline with your name.")
    refused_by = (order_disputes.EvidenceRefused,)
    form: EvidenceForm

    def get_object(self) -> Dispute:
        return get_object_or_404(
            Dispute.objects.select_related("order"),
            pk=self.kwargs["dispute_pk"],
            order_id=self.kwargs["pk"],
        )

    def get_form(self) -> EvidenceForm:
        self.form = EvidenceForm(
            self.request.POST if self.request.method == "POST" else None,
            required=self.reason_required,
            max_length=self.reason_max_length,
            help_text=self.reason_help_text,
        )
        return self.form

    def get_page_title(self) -> str:
        return _("Answer the dispute of order %(number)s") % {"number": self.object.order.public_id}

    def get_summary(self) -> list[tuple[StrOrPromise, Any]]:
        dispute: Dispute = self.object
        return [
            (_("Order number"), dispute.order.public_id),
            (_("Dispute reference"), dispute.provider_ref),
            (_("Reason given"), dispute.get_reason_display()),
            (_("Amount"), price_text(dispute.amount)),
            (_("Status"), dispute.get_status_display()),
            (_("Answer due by"), dispute.evidence_due_by or "—"),
        ]

    def get_explanation(self) -> StrOrPromise:
        return _(
            "The evidence goes to the payment provider, which hands it to the buyer's bank. A "
            "dispute is answered once: it cannot be changed afterwards."
        )

    def get_submit_label(self) -> StrOrPromise:
        return _("Send the evidence")

    def perform(self, reason: str) -> None:
        evidence = self.form.cleaned_data["evidence"]
        order_disputes.submit_evidence(self.object.pk, self.request.user, evidence, reason)

    def get_success_message(self) -> StrOrPromise:
        return _("Evidence sent: the bank is reviewing the dispute.")

    def get_refusal_message(self, error: Exception) -> str:
        return _("Nothing was sent: %(error)s") % {"error": error}

    def get_success_url(self) -> str:
        return reverse("marketplace_order:inspect", args=[self.object.order_id])
