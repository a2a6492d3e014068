"""The buyers' personal data is kept only while it is needed: the daily purge
(``purge_expired_data``) erases the name and number of orders over for
``MARKETPLACE_ORDER_BUYER_DATA_KEPT_DAYS``, and the evidence sent about a dispute (which may
name the buyer) once the dispute has been closed for as long. The order, its amounts and its timeline stay, for the
seller's and the provider's accounts."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from maalem.core.retention import cutoff

from .dispute_models import Dispute
from .order_conf import order_settings
from .order_models import Order, OrderState

S = OrderState

#: An order is over once nothing more can happen to its buyer: delivered, refunded, or cancelled
#: before it was paid.
OVER = Q(state__in=[S.DELIVERED, S.REFUNDED]) | Q(state=S.CANCELLED, payment_ref="")


def purge_buyer_data(*, dry_run: bool = False) -> dict[str, int]:
    due = Order.objects.filter(
        OVER,
        buyer_erased_at=None,
        updated_at__lt=cutoff(order_settings.BUYER_DATA_KEPT_DAYS),
    )
    evidence = Dispute.objects.filter(
        closed_at__lt=cutoff(order_settings.BUYER_DATA_KEPT_DAYS), evidence__isnull=False
    )
    if dry_run:
        return {"order_buyers": due.count(), "dispute_evidence": evidence.count()}
    ids = list(due.values_list("pk", flat=True)[:10_000])
    # Not updated_at: the order itself did not change. A longer backlog goes at the next run.
    count = Order.objects.filter(pk__in=ids).update(
        buyer_name=None, buyer_phone=None, buyer_erased_at=timezone.now()
    )
    dispute_ids = list(evidence.values_list("pk", flat=True)[:10_000])
    erased = Dispute.objects.filter(pk__in=dispute_ids).update(evidence=None)
    return {"order_buyers": count, "dispute_evidence": erased}
