"""Running the steps of a case, kept as an outbox: claiming them, calling the providers,
recording results.

A step row is created in the same transaction as the state change that needs it
(:mod:`onboarding.steps`), and its task is enqueued only after that commit. A task may still be
lost (between commit and publish) or run twice (``acks_late`` redelivers after a worker dies), so
the row, not the message, is the truth:

- :func:`run_step` claims the row with a conditional UPDATE, so only one worker holds it, for a
  short lease renewed while the call runs (:mod:`onboarding.lease`); the provider is called
  outside any transaction with the idempotency key stored on the row; the result and the case's
  state change are written in one transaction.
- :func:`onboarding.sweeper.sweep` re-enqueues what is due and has no message waiting, or whose
  lease has expired, so lost work is only late.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import answers, provisioning, queueing
from .conf import app_settings
from .lease import Heartbeat, claim_row
from .models import CaseState, OnboardingStep, StepKind, StepStatus
from .pii import redact
from .providers import get_backend
from .providers.base import PaymentAccount, ProviderDocument, ProviderError, ProviderRejected
from .statemachine import TRANSITIONS

logger = logging.getLogger(__name__)

# The case states in which each kind of step may call its provider. In any other state (withdrawn,
# rejected, waiting for an operator) a step that comes up is parked instead.
RUNNABLE_IN: dict[str, frozenset[str]] = {
    StepKind.PAYMENT_ACCOUNT: frozenset({CaseState.PROVISIONING}),
    StepKind.SELLER_PROFILE: frozenset({CaseState.PROVISIONING, CaseState.ACTIVE}),
    StepKind.CLOSE_ACCOUNT: frozenset({CaseState.WITHDRAWN}),
    # Answers to the provider's requests: still worth sending once the provider moved on.
    **{
        kind: frozenset({CaseState.ACTION_REQUIRED, CaseState.PROVISIONING, CaseState.ACTIVE})
        for kind in answers.ANSWER_STEP_KINDS
    },
}


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
    if not claim_row(OnboardingStep, step_id):
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
    # The lease is renewed until the result is written, however long the call and the writing.
    with Heartbeat(claimed.pk, claimed.attempts):
        return _call_and_record(claimed)


def _call_and_record(claimed: OnboardingStep) -> str:
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
    if step.kind == StepKind.CLOSE_ACCOUNT:
        ref = case.payment_account_ref
        return get_backend("payments").close_account(ref, str(step.idempotency_key))
    if step.kind == StepKind.SELLER_PROFILE:
        return get_backend("marketplace").create_or_update_seller(case)
    if step.kind in answers.ANSWER_STEP_KINDS:
        return answers.send(step)
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
        if isinstance(result, PaymentAccount | ProviderDocument):
            current.external_ref = result.ref
            current.last_response = redact(result.raw or {"id": result.ref})
        else:
            current.external_ref = str(result)
            current.last_response = {"reference": str(result)}
        current.save()
        if current.kind in answers.ANSWER_STEP_KINDS:
            answers.erase_sent(current)
        if isinstance(result, PaymentAccount):
            provisioning.apply_account(current.case_id, result, actor_label="payment provider")
        elif current.kind == StepKind.SELLER_PROFILE:
            provisioning.seller_published(current.case_id, actor_label="marketplace")
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
            current.enqueued_at = current.next_attempt_at
            queueing.send_on_commit(queueing.RUN_STEP, current.pk, countdown=delay)
        else:
            current.next_attempt_at = None
        current.save()
        if not will_retry:
            why = (
                f"gave up after {current.attempts} attempts" if retry else "refused by the provider"
            )
            provisioning.give_up(
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
        if current.kind in answers.ANSWER_STEP_KINDS and not TRANSITIONS[step.case.state]:
            # The case is over: the learner's document will never be sent, so it is not kept.
            answers.forget(current)
