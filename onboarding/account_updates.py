"""What the payment provider reports after the fact: its webhooks, stored once by event id and
applied in a worker, and accounts re-fetched from it.

A webhook is only a hint that an account changed: what counts is the account as the provider
serves it when the worker asks, applied by :func:`onboarding.provisioning.apply_account`.
"""

from __future__ import annotations

from django.utils import timezone

from . import provisioning, queueing
from .models import OnboardingCase, OnboardingStep, StepKind, WebhookEvent
from .pii import redact
from .providers import base, get_backend


def apply_account_update(account_ref: str, *, actor_label: str = "provider webhook") -> bool:
    """Re-fetch an account from the provider and apply it to its case.

    The webhook that triggers this is only a hint: what counts is the account as the provider
    serves it now. Return False when no case has this account yet (its step has not recorded it;
    the step will, or the sweeper will try the event again).
    """
    case = OnboardingCase.objects.filter(payment_account_ref=account_ref).first()
    if case is None:
        step = (
            OnboardingStep.objects.filter(kind=StepKind.PAYMENT_ACCOUNT, external_ref=account_ref)
            .select_related("case")
            .first()
        )
        case = step.case if step else None
    if case is None:
        return False
    account = get_backend("payments").get_account(account_ref)
    provisioning.apply_account(case.pk, account, actor_label=actor_label)
    return True


def record_webhook(provider: str, event: base.WebhookEvent) -> tuple[WebhookEvent, bool]:
    """Store a verified webhook by its event id; return it and whether it is new."""
    stored, created = WebhookEvent.objects.get_or_create(
        provider=provider,
        event_id=event.id,
        defaults={
            "type": event.type,
            "account_ref": event.account_ref,
            "created": event.created,
            "payload": redact(event.raw),
        },
    )
    if created:
        queueing.send_on_commit(queueing.PROCESS_WEBHOOK, stored.pk)
    return stored, created


def process_webhook(event_pk: int) -> str:
    """Apply a stored webhook once; return what happened."""
    event = WebhookEvent.objects.filter(pk=event_pk).first()
    if event is None:
        return "gone"
    if event.processed_at is not None:
        return "already processed"
    if not event.type.startswith("account.") or not event.account_ref:
        WebhookEvent.objects.filter(pk=event_pk).update(processed_at=timezone.now())
        return "ignored"
    if not apply_account_update(event.account_ref):
        return "account not known yet"
    # Two deliveries of this task may both get here; applying an account twice changes nothing.
    WebhookEvent.objects.filter(pk=event_pk, processed_at=None).update(processed_at=timezone.now())
    return "processed"
