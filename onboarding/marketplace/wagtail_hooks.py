from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks

from lms.courses.navigation import NAVIGATION_LINKS_HOOK

from .models import SellerProfilePage
from .navigation import marketplace_link, my_products_link


@hooks.register("before_copy_page")
def refuse_to_copy_a_seller_profile(request: Any, page: Any) -> Any:
    # A copy would be a second profile for the same case, which the database refuses anyway.
    if issubclass(page.specific_class, SellerProfilePage):
        messages.error(request, _("A seller profile cannot be copied: each seller has one."))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


hooks.register(NAVIGATION_LINKS_HOOK, marketplace_link)
hooks.register(NAVIGATION_LINKS_HOOK, my_products_link)
