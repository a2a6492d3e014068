"""The buyer's basket: add a product, change or remove a line, and order the whole basket.

No account and no JavaScript: each change is a small form that posts and comes back to the
basket's page. The "Add to basket" form sits on the product's public page, which is cached for
anonymous visitors and so carries no CSRF token (its cookie would make the page private): the
add view checks instead that the form was posted from this site (the browser's
``Sec-Fetch-Site``, else its ``Origin``); a browser that sends neither is asked to confirm on a
page with a token. The basket's page is private, like the order form.
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from maalem.core.ratelimit import hit

from ..providers import get_backend
from . import basket as baskets
from . import order_checkout
from .basket import Basket
from .order_checkout import BuyerForm, OutOfStock, quantity_field, stock_error
from .order_views import ORDER_RATE, private

logger = logging.getLogger(__name__)


class QuantityForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quantity"] = quantity_field()


def _from_this_site(request: HttpRequest) -> bool:
    """Whether the browser says the form was posted from one of this site's pages."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    return origin == f"{request.scheme}://{request.get_host()}" or origin in getattr(
        settings, "CSRF_TRUSTED_ORIGINS", []
    )


def _token_checked(request: HttpRequest) -> bool:
    """Django's own CSRF check, for a form posted with a token (the confirmation page's)."""

    def view(_request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    middleware = CsrfViewMiddleware(view)
    middleware.process_request(request)
    return middleware.process_view(request, view, (), {}) is None


def basket_url(**query: str) -> str:
    url = reverse("marketplace_orders:basket")
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def show(
    request: HttpRequest,
    basket: Basket,
    *,
    notices: list[str] | None = None,
    form: BuyerForm | None = None,
    status: int = 200,
    wrong: dict[str, str] | None = None,
) -> HttpResponse:
    """The basket's page; products no longer for sale are dropped (and named) on the way."""
    notices = list(notices or [])
    if basket.unreadable:
        notices.append(_("We could not read your basket, so it is empty now. Sorry!"))
    found = baskets.contents(basket)
    if found.gone:
        for title in baskets.gone_titles(found.gone):
            notices.append(
                _("%(product)s is no longer for sale: we took it out of your basket.")
                % {"product": title}
            )
        basket.remove(*found.gone)
    if form is None:
        form = BuyerForm()
    form.describe_fields()
    added = request.GET.get("added", "")
    rows = _rows(found, wrong or {})
    context = {
        "basket": found,
        "form": form,
        "notices": notices,
        "added": next((line for line in found.lines if line.product.public_id == added), None),
        "max_quantity": baskets.order_settings.MAX_QUANTITY,
        "seller_url": _seller_url(found.seller, request),
        "rows": rows,
        "problems": bool(notices or form.errors) or any(row["error"] for row in rows),
    }
    response = render(request, "marketplace/orders/basket.html", context, status=status)
    if origins := get_backend("payments").hosted_page_origins():
        response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
    if basket.unreadable or found.gone:
        baskets.write(response, basket)
    return private(response, referrer="same-origin")


def _rows(found: baskets.Contents, wrong: dict[str, str]) -> list[dict[str, Any]]:
    """Each line with its message and the quantity its field shows: what she typed, when it
    was refused (``wrong``), else what the basket holds."""
    rows = []
    for line in found.lines:
        row = {"line": line, "error": line.error, "value": str(line.quantity)}
        if wrong.get("public_id") == line.product.public_id:
            row.update(error=wrong["message"], value=wrong["value"])
        rows.append(row)
    return rows


def _seller_url(seller: Any, request: HttpRequest) -> str:
    if seller is None:
        return ""
    language = (get_language() or "ar")[:2]
    return seller.url_in_language(language, request) or seller.get_url(request) or ""


@csrf_exempt
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest, public_id: str) -> HttpResponse:
    """Add some pieces of a product to the basket (posted from the product's page)."""
    if request.method == "GET":
        return private(redirect(basket_url()))
    basket = baskets.read(request)
    product = order_checkout.orderable_by_id(public_id)
    if product is None:
        notice = _("This product is not for sale any more, so it was not added to your basket.")
        return show(request, basket, notices=[notice], status=404)
    confirmed = request.POST.get("confirm") == "1"
    if not _from_this_site(request) and not (confirmed and _token_checked(request)):
        return _confirm(request, product, request.POST.get("quantity", "1"), replace=False)
    form = QuantityForm(request.POST)
    if not form.is_valid():
        notice = f"{product.title}: {form.errors['quantity'][0]}"
        return show(request, basket, notices=[notice], status=400)
    if basket.lines and basket.seller_id != product.seller_id:
        # Another seller's products, still for sale, go only once she says so.
        if request.POST.get("replace") != "1" and baskets.contents(basket).lines:
            return _confirm(request, product, str(form.cleaned_data["quantity"]), replace=True)
        basket = Basket()
    if product.public_id not in dict(basket.lines) and len(basket.lines) >= baskets.MAX_LINES:
        notice = _(
            "Your basket holds at most %(count)s products. Order them first, then add more."
        ) % {"count": baskets.MAX_LINES}
        return show(request, basket, notices=[notice], status=400)
    quantity = basket.quantity_of(product.public_id) + form.cleaned_data["quantity"]
    problem = _quantity_problem(product, quantity)
    if problem:
        return show(request, basket, notices=[f"{product.title}: {problem}"], status=400)
    basket.put(product.seller_id, product.public_id, quantity)
    response = private(HttpResponseRedirect(basket_url(added=product.public_id)))
    response.status_code = 303
    baskets.write(response, basket)
    return response


