"""What the payment provider reports after the fact: its webhooks, stored once by event id and
applied in a worker, and accounts re-fetched from it.

A webhook is only a hint that an account changed: what counts is the account as the provider
serves it when the worker asks, applied by :func:`onboarding.provisioning.apply_account`.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

from . import provisioning, queueing
from .conf import app_settings
from .models import OnboardingCase, OnboardingStep, StepKind, WebhookEvent
from .pii import redact
from .providers import base, get_backend
from .providers.payment_sessions import PAYMENT_EVENTS, payment_event
from .signals import payment_event_received

logger = logging.getLogger(__name__)


def case_of_account(account_ref: str) -> OnboardingCase | None:
    """The case whose payment account is ``account_ref``, if one has recorded it."""
    case = OnboardingCase.objects.filter(payment_account_ref=account_ref).first()
    if case is None:
        step = (
            OnboardingStep.objects.filter(kind=StepKind.PAYMENT_ACCOUNT, external_ref=account_ref)
            .select_related("case")
            .first()
        )
        case = step.case if step else None
    return case


def apply_account_update(
    account_ref: str,
    *,
    actor_label: str = "provider webhook",
    case: OnboardingCase | None = None,
) -> bool:
    """Re-fetch an account from the provider and apply it to its case.

    The webhook that triggers this is only a hint: what counts is the account as the provider
    serves it now. Return False when nothing was applied and it is worth another try: no case
    has this account yet (its step has not recorded it), or the provider did not answer. An
    account the provider refuses to serve sends its case to an operator, once. ``case`` is the
    account's case, when the caller has just read it.
    """
    case = case or case_of_account(account_ref)
    if case is None:
        return False
    try:
        account = get_backend("payments").get_account(account_ref)
    except base.ProviderRejected as refused:
        # The provider does not know the account (or refuses to show it): no retry changes
        # that, so an operator looks, once, instead of a poll failing forever.
        logger.warning("case %s: payments account %s refused: %s", case.pk, account_ref, refused)
        provisioning.give_up(
            case.pk,
            reason=f"the payment provider does not serve account {account_ref}: {refused}",
            actor_label=actor_label,
        )
        return True
    except base.ProviderError as failure:
        # Worth another try, but not at every sweep: the next poll waits ACCOUNT_POLL_AFTER.
        logger.warning("case %s: payments account %s not read: %s", case.pk, account_ref, failure)
        OnboardingCase.objects.filter(pk=case.pk).update(updated_at=timezone.now())
        return False
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
    if event.type in PAYMENT_EVENTS:
        return _process_payment_event(event)
    if not event.type.startswith("account.") or not event.account_ref:
        WebhookEvent.objects.filter(pk=event_pk).update(processed_at=timezone.now())
        return "ignored"
    case = case_of_account(event.account_ref)
    if case is not None:
        if not apply_account_update(event.account_ref, case=case):
            return "provider not reached, will retry"
    else:
        now = timezone.now()
        waited, wait_for = (
            now - event.received_at,
            timedelta(seconds=app_settings.WEBHOOK_WAIT_FOR_CASE),
        )
        if waited < wait_for:
            # Backing off: the next try waits as long as this one has (10 s, 20 s, 40 s...),
            # and the last is at the end of the wait, not at every sweep.
            delay = max(waited, timedelta(seconds=10))
            next_attempt = min(now + delay, event.received_at + wait_for)
            WebhookEvent.objects.filter(pk=event_pk).update(next_attempt_at=next_attempt)
            return "account not known yet"
        # No case took this account in time: it is not ours (or its case is gone). One error
        # for the operators, then the event is closed.
        logger.error(
            "webhook %s: no case has payments account %s after %s s; dropped",
            event.event_id,
            event.account_ref,
            int(waited.total_seconds()),
        )
        WebhookEvent.objects.filter(pk=event_pk, processed_at=None).update(
            processed_at=timezone.now()
        )
        return "dropped: account unknown"
    # Two deliveries of this task may both get here; applying an account twice changes nothing.
    WebhookEvent.objects.filter(pk=event_pk, processed_at=None).update(processed_at=timezone.now())
    return "processed"


def _process_payment_event(event: WebhookEvent) -> str:
    """Hand a payment or refund event to the apps that take payments (``payment_event_received``).

    It stays unprocessed, and is tried again, while a receiver could not apply it.
    """
    try:
        payment = payment_event(
            base.WebhookEvent(
                event.event_id, event.type, event.account_ref, event.created, event.payload
            )
        )
    except base.WebhookRejected as rejected:
        logger.error("webhook %s cannot be read: %s", event.event_id, rejected)
        WebhookEvent.objects.filter(pk=event.pk).update(processed_at=timezone.now())
        return "ignored: unreadable"
    answers = [answer for _receiver, answer in payment_event_received.send(None, event=payment)]
    if any(answer is False for answer in answers):
        now = timezone.now()
        delay = max(now - event.received_at, timedelta(seconds=10))
        WebhookEvent.objects.filter(pk=event.pk).update(next_attempt_at=now + delay)
        return "provider not reached, will retry"
    WebhookEvent.objects.filter(pk=event.pk, processed_at=None).update(processed_at=timezone.now())
    return "processed" if any(answer for answer in answers) else "ignored"
