"""The seller's orders, on her phone: the list (newest first, paid ones waiting for her first),
one order, and her buttons: accept, mark shipped, mark delivered, cancel (with a refund).

Buttons are POST forms; cancelling asks first. Another seller's order answers as one that does
not exist. Every move goes through :mod:`.order_states`, which refuses what the order's state
does not allow (a second press of a button, an order the buyer cancelled meanwhile).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lms.courses.views import learner_required

from . import order_disputes, order_states, products
from .models import SellerProfilePage
from .order_conf import order_settings
from .order_models import Order, OrderState

S = OrderState

#: The seller's buttons: the URL's action and the state it moves to.
ACTIONS = {
    "accept": S.ACCEPTED,
    "ship": S.SHIPPED,
    "deliver": S.DELIVERED,
    "cancel": S.CANCELLED,
}


def _seller(request: HttpRequest) -> SellerProfilePage:
    seller = products.seller_page_of(request.user)
    if seller is None:
        raise Http404
    return seller


def _own_order(request: HttpRequest, public_id: str) -> Order:
    return get_object_or_404(Order.objects.filter(seller=_seller(request)), public_id=public_id)


@learner_required
@never_cache
def order_list(request: HttpRequest) -> HttpResponse:
    """Her orders, newest first, a page at a time; unpaid ones are not hers to act on yet."""
    seller = _seller(request)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    size = order_settings.PER_PAGE
    start = (page - 1) * size
    rows = list(
        Order.objects.filter(seller=seller)
        .exclude(state=S.PENDING_PAYMENT)
        .order_by("-created_at", "-id")
        .only("public_id", "state", "items_total", "created_at", "shop_name")[
            start : start + size + 1
        ]
    )
    waiting = Order.objects.filter(seller=seller, state=S.PAID).count()
    context = {
        "seller": seller,
        "orders": rows[:size],
        "waiting": waiting,
        "page": page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if len(rows) > size else None,
    }
    return render(request, "marketplace/seller/orders.html", context)


@learner_required
@never_cache
def order_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    order = _own_order(request, public_id)
    if order.state == S.PENDING_PAYMENT:
        raise Http404  # not an order for her until it is paid
    possible = order_states.TRANSITIONS[order.state]
    actions = [
        action
        for action, to in ACTIONS.items()
        if to in possible and order.state in order_states.SELLER_MOVES[to]
    ]
    context = {
        "order": order,
        "items": list(order.items.all()),
        "events": order_disputes.state_events(order),
        "disputes": list(order.disputes.all()),
        "actions": actions,
    }
    return render(request, "marketplace/seller/order.html", context)


DONE = {
    "accept": gettext_lazy("You accepted the order. The buyer gets a text message."),
    "ship": gettext_lazy("The order is marked shipped. The buyer gets a text message."),
    "deliver": gettext_lazy("The order is marked delivered."),
    "cancel": gettext_lazy("The order is cancelled. The buyer's money is being refunded."),
}


@learner_required
@require_POST
def order_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    if action not in ACTIONS or action == "cancel":
        raise Http404
    return _move(request, _own_order(request, public_id), action)


@learner_required
@never_cache
@require_http_methods(["GET", "POST"])
def cancel_order(request: HttpRequest, public_id: str) -> HttpResponse:
    """Asks first (GET), then cancels and refunds (POST)."""
    order = _own_order(request, public_id)
    if order.state not in order_states.SELLER_MOVES[S.CANCELLED]:
        raise Http404
    if request.method == "POST":
        return _move(request, order, "cancel")
    return render(request, "marketplace/seller/order_cancel.html", {"order": order})


def _move(request: HttpRequest, order: Order, action: str) -> HttpResponse:
    to = ACTIONS[action]
    try:
        order_states.transition(
            order.pk,
            to,
            actor=request.user,
            actor_label="seller",
            reason=f"the seller pressed {action}",
            expected_from=tuple(order_states.SELLER_MOVES[to]),
        )
    except order_states.InvalidTransition:
        messages.error(request, _("This order has changed meanwhile: nothing was done."))
    else:
        messages.success(request, str(DONE[action]))
    return redirect("marketplace_seller:order", public_id=order.public_id)
