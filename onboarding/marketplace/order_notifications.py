"""Text messages about an order: to the buyer at each step, to the seller when she is paid and
when a buyer's bank disputes a payment (opened, then won or lost).

Each is sent by one outbox step (:mod:`.order_outbox`), one per order and state, so a retried
change or a duplicate webhook never texts twice. The buyer's message is in the language she
ordered in, with her order's link; the seller's in the language she reads the site in.
"""

from __future__ import annotations

import logging

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maalem.core.languages import language_of
from maalem.core.phones import mask_phone
from maalem.core.sms import SMSNotSent, send_sms

from .order_models import Order, OrderState

logger = logging.getLogger(__name__)

S = OrderState


class NotSent(Exception):
    """The text was not handed over; it may be tried again later."""


def buyer_message(order: Order, state: str) -> str:
    """The buyer's text for ``state``, in the active language, without the link."""
    messages: dict[str, str] = {
        S.PAID: _("%(shop)s received your payment for order %(number)s."),
        S.ACCEPTED: _("%(shop)s accepted your order %(number)s and is preparing it."),
        S.SHIPPED: _("%(shop)s shipped your order %(number)s."),
        S.DELIVERED: _("Your order %(number)s from %(shop)s was delivered. Thank you!"),
        S.CANCELLED: _("%(shop)s cancelled your order %(number)s. Your money will be refunded."),
        S.REFUNDED: _("The payment for your order %(number)s was refunded."),
    }
    return messages[state] % {"shop": order.shop_name, "number": order.public_id}


def text_buyer(order: Order, state: str) -> str:
    """Text the buyer that her order entered ``state``, with its link; return what was done."""
    from .order_payments import buyer_url

    with translation.override(order.buyer_language):
        text = f"{buyer_message(order, state)} {buyer_url(order)}"
    try:
        send_sms(order.buyer_phone, text)
    except SMSNotSent as error:
        raise NotSent(f"text to the buyer of order {order.public_id} not sent: {error}") from None
    logger.info("texted %s about order %s (%s)", mask_phone(order.buyer_phone), order.pk, state)
    return "sent"


def seller_dispute_message(order: Order, about: str) -> str:
    """The seller's text on a dispute's news (``about`` is ``dp<id>:open|won|lost``)."""
    from .dispute_models import Dispute

    dispute_id, _sep, news = about.removeprefix("dp").partition(":")
    dispute = Dispute.objects.filter(pk=int(dispute_id)).first()
    amount = f"{(dispute.amount if dispute else order.items_total) / 100:.2f}"
    messages: dict[str, str] = {
        "open": _(
            "The buyer's bank disputes the payment of order %(number)s: %(amount)s MAD are held "
            "until the bank decides. Open your seller page to see it."
        ),
        "won": _(
            "The bank decided the dispute of order %(number)s for you: the %(amount)s MAD are "
            "back in your balance."
        ),
        "lost": _(
            "The bank decided the dispute of order %(number)s for the buyer: the %(amount)s MAD "
            "went back to her."
        ),
    }
    return messages[news] % {"number": order.public_id, "amount": amount}


def text_seller(order: Order, state: str) -> str:
    """Text the seller that an order is paid and waits for her, or about a dispute (``state``
    is then ``dp<id>:<news>``); return what was done."""
    seller = order.seller
    case = seller.case if seller is not None else None
    applicant = getattr(case, "applicant", None) if case is not None else None
    phone = applicant.phone if applicant is not None else ""
    if case is None or not phone:
        logger.info("no number to text the seller of order %s", order.pk)
        return "no number"
    with translation.override(language_of(case.learner)):
        if state.startswith("dp"):
            text = seller_dispute_message(order, state)
        else:
            count = sum(order.items.values_list("quantity", flat=True))
            text = ngettext(
                "New paid order %(number)s: %(count)s item, %(amount)s MAD. "
                "Open your seller page to accept it.",
                "New paid order %(number)s: %(count)s items, %(amount)s MAD. "
                "Open your seller page to accept it.",
                count,
            ) % {
                "number": order.public_id,
                "count": count,
                "amount": f"{order.items_total / 100:.2f}",
            }
    try:
        send_sms(phone, text)
    except SMSNotSent as error:
        raise NotSent(f"text to the seller of order {order.public_id} not sent: {error}") from None
    logger.info("texted the seller %s about order %s (%s)", mask_phone(phone), order.pk, state)
    return "sent"
