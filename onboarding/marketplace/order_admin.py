"""The operators' list of orders: newest first, filtered by state, refunds, disputes, shop and date,
searched by order number, exported without the buyer's personal data.

Orders are made by buyers and moved by the state machine, never typed in: the listing offers no
add, edit or delete. The viewset also serves the order page (:mod:`.order_admin_page`) and its
refund action (:mod:`.order_admin_actions`) and the evidence for a dispute (:mod:`.dispute_admin`).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from maalem.core.exports import SafeSpreadsheetExportMixin
from maalem.core.pagination import CappedCountPaginator

from .dispute_admin import DISPUTE_CHOICES, EvidenceView, dispute_filter
from .order_admin_actions import RefundView
from .order_admin_page import OrderInspectView
from .order_models import Order, OrderState
from .prices import price_text

#: Who may see orders, refund them, and see who bought (see docs/marketplace.md).
VIEW_PERMISSION = "maalem_marketplace.view_order"
OPERATOR_CODENAMES = ["view_order", "change_order", "view_buyer_details"]

REFUND_CHOICES = [
    ("to_refund", gettext_lazy("Cancelled after payment, refund pending")),
    ("refunded", gettext_lazy("Refunded")),
    ("any", gettext_lazy("Any cancelled or refunded order")),
]


def refund_filter(queryset: QuerySet[Order], name: str, value: str) -> QuerySet[Order]:
    """Orders whose money goes back to the buyer: pending (cancelled once paid) or done."""
    to_refund = Q(state=OrderState.CANCELLED) & ~Q(payment_ref="")
    refunded = Q(state=OrderState.REFUNDED)
    wanted = {"to_refund": to_refund, "refunded": refunded}.get(
        value, Q(state__in=[OrderState.CANCELLED, OrderState.REFUNDED])
    )
    return queryset.filter(wanted)


class OrderFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"), choices=OrderState.choices, empty_label=gettext_lazy("All")
    )
    refunds = django_filters.ChoiceFilter(
        label=gettext_lazy("Refunds"),
        choices=REFUND_CHOICES,
        empty_label=gettext_lazy("All"),
        method=refund_filter,
    )
    disputes = django_filters.ChoiceFilter(
        label=gettext_lazy("Disputes"),
        choices=DISPUTE_CHOICES,
        empty_label=gettext_lazy("All"),
        method=dispute_filter,
    )
    # Typed, not a list of every shop: there are tens of thousands of sellers.
    shop = django_filters.CharFilter(
        label=gettext_lazy("Shop"), field_name="shop_name", lookup_expr="icontains"
    )
    seller = django_filters.NumberFilter(label=gettext_lazy("Seller page id"))
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Ordered"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Order
        fields = ["state", "refunds", "disputes", "shop", "seller", "created_at"]


def order_title(order: Order) -> str:
    return _("Order %(number)s") % {"number": order.public_id}


def order_total(order: Order) -> str:
    return price_text(order.items_total)


def shop_url(order: Order) -> str | None:
    """The list of the shop's orders: the seller filter on this order's seller."""
    if order.seller_id is None:
        return None
    return reverse("marketplace_order:index") + f"?seller={order.seller_id}"


class ShopColumn(Column):
    cell_template_name = "marketplace/admin/order_shop_cell.html"

    def get_cell_context_data(self, instance: Any, parent_context: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_cell_context_data(instance, parent_context)
        context["url"] = shop_url(instance)
        return context


class OrderIndexView(SafeSpreadsheetExportMixin, generic.IndexView):
    any_permission_required = ["view"]
    # Filtered lists of a big table: counted up to a cap, never the whole table.
    paginator_class = CappedCountPaginator

    def get_base_queryset(self) -> QuerySet[Order]:
        # The columns of the list and of the export: never the encrypted buyer's fields.
        return Order.objects.only(
            "pk",
            "public_id",
            "seller_id",
            "shop_name",
            "state",
            "items_total",
            "fee",
            "net",
            "currency",
            "payment_ref",
            "refund_ref",
            "created_at",
            "paid_at",
        )


class OrderViewSet(ModelViewSet):
    model = Order
    icon = "list-ul"
    menu_label = gettext_lazy("Orders")
    menu_order = 330
    add_to_admin_menu = True
    url_prefix = "marketplace/orders"
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = OrderIndexView
    inspect_view_class = OrderInspectView
    form_fields: list[str] = []
    # The buyer's name and phone are encrypted: orders are searched by their number.
    search_fields = ["public_id"]
    search_backend_name = None
    filterset_class = OrderFilterSet
    ordering = ["-created_at", "-pk"]
    list_display = [
        TitleColumn(
            "public_id",
            label=gettext_lazy("Order number"),
            accessor=order_title,
            get_url=lambda order: reverse("marketplace_order:inspect", args=[order.pk]),
        ),
        ShopColumn("shop_name", label=gettext_lazy("Shop")),
        Column("state", label=gettext_lazy("State"), accessor="get_state_display"),
        Column("items_total", label=gettext_lazy("Total"), accessor=order_total),
        DateColumn("created_at", label=gettext_lazy("Ordered")),
    ]
    # No personal data: the export leaves the admin and ends up in mailboxes and spreadsheets.
    list_export = [
        "public_id",
        "state",
        "shop_name",
        "seller_id",
        "items_total",
        "fee",
        "net",
        "currency",
        "payment_ref",
        "refund_ref",
        "created_at",
        "paid_at",
    ]
    export_headings = {
        "public_id": gettext_lazy("Order number"),
        "state": gettext_lazy("State"),
        "shop_name": gettext_lazy("Shop"),
        "seller_id": gettext_lazy("Seller page id"),
        "items_total": gettext_lazy("Items (centimes)"),
        "fee": gettext_lazy("Provider fee (centimes)"),
        "net": gettext_lazy("Net to the seller (centimes)"),
        "currency": gettext_lazy("Currency"),
        "payment_ref": gettext_lazy("Payment reference"),
        "refund_ref": gettext_lazy("Refund reference"),
        "created_at": gettext_lazy("Ordered"),
        "paid_at": gettext_lazy("Paid"),
    }
    export_filename = "marketplace-orders"

    def get_permissions_to_register(self) -> QuerySet[Permission]:
        # Listed in Wagtail's group editor: seeing orders, refunding them (change), and seeing
        # who bought. Adding and deleting orders is never allowed.
        content_type = ContentType.objects.get_for_model(Order)
        return Permission.objects.filter(content_type=content_type, codename__in=OPERATOR_CODENAMES)

    def get_urlpatterns(self) -> list[Any]:
        refund: URLPattern = path("<int:pk>/refund/", RefundView.as_view(), name="refund")
        evidence: URLPattern = path(
            "<int:pk>/disputes/<int:dispute_pk>/evidence/",
            EvidenceView.as_view(),
            name="dispute_evidence",
        )
        return [*super().get_urlpatterns(), refund, evidence]