def _quantity_problem(product: Any, quantity: int) -> str:
    limit = baskets.order_settings.MAX_QUANTITY
    if quantity > limit:
        return _("You can order at most %(limit_value)s at once.") % {"limit_value": limit}
    error = stock_error(product, quantity)
    return str(error.message % error.params) if error is not None else ""


def _confirm(request: HttpRequest, product: Any, quantity: str, *, replace: bool) -> HttpResponse:
    """Ask before adding: when the form came from elsewhere, or the basket holds another
    seller's products (which adding this one would take out)."""
    basket = baskets.read(request)
    found = baskets.contents(basket)
    context = {
        "product": product,
        "quantity": quantity if quantity.isdigit() else "1",
        "replace": replace,
        "other_shop": found.seller.title if found.seller else "",
    }
    response = render(request, "marketplace/orders/basket_confirm.html", context)
    return private(response, referrer="same-origin")


@require_http_methods(["GET", "POST"])
def line(request: HttpRequest, public_id: str) -> HttpResponse:
    """Change how many of a product the basket holds, or take it out."""
    if request.method == "GET":
        return private(redirect(basket_url()))
    basket = baskets.read(request)
    if "remove" in request.POST or public_id not in dict(basket.lines):
        basket.remove(public_id)
    else:
        form = QuantityForm(request.POST)
        product = baskets.orderable_products(basket.seller_id or 0, [public_id]).get(public_id)
        if product is not None:
            problem = "" if form.is_valid() else str(form.errors["quantity"][0])
            if not problem:
                problem = _quantity_problem(product, form.cleaned_data["quantity"])
            if problem:
                typed = str(request.POST.get("quantity", ""))[:20]
                wrong = {"public_id": public_id, "message": problem, "value": typed}
                return show(request, basket, wrong=wrong, status=400)
            basket.put(product.seller_id, public_id, form.cleaned_data["quantity"])
    response = private(HttpResponseRedirect(basket_url()))
    response.status_code = 303
    baskets.write(response, basket)
    return response


@require_http_methods(["GET", "POST"])
def basket_page(request: HttpRequest) -> HttpResponse:
    """The basket; posted, the whole basket is ordered and the buyer sent to pay."""
    basket = baskets.read(request)
    if request.method == "GET":
        return show(request, basket)
    form = BuyerForm(request.POST)
    limited = hit(request, "marketplace.order", ORDER_RATE)
    if limited is not None:
        form.add_error(
            None,
            _("Too many orders from this connection. Try again in %(minutes)s minutes.")
            % {"minutes": limited.wait_minutes},
        )
        return show(request, basket, form=form, status=429)
    found = baskets.contents(basket)
    if not form.is_valid() or not found.ready or found.gone:
        if not found.lines:
            form.add_error(None, _("Your basket is empty: add a product first."))
        return show(request, basket, form=form, status=400)
    try:
        placed = order_checkout.place_order(
            [line.as_line for line in found.lines], form.cleaned_data
        )
    except OutOfStock as short:
        notice = _("Sorry, %(product)s has just sold out. Nothing was ordered.") % {
            "product": short.product.title
        }
        return show(request, basket, notices=[notice], form=form, status=400)
    hosted_url = order_checkout.open_payment(placed)
    if hosted_url:
        response = HttpResponseRedirect(hosted_url)
    else:
        response = redirect("marketplace_orders:order", token=placed.token)
    baskets.write(response, Basket())
    return private(response)
