"""The sweeper: what makes lost work late instead of lost.

A message can be lost between a commit and its publication, and a worker can die (even by
SIGKILL) in the middle of a step. Run periodically by the beat, :func:`sweep` finds the work the
rows say is due and queues it again; claiming (:func:`onboarding.outbox.claim`) makes the extra
copies harmless.
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


def sweep() -> dict[str, int]:
    """Re-enqueue the work that is due or stale; return counts per kind of work.

    - steps pending or failed whose next attempt is due (their message was lost, or the
      retry's countdown message was);
    - running steps whose lease has expired (the worker died);
    - webhooks stored but not yet processed (the worker died, or their account was not known
      yet: those when their next try is due, see :mod:`onboarding.account_updates`);
    - accounts still pending long after they were opened (their webhook may never come).
    """
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
        queueing.send(queueing.RUN_STEP, step_id)
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
