"""The outbox's rows: the steps a case needs, created with the state change that needs them.

A step is created (or restarted) inside the transaction of that change, and its task is queued
only after the commit. Running a step is :mod:`onboarding.outbox`; this module never calls a
provider, so the flows that create steps do not depend on the code that runs them.
"""

from __future__ import annotations

from django.utils import timezone

from . import queueing
from .conf import app_settings
from .models import OnboardingCase, OnboardingStep, StepStatus


def ensure_step(case: OnboardingCase, kind: str) -> OnboardingStep:
    """The case's step of ``kind``, created (and queued after the commit) if it is new."""
    step, created = OnboardingStep.objects.get_or_create(
        case=case,
        kind=kind,
        defaults={
            "max_attempts": app_settings.MAX_ATTEMPTS,
            "next_attempt_at": timezone.now(),
            # Its message is on its way: the sweeper leaves it alone while it waits in the queue.
            "enqueued_at": timezone.now(),
        },
    )
    if created:
        queueing.send_on_commit(queueing.RUN_STEP, step.pk)
    return step


def restart_failed_steps(case: OnboardingCase) -> int:
    """Give the case's failed steps a fresh set of attempts, and queue them."""
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
        enqueued_at=timezone.now(),
        updated_at=timezone.now(),
    )
    for step_id in ids:
        queueing.send_on_commit(queueing.RUN_STEP, step_id)
    return len(ids)
