"""The seller page follows its case: offline as soon as the case stops selling (the payment
account restricted or rejected, the case withdrawn...), back online when it is active again.
A withdrawal, and an erasure, also delete the page's published photo and the seller's products.

The case's state changes in :mod:`onboarding.statemachine`, which announces each change with
``case_state_changed`` after its commit; onboarding never imports the marketplace.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from ..models import CaseState
from ..signals import applicant_erased, case_state_changed
from .backend import publish_seller
from .directory import sellers_changed
from .models import SELLING_STATES, SellerProfilePage
from .products import remove_products_of_case
from .shop_photos import delete_shop_photos

logger = logging.getLogger(__name__)


@receiver(case_state_changed, dispatch_uid="marketplace.follow_case_state")
def follow_case_state(sender: Any, case: Any, to_state: str, **kwargs: Any) -> None:
    # Whether a live page sells depends on its case too: the directory's choices may change.
    sellers_changed()
    if to_state == CaseState.ACTIVE:
        page = SellerProfilePage.objects.filter(case=case.pk).only("live").first()
        if page is not None and not page.live:
            # The account is active again: the profile goes back online as it was.
            publish_seller(case)
            logger.info("case %s: seller profile page %s back online", case.pk, page.pk)
        return
    if to_state in SELLING_STATES:
        return
    for page in SellerProfilePage.objects.live().filter(case=case.pk):
        # No "how to pay" on a page whose seller cannot take payments any more.
        page.unpublish()
        logger.info("case %s is %s: seller profile page %s offline", case.pk, to_state, page.pk)
    if to_state == CaseState.WITHDRAWN:
        # She took her consent back: her photo has no public copy any more, and her
        # products, their photos with them, are deleted.
        delete_shop_photos(case.pk)
        remove_products_of_case(case.pk)


@receiver(applicant_erased, dispatch_uid="marketplace.delete_erased_photos")
def delete_erased_photos(sender: Any, case_id: int, **kwargs: Any) -> None:
    delete_shop_photos(case_id)
    remove_products_of_case(case_id)


@receiver(page_published, sender=SellerProfilePage, dispatch_uid="marketplace.seller_published")
@receiver(page_unpublished, sender=SellerProfilePage, dispatch_uid="marketplace.seller_unpublished")
@receiver(post_delete, sender=SellerProfilePage, dispatch_uid="marketplace.seller_deleted")
def forget_directory_choices(sender: Any, **kwargs: Any) -> None:
    """A seller went online or offline: the directory's filters are worked out again."""
    sellers_changed()
