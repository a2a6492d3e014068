"""The sweeper: what makes lost work late instead of lost.

A message can be lost between a commit and its publication, and a worker can die (even by
SIGKILL) in the middle of a step. Run periodically by the beat (every few seconds, on a queue of
its own, so it never waits behind the work it rescues), :func:`sweep` finds the work the rows say
is due and queues it again; claiming (:func:`onboarding.outbox.claim`) makes any extra copy
harmless.

A step records when its message was sent (``enqueued_at``) until a worker claims it, so a step
whose message is merely waiting in the queue is left alone: it is only sent again once that
message has waited ``ONBOARDING_REQUEUE_AFTER`` seconds past its due time and is taken for lost.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from . import queueing
from .conf import app_settings
from .models import CaseState, OnboardingCase, OnboardingStep, StepStatus, WebhookEvent
from .providers.base import AccountStatus

logger = logging.getLogger(__name__)


def sweep(steps_only: bool = False) -> dict[str, int]:
    """Re-enqueue the work that is due or stale; return counts per kind of work.

    - steps pending or failed whose next attempt is due and whose message was lost (none was
      sent, or it has waited longer than ``ONBOARDING_REQUEUE_AFTER``);
    - running steps whose lease has expired (the worker died and stopped renewing it);
    - webhooks stored but not yet processed (the worker died, or their account was not known
      yet: those when their next try is due, see :mod:`onboarding.account_updates`);
    - accounts still pending long after they were opened (their webhook may never come).

    ``steps_only`` skips the webhooks and the accounts: the beat sweeps the steps every few
    seconds, so a dead worker's step is soon taken over, and the rest less often.
    """
    now = timezone.now()
    batch = app_settings.SWEEP_BATCH
    lost_since = now - timedelta(seconds=app_settings.REQUEUE_AFTER)
    steps = list(
        OnboardingStep.objects.filter(
            Q(status__in=[StepStatus.PENDING, StepStatus.FAILED], next_attempt_at__lte=now)
            | Q(status=StepStatus.RUNNING, lease_until__lt=now)
        )
        .filter(Q(enqueued_at=None) | Q(enqueued_at__lt=lost_since))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    OnboardingStep.objects.filter(pk__in=steps).update(enqueued_at=now)
    for step_id in steps:
        queueing.send(queueing.RUN_STEP, step_id)
    if steps_only:
        if steps:
            logger.info("sweeper re-enqueued %s steps", len(steps))
        return {"steps": len(steps)}
    events = list(
        WebhookEvent.objects.filter(
            processed_at=None,
            received_at__lt=now - timedelta(seconds=10),
            received_at__gt=now - timedelta(days=3),
        )
        .filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
        .values_list("pk", flat=True)[:batch]
    )
    for event_pk in events:
        queueing.send(queueing.PROCESS_WEBHOOK, event_pk)
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
        queueing.send(queueing.REFRESH_ACCOUNT, ref)
    counts = {"steps": len(steps), "webhooks": len(events), "accounts": len(accounts)}
    if any(counts.values()):
        logger.info("sweeper re-enqueued %s", counts)
    return counts
