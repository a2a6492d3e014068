"""A buyer orders a product: the form, and the order placed in one transaction.

The buyer has no account. :func:`place_order` writes the order, its line, its first timeline row
and its payment-session step, and takes the pieces from stock, all in one transaction: a piece
short, or any error, leaves nothing behind. The session is then opened at once, in the request
(:func:`open_payment`), so the buyer goes straight to the payment page; if the provider does not
answer, the outbox's retries and the sweeper open it later while her order page waits for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from maalem.core.phones import example_phone, normalise_phone

from ..conf import app_settings
from . import order_outbox, order_states, order_stock
from .models import SellerProfilePage, selling
from .order_conf import order_settings
from .order_models import Order, OrderItem, OrderStep, OrderStepKind
from .product_models import Product, ProductStatus

NOT_ENOUGH = _("Only %(left)s left in stock: order %(left)s or fewer.")
SOLD_OUT = _("Sorry, this product has just sold out.")


class LanguageSelect(forms.Select):
    """A choice of languages, each named in itself ("English" on an Arabic page): each option
    says its language, so that a screen reader reads it in that language."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"]["lang"] = option["value"]
        return option


def quantity_field() -> forms.IntegerField:
    """How many pieces of one product: 1 to ``MARKETPLACE_ORDER_MAX_QUANTITY``."""
    limit = order_settings.MAX_QUANTITY
    field = forms.IntegerField(
        label=_("How many?"),
        min_value=1,
        max_value=limit,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        error_messages={
            "required": _("Write how many you want, 1 or more."),
            "invalid": _("Write how many you want as a number, like 1 or 2."),
            "min_value": _("Write how many you want, 1 or more."),
            "max_value": _("You can order at most %(limit_value)s at once."),
        },
    )
    return field


def stock_error(product: Product, quantity: int) -> ValidationError | None:
    """What to tell a buyer who wants ``quantity`` of ``product``, if there are not so many."""
    if product.in_stock and quantity > product.quantity:
        left = product.quantity
        return ValidationError(NOT_ENOUGH if left else SOLD_OUT, params={"left": left})
    return None


def widget_max(product: Product) -> int:
    limit = order_settings.MAX_QUANTITY
    return min(limit, max(product.quantity, 1)) if product.in_stock else limit


