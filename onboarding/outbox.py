"""The steps of a case, kept as an outbox: claiming them, calling the providers, recording results.

A step row is created in the same transaction as the state change that needs it, and its task is
enqueued only after that commit. A task may still be lost (between commit and publish) or run
twice (``acks_late`` redelivers after a worker dies), so the row, not the message, is the truth:

- :func:`run_step` claims the row with a conditional UPDATE, so only one worker holds it, for a
  lease; the provider is called outside any transaction with the idempotency key stored on the
  row; the result and the case's state change are written in one transaction.
- :func:`sweep` re-enqueues what is due or whose lease has expired, so lost work is only late.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import workflow
from .conf import app_settings
from .models import (
    CaseState,
    OnboardingCase,
    OnboardingStep,
    StepKind,
    StepStatus,
    WebhookEvent,
)
from .pii import redact
from .providers import get_backend
from .providers.base import (
    AccountStatus,
    PaymentAccount,
    ProviderError,
    ProviderRejected,
)

logger = logging.getLogger(__name__)

# The case states in which each kind of step may call its provider. In any other state (withdrawn,
# rejected, waiting for an operator) a step that comes up is parked instead.
RUNNABLE_IN = {
    StepKind.PAYMENT_ACCOUNT: frozenset({CaseState.PROVISIONING}),
    StepKind.SELLER_PROFILE: frozenset({CaseState.PROVISIONING, CaseState.ACTIVE}),
}


def enqueue(step_id: int, countdown: float | None = None) -> None:
    """Run the step in a worker once the current transaction has committed."""
    from .tasks import run_step

    transaction.on_commit(lambda: run_step.apply_async((step_id,), countdown=countdown))


def ensure_step(case: OnboardingCase, kind: str) -> OnboardingStep:
    """The case's step of ``kind``, created (and enqueued after the commit) if it is new."""
    step, created = OnboardingStep.objects.get_or_create(
        case=case,
        kind=kind,
        defaults={"max_attempts": app_settings.MAX_ATTEMPTS, "next_attempt_at": timezone.now()},
    )
    if created:
        enqueue(step.pk)
    return step


def restart_failed_steps(case: OnboardingCase) -> int:
    """Give the case's failed steps a fresh set of attempts, and enqueue them."""
    ids = list(
        OnboardingStep.objects.filter(case=case, status=StepStatus.FAILED).values_list(
            "pk", flat=True
        )
    )
    OnboardingStep.objects.filter(pk__in=ids).update(
        status=StepStatus.PENDING,
        attempts=0,
        max_attempts=app_settings.MAX_ATTEMPTS,
        next_attempt_at=timezone.now(),
        lease_until=None,
        updated_at=timezone.now(),
    )
    for step_id in ids:
        enqueue(step_id)
    return len(ids)


