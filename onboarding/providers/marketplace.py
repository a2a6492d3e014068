"""Marketplace backends: where a seller's profile is published."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from .base import AccountStatus, MarketplaceBackend


class LocalMarketplaceBackend(MarketplaceBackend):
    """The marketplace inside this site: one ``SellerProfile`` per case.

    The profile is a draft until the case's payment account is active, then live. The reference
    is ``seller-<case id>``, the same on every call, so a retried step finds its own profile.
    """

    def create_or_update_seller(self, case: Any) -> str:
        from ..models import SellerProfile, SellerStatus

        reference = f"seller-{case.pk}"
        status = (
            SellerStatus.LIVE
            if case.payment_account_status == AccountStatus.ACTIVE
            else SellerStatus.DRAFT
        )
        try:
            with transaction.atomic():
                profile, created = SellerProfile.objects.get_or_create(
                    case_id=case.pk, defaults={"reference": reference, "status": status}
                )
        except IntegrityError:
            # Two runs of the step created it together; the other one won.
            profile, created = SellerProfile.objects.get(case_id=case.pk), False
        if not created and profile.status != status:
            profile.status = status
            profile.save(update_fields=["status", "updated_at"])
        return profile.reference
