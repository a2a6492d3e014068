"""What a seller does with her products: the only place that changes them.

Views call these functions after checking who asks (:func:`seller_page_of`). A product for
sale must be complete (:func:`missing_for_sale`); a draft may be anything she typed. Putting a
product on sale makes its photos' public copies; hiding or deleting it deletes them. A
deletion is soft for :data:`DELETED_PRODUCTS_DAYS` days so that she can undo it, then the
daily purge deletes the product and its photos for good.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import CaseState
from .models import SellerProfilePage, selling
from .product_models import Availability, Product, ProductStatus
from .product_photos import publish_photos, unpublish_photos

logger = logging.getLogger(__name__)

#: Days a deleted product can still be brought back before it is deleted for good.
DELETED_PRODUCTS_DAYS = 30


def seller_page_of(user: Any) -> SellerProfilePage | None:
    """The learner's seller page if she is selling (her page live, her account active)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        SellerProfilePage.objects.live()
        .filter(selling(), case__learner_id=user.pk)
        .select_related("craft")
        .first()
    )


def products_of(seller: SellerProfilePage) -> QuerySet[Product]:
    return (
        Product.objects.filter(seller=seller)
        .exclude(status=ProductStatus.DELETED)
        .select_related("craft")
        .prefetch_related("photos")
        .order_by("-updated_at", "-pk")
    )


def missing_for_sale(product: Product) -> dict[str, Any]:
    """What a product lacks to be put on sale, by field: empty when it is complete."""
    missing: dict[str, Any] = {}
    if not (product.title_ar.strip() or product.title_fr.strip()):
        missing["title_ar"] = _("Write the name of the product, in Arabic or in French.")
    if product.price is None:
        missing["price"] = _("Write the price in dirhams.")
    if product.craft_id is None:
        missing["craft"] = _("Choose the craft.")
    return missing


def save_product(product: Product, *, for_sale: bool) -> Product:
    """Save what she typed; put it on sale too if she asked and it is complete (the caller
    has checked :func:`missing_for_sale`). A product on sale that she edits stays on sale."""
    if product.availability == Availability.MADE_TO_ORDER:
        product.quantity = 0
    with transaction.atomic():
        if for_sale and not missing_for_sale(product):
            product.status = ProductStatus.LIVE
            product.published_at = product.published_at or timezone.now()
        elif product.status == ProductStatus.LIVE and missing_for_sale(product):
            product.status = ProductStatus.DRAFT
        product.save()
        if product.status == ProductStatus.LIVE:
            publish_photos(product)
        else:
            unpublish_photos(product)
    logger.info("product %s saved (%s)", product.pk, product.status)
    return product


def hide(product: Product) -> None:
    with transaction.atomic():
        product.status = ProductStatus.HIDDEN
        product.save(update_fields=["status", "updated_at"])
        unpublish_photos(product)
    logger.info("product %s hidden", product.pk)


def show(product: Product) -> bool:
    """Put a hidden product back on sale; ``False`` if it is not complete."""
    if missing_for_sale(product):
        return False
    save_product(product, for_sale=True)
    return True


def delete(product: Product) -> None:
    """Take the product off every page and out of her list; :func:`undelete` brings it back."""
    with transaction.atomic():
        product.status = ProductStatus.DELETED
        product.deleted_at = timezone.now()
        product.save(update_fields=["status", "deleted_at", "updated_at"])
        unpublish_photos(product)
    logger.info("product %s deleted", product.pk)


def undelete(product: Product) -> None:
    """Bring a deleted product back, hidden: she puts it on sale again with one tap."""
    product.status = ProductStatus.HIDDEN
    product.deleted_at = None
    product.save(update_fields=["status", "deleted_at", "updated_at"])
    logger.info("product %s brought back", product.pk)


def remove_products_of_case(case_id: int) -> int:
    """Delete for good every product of the case's seller, with their photos (the photos'
    files go with them, see ``product_photos``). For a withdrawal and an erasure."""
    products = Product.objects.filter(seller__case_id=case_id)
    count = 0
    with transaction.atomic():
        for product in products:
            product.delete()
            count += 1
    if count:
        logger.info("case %s: %s product(s) deleted", case_id, count)
    return count


def purge_deleted(*, dry_run: bool = False) -> dict[str, int]:
    """The retention purger: products deleted longer ago than the undo period."""
    cutoff = timezone.now() - timedelta(days=DELETED_PRODUCTS_DAYS)
    due = Product.objects.filter(status=ProductStatus.DELETED, deleted_at__lt=cutoff)
    if dry_run:
        return {"deleted_products": due.count()}
    count = 0
    for product in due.iterator(chunk_size=200):
        product.delete()  # one by one: each photo's files go with it (see product_photos)
        count += 1
    return {"deleted_products": count}


def stops_selling(case: Any, to_state: str) -> None:
    """A withdrawn seller keeps no product with us."""
    if to_state == CaseState.WITHDRAWN:
        remove_products_of_case(case.pk)