def backoff(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failure: doubling, capped, with jitter.

    The jitter ("equal jitter": half fixed, half random) spreads the retries of many cases that
    failed together, such as during a provider outage.
    """
    ceiling = min(
        app_settings.RETRY_BACKOFF_MAX, app_settings.RETRY_BACKOFF * 2 ** max(attempts - 1, 0)
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def claim(step_id: int) -> OnboardingStep | None:
    """Take the step for this worker, or ``None`` if it is not due or someone else holds it."""
    now = timezone.now()
    due = Q(status__in=[StepStatus.PENDING, StepStatus.FAILED], next_attempt_at__lte=now)
    stale = Q(status=StepStatus.RUNNING, lease_until__lt=now)
    # The race: the same step id can be in two workers' hands (a message redelivered under
    # acks_late, the sweeper's copy racing the original, an operator's retry). The WHERE clause
    # is checked by the database under the row's write lock: the second UPDATE waits for the
    # first one, re-reads the row (now running, with a lease in the future) and matches nothing.
    claimed = OnboardingStep.objects.filter(Q(pk=step_id) & (due | stale)).update(
        status=StepStatus.RUNNING,
        lease_until=now + timedelta(seconds=app_settings.LEASE_SECONDS),
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if claimed != 1:
        return None
    return OnboardingStep.objects.select_related("case").get(pk=step_id)


def run_step(step_id: int) -> str:
    """Run one step if it is due; return what happened (for logs and tests)."""
    step = OnboardingStep.objects.filter(pk=step_id).only("status").first()
    if step is None:
        return "gone"
    if step.status == StepStatus.SUCCEEDED:
        return "already succeeded"
    claimed = claim(step_id)
    if claimed is None:
        return "not claimed"
    if claimed.attempts > claimed.max_attempts:
        # Only reached when the lease of the last attempt ran out (a worker died in it).
        _fail(claimed, "no answer within the lease on the last attempt", retry=False)
        return "gave up"
    if claimed.case.state not in RUNNABLE_IN[claimed.kind]:
        _park(claimed)
        return "parked"
    # The provider call: outside any transaction, so no lock or connection waits on the network.
    try:
        result = _call_provider(claimed)
    except ProviderError as error:
        _fail(claimed, str(error), retry=True)
        return "failed, will retry"
    except ProviderRejected as error:
        _fail(claimed, str(error), retry=False)
        return "rejected"
    _succeed(claimed, result)
    return "succeeded"


def _call_provider(step: OnboardingStep) -> Any:
    case = step.case
    if step.kind == StepKind.PAYMENT_ACCOUNT:
        applicant = case.applicant.as_provider_applicant()
        return get_backend("payments").open_account(applicant, str(step.idempotency_key))
    if step.kind == StepKind.SELLER_PROFILE:
        return get_backend("marketplace").create_or_update_seller(case)
    raise ProviderRejected(f"no provider for steps of kind {step.kind!r}")


def _lock_if_still_ours(step: OnboardingStep) -> OnboardingStep | None:
    """The step locked for writing, unless another worker took it over since our claim.

    The attempt counter is the fencing token: a worker whose lease expired and whose step was
    claimed again sees a higher count and must not overwrite the newer attempt's result.
    """
    current = OnboardingStep.objects.select_for_update().get(pk=step.pk)
    if current.status != StepStatus.RUNNING or current.attempts != step.attempts:
        logger.warning(
            "step %s: attempt %s lost its lease to attempt %s; its result is dropped",
            step.pk,
            step.attempts,
            current.attempts,
        )
        return None
    return current


def _succeed(step: OnboardingStep, result: Any) -> None:
    with transaction.atomic():
        current = _lock_if_still_ours(step)
        if current is None:
            return
        current.status = StepStatus.SUCCEEDED
        current.lease_until = None
        current.next_attempt_at = None
        current.last_error = ""
        if isinstance(result, PaymentAccount):
            current.external_ref = result.ref
            current.last_response = redact(
                result.raw or {"id": result.ref, "status": result.status}
            )
        else:
            current.external_ref = str(result)
            current.last_response = {"reference": str(result)}
        current.save()
        if isinstance(result, PaymentAccount):
            workflow.apply_account(current.case_id, result, actor_label="payment provider")
        else:
            workflow.seller_published(current.case_id, actor_label="marketplace")
    logger.info("step %s (%s of case %s) succeeded", step.pk, step.kind, step.case_id)


def _fail(step: OnboardingStep, error: str, *, retry: bool) -> None:
    with transaction.atomic():
        current = _lock_if_still_ours(step)
        if current is None:
            return
        current.status = StepStatus.FAILED
        current.lease_until = None
        current.last_error = error[:255]
        current.last_response = {"error": error[:1000]}
        will_retry = retry and current.attempts < current.max_attempts
        if will_retry:
            delay = backoff(current.attempts)
            current.next_attempt_at = timezone.now() + timedelta(seconds=delay)
            enqueue(current.pk, countdown=delay)
        else:
            current.next_attempt_at = None
        current.save()
        if not will_retry:
            why = (
                f"gave up after {current.attempts} attempts" if retry else "refused by the provider"
            )
            workflow.give_up(
                current.case_id, reason=f"{current.get_kind_display()}: {why}: {error}"
            )
    logger.warning(
        "step %s (%s of case %s) attempt %s failed%s: %s",
        step.pk,
        step.kind,
        step.case_id,
        step.attempts,
        ", will retry" if retry and step.attempts < step.max_attempts else "",
        error,
    )


def _park(step: OnboardingStep) -> None:
    # Not a failure of the provider: the case moved on (withdrawn, waiting for an operator).
    # The attempt is given back; an operator's retry restarts the step.
    with transaction.atomic():
        current = _lock_if_still_ours(step)
        if current is None:
            return
        current.status = StepStatus.FAILED
        current.attempts = F("attempts") - 1
        current.lease_until = None
        current.next_attempt_at = None
        current.last_error = f"not run: the case is {step.case.state}"
        current.save()


# -- What the provider reports later --------------------------------------------------------


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
    workflow.apply_account(case.pk, account, actor_label=actor_label)
    return True


def record_webhook(provider: str, event: Any) -> tuple[WebhookEvent, bool]:
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
        from .tasks import process_webhook

        transaction.on_commit(lambda: process_webhook.delay(stored.pk))
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


# -- The sweeper ----------------------------------------------------------------------------


def sweep() -> dict[str, int]:
    """Re-enqueue the work that is due or stale; return counts per kind of work.

    - steps pending or failed whose next attempt is due (their message was lost, or the
      retry's countdown message was);
    - running steps whose lease has expired (the worker died);
    - webhooks stored but not yet processed (their account was not known yet, or the worker died);
    - accounts still pending long after they were opened (their webhook may never come).
    """
    from .tasks import process_webhook, refresh_account, run_step

    now = timezone.now()
    batch = app_settings.SWEEP_BATCH
    steps = list(
        OnboardingStep.objects.filter(
            Q(status__in=[StepStatus.PENDING, StepStatus.FAILED], next_attempt_at__lte=now)
            | Q(status=StepStatus.RUNNING, lease_until__lt=now)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    for step_id in steps:
        run_step.delay(step_id)
    events = list(
        WebhookEvent.objects.filter(
            processed_at=None,
            received_at__lt=now - timedelta(seconds=10),
            received_at__gt=now - timedelta(days=3),
        ).values_list("pk", flat=True)[:batch]
    )
    for event_pk in events:
        process_webhook.delay(event_pk)
    quiet_since = now - timedelta(seconds=app_settings.ACCOUNT_POLL_AFTER)
    accounts = list(
        OnboardingCase.objects.filter(
            state__in=[CaseState.PROVISIONING, CaseState.ACTION_REQUIRED],
            payment_account_status__in=[AccountStatus.PENDING, AccountStatus.RESTRICTED],
            updated_at__lt=quiet_since,
        )
        .exclude(payment_account_ref="")
        .values_list("payment_account_ref", flat=True)[:batch]
    )
    for ref in accounts:
        refresh_account.delay(ref)
    counts = {"steps": len(steps), "webhooks": len(events), "accounts": len(accounts)}
    if any(counts.values()):
        logger.info("sweeper re-enqueued %s", counts)
    return counts
