"""The buyer's pages: the order form of a product, and her order's page behind its secret link.

No account and no JavaScript: the form posts, the buyer is sent to the provider's payment page,
and comes back to her order's page, which refreshes itself (a meta refresh) while it waits for
the payment page or the payment. The order's page is found by the digest of the link's token;
it is never cached, never indexed, and sends no referrer to the links it holds.
"""

from __future__ import annotations

import logging
import re

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maalem.core.ratelimit import hit

from ..providers import get_backend
from ..providers.base import ProviderError, ProviderRejected
from . import order_checkout, order_disputes, order_payments
from .order_checkout import OrderForm, OutOfStock
from .order_models import Order, OrderState, token_digest

logger = logging.getLogger(__name__)

#: Orders one address may place per hour: enough for a family, not for a script.
ORDER_RATE = (10, 3600)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
S = OrderState


def private(response: HttpResponse, referrer: str = "no-referrer") -> HttpResponse:
    """Headers of a page only its link's holder may see.

    A page that holds a form says ``same-origin`` instead of ``no-referrer``: under
    ``no-referrer`` browsers send ``Origin: null`` with the form's POST, which the CSRF check
    refuses. ``same-origin`` still sends the address to this site alone.
    """
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = referrer
    return response


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, public_id: str) -> HttpResponse:
    """The order form of one product; posted, the order is placed and the buyer sent to pay."""
    product = order_checkout.orderable_by_id(public_id)
    if product is None:
        raise Http404
    form = OrderForm(request.POST if request.method == "POST" else None, product=product)
    status = 200
    if request.method == "POST":
        limited = hit(request, "marketplace.order", ORDER_RATE)
        if limited is not None:
            form.add_error(
                None,
                _("Too many orders from this connection. Try again in %(minutes)s minutes.")
                % {"minutes": limited.wait_minutes},
            )
            status = 429
        elif form.is_valid():
            try:
                placed = order_checkout.place_order(form.lines(), form.cleaned_data)
            except OutOfStock:
                form.add_error("quantity", order_checkout.SOLD_OUT)
            else:
                hosted_url = order_checkout.open_payment(placed)
                if hosted_url:
                    return HttpResponseRedirect(hosted_url)
                return redirect("marketplace_orders:order", token=placed.token)
        if status == 200:
            status = 400
    form.describe_fields()
    context = {"form": form, "product": product, "seller": product.seller}
    response = render(request, "marketplace/orders/checkout.html", context, status=status)
    # Sending the form is answered by a redirect to the provider's hosted page, which the
    # browser checks against this page's form-action: the provider's origins join the site's.
    if origins := get_backend("payments").hosted_page_origins():
        response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
    return private(response, referrer="same-origin")


def _order_of(token: str) -> Order:
    if not TOKEN.match(token):
        raise Http404
    order = Order.objects.filter(buyer_token_hash=token_digest(token)).first()
    if order is None:
        raise Http404
    return order


def _check_return(order: Order, request: HttpRequest) -> Order:
    """Back from the payment page: ask the provider at once rather than wait for its webhook."""
    if order.state != S.PENDING_PAYMENT or not order.payment_session_ref:
        return order
    if request.GET.get("session_id") != order.payment_session_ref:
        return order
    try:
        session = get_backend("payments").get_payment_session(order.payment_session_ref)
    except (ProviderError, ProviderRejected) as failure:
        logger.warning("order %s: payment not checked on return: %s", order.public_id, failure)
        return order
    order_payments.apply_session(order.pk, session, actor_label="buyer's return")
    return Order.objects.get(pk=order.pk)


def order_page(request: HttpRequest, token: str) -> HttpResponse:
    order = _check_return(_order_of(token), request)
    items = list(order.items.all())
    events = order_disputes.state_events(order)
    waiting = order.state == S.PENDING_PAYMENT
    context = {
        "order": order,
        "items": items,
        "events": events,
        "token": token,
        "refresh": waiting and not order.hosted_url,
        "can_pay": waiting and bool(order.hosted_url),
        "left_payment": waiting and "cancelled" in request.GET,
        "next_step": next_step(order.state),
    }
    response = private(render(request, "marketplace/orders/order.html", context))
    if context["refresh"]:
        # Reloads the page without JavaScript (an HTTP header rather than a <meta> element,
        # which screen readers announce as a page that changes on its own).
        response["Refresh"] = "5"
    return response


@require_http_methods(["GET", "POST"])
def cancel_unpaid(request: HttpRequest, token: str) -> HttpResponse:
    """The buyer gives up an order she has not paid (asked first); its pieces go back on sale.

    The question is a page of its own: the order page sends no referrer, so a form on it would
    post ``Origin: null``."""
    order = _order_of(token)
    back = reverse("marketplace_orders:order", kwargs={"token": token})
    if order.state != S.PENDING_PAYMENT:
        return private(redirect(back))
    if request.method == "POST":
        if order_payments.abandon(order.pk, reason="the buyer cancelled", actor_label="buyer"):
            logger.info("order %s cancelled by its buyer before payment", order.public_id)
        return private(redirect(back))
    context = {"order": order, "back": back}
    response = render(request, "marketplace/orders/cancel.html", context)
    return private(response, referrer="same-origin")


def next_step(state: str) -> str:
    """What the buyer can expect next, in the active language."""
    texts: dict[str, str] = {
        S.PENDING_PAYMENT: _("Pay for your order to send it to the seller."),
        S.PAID: _("The seller has your order. She will accept it soon; we will text you."),
        S.ACCEPTED: _("The seller is preparing your order. We will text you when it ships."),
        S.SHIPPED: _("Your order is on its way. We will text you when it is delivered."),
        S.DELIVERED: _("Your order was delivered. Thank you for buying from an artisan!"),
        S.CANCELLED: _("This order was cancelled. If you paid, your money is being refunded."),
        S.REFUNDED: _("This order was cancelled and your payment refunded."),
    }
    return texts[state]
