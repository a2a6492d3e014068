"""What a person decides about a case: approve or reject it after review, withdraw it, or give a
failed one a new round of attempts.

Each decision is a move of :mod:`onboarding.statemachine`, which checks the person's permission
and records the decision in the timeline.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import CaseState, OnboardingCase, StepKind
from .provisioning import ensure_next_step, start_provisioning
from .statemachine import transition
from .steps import ensure_step, restart_failed_steps

S = CaseState


def approve(case_id: int, actor: Any, reason: str) -> OnboardingCase:
    """An operator clears a case in manual review; provisioning starts."""
    with transaction.atomic():
        transition(
            case_id,
            S.SUBMITTED,
            actor=actor,
            actor_label="operator",
            reason=reason or "approved after review",
            expected_from=S.MANUAL_REVIEW,
        )
        return start_provisioning(case_id, actor_label="system")


def reject(case_id: int, actor: Any, reason: str) -> OnboardingCase:
    """An operator turns down a case in manual review or one that failed."""
    return transition(
        case_id,
        S.REJECTED,
        actor=actor,
        actor_label="operator",
        reason=reason or "rejected by an operator",
        expected_from=(S.MANUAL_REVIEW, S.FAILED_NEEDS_OPERATOR),
    )


def withdraw(case_id: int, actor: Any, reason: str) -> OnboardingCase:
    """The learner (or an operator for them) withdraws consent. Final."""
    case = OnboardingCase.objects.get(pk=case_id)
    label = "learner" if actor is not None and actor.pk == case.learner_id else "operator"
    with transaction.atomic():
        case = transition(
            case_id,
            S.WITHDRAWN,
            actor=actor,
            actor_label=label,
            reason=reason or "consent withdrawn",
        )
        if case.payment_account_ref:
            # Her account at the provider is closed too, by the worker, exactly once.
            ensure_step(case, StepKind.CLOSE_ACCOUNT)
    return case


def retry(case_id: int, actor: Any, reason: str) -> OnboardingCase:
    """An operator gives a failed case a new round of attempts."""
    with transaction.atomic():
        case = transition(
            case_id,
            S.PROVISIONING,
            actor=actor,
            actor_label="operator",
            reason=reason or "retried by an operator",
            expected_from=S.FAILED_NEEDS_OPERATOR,
        )
        restart_failed_steps(case)
        ensure_next_step(case)
    return case
