"""The operators' order page: the lines and the money, the provider's references, its payment
disputes, the timeline of every move, the outbox steps, and the refund an operator may make.

Who bought (her name and mobile number) is shown only to an operator with the separate
permission ``maalem_marketplace.view_buyer_details``, and every page shown with them is
recorded in ``PrivateFileAccess`` (kind ``order_buyer``), like an applicant's photo: the others
see the order without them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.views import generic

from maalem.core.private_files import record_access

from .dispute_admin import disputes_panel
from .order_admin_actions import REFUND_PERMISSION, REFUNDABLE_STATES
from .order_models import Order, OrderEvent
from .prices import price_text

BUYER_PERMISSION = "maalem_marketplace.view_buyer_details"
#: The kind of the audit rows of a buyer's details shown.
BUYER_ACCESS_KIND = "order_buyer"


def may_refund(user: Any, order: Order) -> bool:
    return (
        order.state in REFUNDABLE_STATES
        and bool(order.payment_ref)
        and user.has_perm(REFUND_PERMISSION)
    )


def timeline_actor(line: OrderEvent) -> str:
    """Who made a move: the operator's or seller's name, or what the label says (buyer,
    payment provider, sweeper...). The buyer has no account, so her name is never here."""
    if line.actor is not None:
        return str(line.actor.get_full_name() or line.actor.get_username())
    return line.actor_label


def buyer_details(request: HttpRequest, order: Order) -> dict[str, str] | None:
    """The buyer's name and phone if this user may see them, the viewing recorded; else None."""
    if not request.user.has_perm(BUYER_PERMISSION):
        return None
    record_access(request, None, granted=True, kind=BUYER_ACCESS_KIND, object_ref=order.public_id)
    return {"name": str(order.buyer_name), "phone": str(order.buyer_phone)}


class OrderInspectView(generic.InspectView):
    template_name = "marketplace/admin/order.html"
    any_permission_required = ["view"]

    def get_page_subtitle(self) -> str:
        return _("Order %(number)s") % {"number": self.object.public_id}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        order: Order = self.object
        items = list(order.items.all())
        context.update(
            {
                "order": order,
                "items": [
                    {
                        "line": item,
                        "unit": price_text(item.unit_price),
                        "total": price_text(item.total),
                    }
                    for item in items
                ],
                "items_total": price_text(order.items_total),
                "fee": price_text(order.fee),
                "net": price_text(order.net),
                "buyer": buyer_details(self.request, order),
                "steps": order.steps.order_by("created_at", "pk"),
                "disputes": disputes_panel(self.request.user, order),
                "timeline": [
                    {"line": line, "by": timeline_actor(line)}
                    for line in order.events.select_related("actor").order_by("at", "pk")
                ],
                "refund_url": (
                    reverse("marketplace_order:refund", args=[order.pk])
                    if may_refund(self.request.user, order)
                    else ""
                ),
            }
        )
        return context
