"""Pieces in stock held for an order: taken when it is placed, given back at most once.

A piece is taken with one conditional UPDATE (``quantity = quantity - n WHERE quantity >= n``):
the database checks and writes under the row's lock, so two buyers of the last piece cannot
both get it, whatever the isolation level. Made-to-order pieces have no stock and hold none.
"""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils import timezone

from .order_models import Order, OrderItem
from .product_models import Availability, Product

logger = logging.getLogger(__name__)


def take(product_id: int, quantity: int) -> bool:
    """Take ``quantity`` pieces of an in-stock product; ``False`` if there are not so many.

    Call it inside the order's transaction, so that a failure later in it gives them back.
    """
    taken = Product.objects.filter(
        pk=product_id, availability=Availability.IN_STOCK, quantity__gte=quantity
    ).update(quantity=F("quantity") - quantity, updated_at=timezone.now())
    return taken == 1


def release(order: Order) -> bool:
    """Give the order's held pieces back to their products, once; ``False`` if already done.

    The order's ``stock_released_at`` is set by a conditional UPDATE in the same transaction:
    a second call (a retried cancel, the sweeper racing a webhook) matches nothing.
    """
    now = timezone.now()
    if Order.objects.filter(pk=order.pk, stock_released_at=None).update(stock_released_at=now) != 1:
        return False
    order.stock_released_at = now
    for item in OrderItem.objects.filter(order=order, reserved=True, product__isnull=False):
        Product.objects.filter(order_items=item).update(
            quantity=F("quantity") + item.quantity, updated_at=now
        )
    logger.info("order %s: its pieces in stock are back on sale", order.public_id)
    return True