class BuyerForm(forms.Form):
    """Who orders: her name and number for the delivery, and the language of her texts."""

    buyer_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        help_text=_("The seller writes it on your parcel."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
        error_messages={"required": _("Write your name, so that the seller knows who orders.")},
    )
    buyer_phone = forms.CharField(
        label=_("Your mobile number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
    )
    buyer_language = forms.ChoiceField(
        label=_("Text messages in"), choices=(), widget=LanguageSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buyer_phone"].help_text = _(
            "We text you the link to your order. For example %(example)s."
        ) % {"example": example_phone()}
        languages = [(code, name) for code, name in settings.LANGUAGES]
        language_field = self.fields["buyer_language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = languages
        self.initial.setdefault("buyer_language", (get_language() or "ar")[:2])

    def clean_buyer_name(self) -> str:
        name = " ".join(self.cleaned_data["buyer_name"].split())
        if not name:
            raise ValidationError(self.fields["buyer_name"].error_messages["required"])
        return name

    def clean_buyer_phone(self) -> str:
        return normalise_phone(self.cleaned_data["buyer_phone"])

    def describe_fields(self) -> None:
        """Point each input at its hint and its error, for screen readers."""
        for name, field in self.fields.items():
            described = [f"id_{name}_hint"] if field.help_text else []
            if name in self.errors:
                described.append(f"id_{name}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class OrderForm(BuyerForm):
    """The order of one product: how many, and who orders."""

    field_order = ["quantity", "buyer_name", "buyer_phone", "buyer_language"]

    def __init__(self, *args: Any, product: Product, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.product = product
        self.fields["quantity"] = quantity = quantity_field()
        # What is left in stock is checked in clean_quantity, with its own message.
        quantity.widget.attrs["max"] = widget_max(product)
        self.order_fields(self.field_order)

    def clean_quantity(self) -> int:
        quantity = int(self.cleaned_data["quantity"])
        if (error := stock_error(self.product, quantity)) is not None:
            raise error
        return quantity

    def lines(self) -> list[Line]:
        return [Line(self.product, int(self.cleaned_data["quantity"]))]


def orderable(seller_id: int, public_id: str) -> Product | None:
    """The product if a buyer may order it now: for sale, with a price, from a seller whose
    payment account is active and whose page is live."""
    return (
        Product.objects.filter(
            public_id=public_id,
            status=ProductStatus.LIVE,
            price__gt=0,
            seller_id=seller_id,
            seller__live=True,
            seller__in=SellerProfilePage.objects.filter(selling()),
        )
        .select_related("seller__case")
        .first()
    )


def orderable_by_id(public_id: str) -> Product | None:
    seller_id = (
        Product.objects.filter(public_id=public_id).values_list("seller_id", flat=True).first()
    )
    return orderable(seller_id, public_id) if seller_id else None


@dataclass(frozen=True)
class Line:
    """Some pieces of one product, as a buyer asks for them."""

    product: Product
    quantity: int


@dataclass(frozen=True)
class Placed:
    order: Order
    token: str
    step: OrderStep


class OutOfStock(Exception):
    """Someone else took the last pieces between the form's check and the order."""

    def __init__(self, product: Product) -> None:
        super().__init__(product.public_id)
        self.product = product


def place_order(lines: list[Line], data: dict[str, Any]) -> Placed:
    """Write the order of ``lines`` (all from one seller) and hold their pieces, in one
    transaction; :class:`OutOfStock` naming the first product short (then nothing is written).

    Pieces are taken in the order of the products' keys, whatever the basket's order, so that
    two orders of the same products lock their rows in the same order and never deadlock.
    """
    if not lines:
        raise ValueError("an order needs at least one line")
    seller = lines[0].product.seller
    if any(line.product.seller_id != seller.pk for line in lines):
        raise ValueError("an order's lines all come from one seller")
    with transaction.atomic():
        order = Order(
            seller=seller,
            shop_name=seller.title,
            buyer_name=data["buyer_name"],
            buyer_phone=data["buyer_phone"],
            buyer_language=data["buyer_language"],
            items_total=sum((line.product.price or 0) * line.quantity for line in lines),
            payment_account_ref=seller.case.payment_account_ref,
            reserved_until=timezone.now() + timedelta(minutes=order_settings.HOLD_MINUTES),
        )
        token = order.set_token()
        order.save()
        for line in sorted(lines, key=lambda line: line.product.pk):
            if line.product.in_stock and not order_stock.take(line.product.pk, line.quantity):
                raise OutOfStock(line.product)
        OrderItem.objects.bulk_create(
            OrderItem(
                order=order,
                product=line.product,
                title=(line.product.title_fr or line.product.title_ar)[:120],
                unit_price=line.product.price or 0,
                quantity=line.quantity,
                reserved=line.product.in_stock,
            )
            for line in lines
        )
        order_states.record_opening(order, actor_label="buyer", reason="ordered on the site")
        # Run in this request just after the commit; the sweeper's if this request dies first.
        step = OrderStep.objects.create(
            order=order,
            kind=OrderStepKind.PAYMENT_SESSION,
            max_attempts=app_settings.MAX_ATTEMPTS,
            next_attempt_at=timezone.now(),
        )
    return Placed(order, token, step)


def open_payment(placed: Placed) -> str:
    """Open the payment session now; the payment page's address, or "" if not yet."""
    order_outbox.run_step(placed.step.pk)
    return Order.objects.filter(pk=placed.order.pk).values_list("hosted_url", flat=True).get()
