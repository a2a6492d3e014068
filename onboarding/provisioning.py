"""Provisioning: from a submitted application to an open payment account and a live shop.

It queues the steps the case needs (:mod:`onboarding.steps`) and moves the case by what the
providers report: the payment account's status, the seller profile published, or a step that
gave up. The steps themselves run in :mod:`onboarding.outbox`, which calls back here.
"""

from __future__ import annotations

import logging
from dataclasses import asdict

from django.db import transaction

from .models import CaseState, CaseTransition, OnboardingCase, OnboardingStep, StepKind, StepStatus
from .providers.base import AccountStatus, PaymentAccount
from .statemachine import TRANSITIONS, transition
from .steps import ensure_step

logger = logging.getLogger(__name__)

#: Written in the timeline of a case that is over when its last step gave up.
NEEDS_OPERATOR = "needs an operator"

S = CaseState

# States in which the provider's news about the account moves the case. In the others a person
# decides (manual review, failed), or nothing more happens (terminal).
ACCOUNT_DRIVEN_STATES = frozenset({S.PROVISIONING, S.ACTION_REQUIRED, S.ACTIVE})


def start_provisioning(case_id: int, *, actor_label: str) -> OnboardingCase:
    """``submitted`` → ``provisioning``, with the payment account step queued after the commit."""
    with transaction.atomic():
        case = transition(
            case_id,
            S.PROVISIONING,
            actor_label=actor_label,
            reason="opening the payment account",
            expected_from=S.SUBMITTED,
        )
        ensure_step(case, StepKind.PAYMENT_ACCOUNT)
    return case


def ensure_next_step(case: OnboardingCase) -> OnboardingStep:
    """The step provisioning waits on: the seller profile once the account is active, else the
    payment account."""
    if case.payment_account_status == AccountStatus.ACTIVE:
        return ensure_step(case, StepKind.SELLER_PROFILE)
    return ensure_step(case, StepKind.PAYMENT_ACCOUNT)


def apply_account(case_id: int, account: PaymentAccount, *, actor_label: str) -> OnboardingCase:
    """Bring the case in line with the payment account as the provider reports it.

    Idempotent: applying the same account twice changes nothing the second time. A snapshot
    older than the one already applied (by the provider's ``updated`` time) is ignored, so an
    out-of-order delivery cannot move a case back. Call it inside the transaction that records
    where the news came from.
    """
    with transaction.atomic():
        case = OnboardingCase.objects.select_for_update().get(pk=case_id)
        if (
            case.payment_account_updated_at is not None
            and account.updated < case.payment_account_updated_at
            and case.payment_account_ref == account.ref
        ):
            logger.info("case %s: ignored an older snapshot of account %s", case_id, account.ref)
            return case
        case.payment_account_ref = account.ref
        case.payment_account_status = account.status
        case.payment_account_updated_at = account.updated
        case.requirements = account.requirement_codes
        if account.merchant_qr is not None:
            case.merchant_qr = asdict(account.merchant_qr)
        case.save(
            update_fields=[
                "payment_account_ref",
                "payment_account_status",
                "payment_account_updated_at",
                "requirements",
                "merchant_qr",
                "updated_at",
            ]
        )
        if case.state not in ACCOUNT_DRIVEN_STATES:
            logger.info(
                "case %s is %s: account %s (%s) is recorded, the state is left to an operator",
                case_id,
                case.state,
                account.ref,
                account.status,
            )
            return case
        target, reason = _target_for(case, account)
        if target is None or target == case.state:
            return case
        if target == S.ACTIVE:
            # The seller profile is published once the account is active; the case is active
            # when both are.
            seller_step = ensure_step(case, StepKind.SELLER_PROFILE)
            if seller_step.status != StepStatus.SUCCEEDED:
                target, reason = S.PROVISIONING, "payment account active; publishing the profile"
        if target == case.state:
            return case
        return transition(
            case_id, target, actor_label=actor_label, reason=reason, expected_from=case.state
        )


def _target_for(case: OnboardingCase, account: PaymentAccount) -> tuple[str | None, str]:
    """The state the account's status calls for, and why; ``None`` when it calls for none."""
    if account.status == AccountStatus.ACTIVE:
        return S.ACTIVE, "payment account active and seller profile live"
    if account.status == AccountStatus.RESTRICTED:
        missing = ", ".join(account.requirement_codes) or "unspecified items"
        return S.ACTION_REQUIRED, f"the payment provider needs: {missing}"[:255]
    if account.status == AccountStatus.REJECTED:
        return S.REJECTED, "the payment provider rejected the account"
    if account.status == AccountStatus.PENDING:
        if case.state == S.ACTION_REQUIRED:
            return S.PROVISIONING, "the payment provider is reviewing the missing items"
        return None, ""
    logger.warning("case %s: unknown account status %r ignored", case.pk, account.status)
    return None, ""


def seller_published(case_id: int, *, actor_label: str) -> OnboardingCase:
    """The seller profile step has succeeded: the case is active if the account is."""
    case = OnboardingCase.objects.get(pk=case_id)
    if case.state != S.PROVISIONING or case.payment_account_status != AccountStatus.ACTIVE:
        return case
    return transition(
        case_id,
        S.ACTIVE,
        actor_label=actor_label,
        reason="payment account active and seller profile live",
        expected_from=S.PROVISIONING,
    )


def give_up(case_id: int, *, reason: str, actor_label: str = "system") -> OnboardingCase | None:
    """A step has used its attempts or was refused for good: an operator must look.

    A case that is over (withdrawn: its account could not be closed) stays as it is, and the
    failure is written in its timeline, where operators read it, and logged as an error."""
    case = OnboardingCase.objects.get(pk=case_id)
    if S.FAILED_NEEDS_OPERATOR not in TRANSITIONS[case.state]:
        if not TRANSITIONS[case.state]:
            CaseTransition.objects.create(
                case_id=case_id,
                from_state=case.state,
                to_state=case.state,
                actor_label=actor_label,
                reason=f"{NEEDS_OPERATOR}: {reason}"[:255],
            )
            logger.error("case %s is %s: %s: %s", case_id, case.state, NEEDS_OPERATOR, reason)
        return None
    return transition(
        case_id,
        S.FAILED_NEEDS_OPERATOR,
        actor_label=actor_label,
        reason=reason,
        expected_from=case.state,
    )
