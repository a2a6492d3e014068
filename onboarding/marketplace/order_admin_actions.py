"""An operator refunds an order: it is cancelled through the state machine, which gives the
pieces back and opens the refund step; the order becomes ``refunded`` when the provider has paid
the money back.

A POST from a confirmation page that asks why, behind ``maalem_marketplace.change_order``; the
reason goes into the order's timeline with the operator's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalem.core.confirm import ConfirmView

from . import order_states
from .order_models import Order, OrderState

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REFUND_PERMISSION = "maalem_marketplace.change_order"
#: The states from which an operator may refund: paid, not yet shipped.
REFUNDABLE_STATES = frozenset({OrderState.PAID, OrderState.ACCEPTED})


def refund(order_id: int, operator: Any, reason: str) -> Order:
    """Cancel a paid order so that the buyer gets her money back; the state machine refuses it
    (:class:`order_states.InvalidTransition`) once the order has moved on."""
    order = Order.objects.only("payment_ref").get(pk=order_id)
    if not order.payment_ref:
        raise order_states.InvalidTransition(_("the order was never paid: nothing to refund."))
    return order_states.transition(
        order_id,
        OrderState.CANCELLED,
        actor=operator,
        actor_label="operator",
        reason=reason,
        expected_from=REFUNDABLE_STATES,
    )


class RefundView(ConfirmView):
    """The refund's confirmation page (GET) and the refund itself (POST)."""

    header_icon = "list-ul"
    permission = REFUND_PERMISSION
    destructive = True
    reason_help_text = gettext_lazy("Recorded in the order's timeline with your name.")
    refused_by = (order_states.InvalidTransition,)

    def get_object(self) -> Order:
        return get_object_or_404(Order, pk=self.kwargs["pk"])

    def get_page_title(self) -> str:
        return _("Refund order %(number)s") % {"number": self.object.public_id}

    def get_summary(self) -> list[tuple[StrOrPromise, Any]]:
        return [
            (_("Order number"), self.object.public_id),
            (_("Shop"), self.object.shop_name),
            (_("State"), self.object.get_state_display()),
        ]

    def get_explanation(self) -> StrOrPromise:
        return _(
            "The order is cancelled, its pieces go back on sale, and the buyer's whole payment is "
            "refunded by the payment provider. This cannot be undone."
        )

    def get_submit_label(self) -> StrOrPromise:
        return _("Refund")

    def perform(self, reason: str) -> None:
        refund(self.object.pk, self.request.user, reason)

    def get_success_message(self) -> StrOrPromise:
        return _("Order cancelled: the refund is on its way to the buyer.")

    def get_refusal_message(self, error: Exception) -> str:
        return _("The order was not changed: %(error)s") % {"error": error}

    def get_success_url(self) -> str:
        return reverse("marketplace_order:inspect", args=[self.object.pk])
