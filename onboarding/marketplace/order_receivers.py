"""The orders' side of onboarding's payment webhooks (``payment_event_received``): onboarding
stores and verifies them, and knows nothing of orders."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from ..providers.payment_sessions import PaymentEvent
from ..signals import payment_event_received
from . import order_disputes, order_payments


@receiver(payment_event_received, dispatch_uid="marketplace.apply_payment_event")
def apply_payment_event(sender: Any, event: PaymentEvent, **kwargs: Any) -> bool | None:
    if event.type.startswith("dispute."):
        return order_disputes.apply_event(event)
    return order_payments.apply_event(event)
