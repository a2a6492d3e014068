"""A buyer's basket: a few products of one seller, kept in a signed cookie until she orders.

The buyer has no account, and the public pages are cached for anonymous visitors, so the basket
is not kept in a session (which would set a cookie on every visitor's first page). It is a
cookie of its own, set only when she adds something, signed (a changed cookie reads as an empty
basket, with a message) and compact: the seller's id and up to :data:`MAX_LINES` pairs of a
product's public id and a quantity. Prices, titles and stock are never kept in it: each page
reads them afresh. The public pages never read it, so they stay the same for every visitor.

One basket holds one seller's products, because one order is paid to one seller: adding a
product of another seller asks first whether to empty the basket for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .models import SellerProfilePage, selling
from .order_checkout import Line, stock_error
from .order_conf import order_settings
from .product_models import Product, ProductStatus

COOKIE = "maalem_basket"
SALT = "maalem.marketplace.basket"
#: Products one basket holds at most.
MAX_LINES = 10
#: Seconds a basket is kept in the buyer's browser.
MAX_AGE = 30 * 24 * 3600
PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


@dataclass
class Basket:
    """The seller's id and the (public id, quantity) pairs, in the order they were added."""

    seller_id: int | None = None
    lines: list[tuple[str, int]] = field(default_factory=list)
    #: The cookie was there but could not be read (changed, too old, or malformed).
    unreadable: bool = False

    def quantity_of(self, public_id: str) -> int:
        return dict(self.lines).get(public_id, 0)

    def put(self, seller_id: int, public_id: str, quantity: int) -> None:
        """Set the quantity of a product (adding its line at the end if new)."""
        if self.seller_id != seller_id:
            self.seller_id, self.lines = seller_id, []
        for index, (known, _old) in enumerate(self.lines):
            if known == public_id:
                self.lines[index] = (public_id, quantity)
                return
        self.lines.append((public_id, quantity))

    def remove(self, *public_ids: str) -> None:
        self.lines = [line for line in self.lines if line[0] not in public_ids]
        if not self.lines:
            self.seller_id = None


def dumps(basket: Basket) -> str:
    payload = {"s": basket.seller_id, "l": [[pid, qty] for pid, qty in basket.lines]}
    return signing.dumps(payload, salt=SALT, compress=True)


def loads(value: str) -> Basket:
    """The basket a cookie holds; an empty, ``unreadable`` one if it was changed or is wrong."""
    try:
        payload = signing.loads(value, salt=SALT, max_age=MAX_AGE)
        seller_id, raw = payload["s"], payload["l"]
        if not isinstance(seller_id, int) or not isinstance(raw, list) or len(raw) > MAX_LINES:
            raise ValueError(payload)
        lines = []
        for public_id, quantity in raw:
            if not isinstance(public_id, str) or not PUBLIC_ID.match(public_id):
                raise ValueError(public_id)
            if not isinstance(quantity, int) or not 1 <= quantity <= order_settings.MAX_QUANTITY:
                raise ValueError(quantity)
            lines.append((public_id, quantity))
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        return Basket(unreadable=True)
    return Basket(seller_id, lines) if lines else Basket()


def read(request: HttpRequest) -> Basket:
    value = request.COOKIES.get(COOKIE)
    return loads(value) if value else Basket()


def write(response: HttpResponse, basket: Basket) -> None:
    """Keep the basket in the buyer's browser; an empty one removes the cookie."""
    if not basket.lines:
        response.delete_cookie(COOKIE, samesite="Lax")
        return
    response.set_cookie(
        COOKIE,
        dumps(basket),
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


@dataclass(frozen=True)
class BasketLine:
    """A line of the basket as its page shows it, with what is wrong with it if anything."""

    product: Product
    quantity: int
    error: str = ""

    @property
    def total(self) -> int:
        return (self.product.price or 0) * self.quantity

    @property
    def as_line(self) -> Line:
        return Line(self.product, self.quantity)


@dataclass
class Contents:
    """The basket's orderable lines, and the products it held that can no longer be ordered."""

    seller: SellerProfilePage | None = None
    lines: list[BasketLine] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)

    @property
    def ready(self) -> bool:
        return bool(self.lines) and not any(line.error for line in self.lines)


def orderable_products(seller_id: int, public_ids: list[str]) -> dict[str, Product]:
    """The products of ``public_ids`` a buyer may order now (as :func:`orderable` says)."""
    found = Product.objects.filter(
        public_id__in=public_ids,
        status=ProductStatus.LIVE,
        price__gt=0,
        seller_id=seller_id,
        seller__live=True,
        seller__in=SellerProfilePage.objects.filter(selling()),
    ).select_related("seller__case")
    return {product.public_id: product for product in found}


def contents(basket: Basket) -> Contents:
    """Read the basket's products afresh: prices, stock, and whether each is still for sale.

    A product that is no longer for sale is named in ``gone`` (and should be dropped from the
    basket); a line that asks for more than is left carries the form's message.
    """
    if basket.seller_id is None or not basket.lines:
        return Contents()
    public_ids = [public_id for public_id, _quantity in basket.lines]
    products = orderable_products(basket.seller_id, public_ids)
    result = Contents()
    for public_id, quantity in basket.lines:
        product = products.get(public_id)
        if product is None:
            result.gone.append(public_id)
            continue
        result.seller = product.seller
        error = stock_error(product, quantity)
        message = error.message % error.params if error is not None and error.params else ""
        result.lines.append(BasketLine(product, quantity, str(message)))
    return result


def gone_titles(public_ids: list[str]) -> list[str]:
    """The names of products no longer for sale, as the buyer knew them (if they still exist)."""
    titles = {p.public_id: p.title for p in Product.objects.filter(public_id__in=public_ids)}
    return [titles.get(public_id) or _("A product") for public_id in public_ids]
