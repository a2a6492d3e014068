from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from lms.courses.navigation import NAVIGATION_LINKS_HOOK
from maalem.core.permissions import ReadOnlyPermissionPolicy

from .models import SellerProfilePage
from .navigation import marketplace_link, my_products_link
from .order_admin import OrderViewSet
from .order_models import Order

# Orders are moved by the state machine only: the admin shows them, and refunds through it.
register_permission_policy(Order, ReadOnlyPermissionPolicy(Order))


@hooks.register("before_copy_page")
def refuse_to_copy_a_seller_profile(request: Any, page: Any) -> Any:
    # A copy would be a second profile for the same case, which the database refuses anyway.
    if issubclass(page.specific_class, SellerProfilePage):
        messages.error(request, _("A seller profile cannot be copied: each seller has one."))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


hooks.register(NAVIGATION_LINKS_HOOK, marketplace_link)
hooks.register(NAVIGATION_LINKS_HOOK, my_products_link)


@hooks.register("register_admin_viewset")
def register_order_admin() -> OrderViewSet:
    # The viewset registers view, change (refund) and view_buyer_details with the
    # register_permissions hook (OrderViewSet.get_permissions_to_register).
    return OrderViewSet("marketplace_order")
