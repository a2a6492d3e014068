"""The case's state machine: the only code that changes a case's state.

Every change goes through :func:`transition`, which locks the case row, checks the move against
:data:`TRANSITIONS` (and the permission, for the moves a person makes), writes the new state and
its timeline row in one transaction, and sends ``case_state_changed`` after the commit. The flows
built on it live in :mod:`onboarding.applications`, :mod:`onboarding.provisioning` and
:mod:`onboarding.operator_actions`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from maalem.core.signals import send_after_commit

from .models import CaseState, CaseTransition, OnboardingCase
from .signals import case_state_changed

logger = logging.getLogger(__name__)

S = CaseState

# Allowed moves: from each state, the states it may go to. rejected and withdrawn are terminal.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.ELIGIBLE: frozenset({S.KYC_PENDING, S.SUBMITTED, S.MANUAL_REVIEW, S.WITHDRAWN}),
    S.KYC_PENDING: frozenset({S.SUBMITTED, S.MANUAL_REVIEW, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.PROVISIONING, S.MANUAL_REVIEW, S.WITHDRAWN}),
    S.PROVISIONING: frozenset(
        {S.ACTIVE, S.ACTION_REQUIRED, S.REJECTED, S.FAILED_NEEDS_OPERATOR, S.WITHDRAWN}
    ),
    S.ACTION_REQUIRED: frozenset(
        {S.PROVISIONING, S.ACTIVE, S.REJECTED, S.FAILED_NEEDS_OPERATOR, S.WITHDRAWN}
    ),
    S.ACTIVE: frozenset({S.ACTION_REQUIRED, S.REJECTED, S.WITHDRAWN}),
    S.MANUAL_REVIEW: frozenset({S.SUBMITTED, S.REJECTED, S.WITHDRAWN}),
    S.FAILED_NEEDS_OPERATOR: frozenset({S.PROVISIONING, S.REJECTED, S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
TERMINAL_STATES = frozenset(state for state, targets in TRANSITIONS.items() if not targets)

# Moves only a person may make, and the permission each needs. Withdrawing is also open to the
# learner the case belongs to: it is their consent to take back.
PERSON_MOVES: dict[tuple[str, str], str] = {
    (S.MANUAL_REVIEW, S.SUBMITTED): "maalem_onboarding.review_case",
    (S.MANUAL_REVIEW, S.REJECTED): "maalem_onboarding.review_case",
    (S.FAILED_NEEDS_OPERATOR, S.PROVISIONING): "maalem_onboarding.retry_case",
    (S.FAILED_NEEDS_OPERATOR, S.REJECTED): "maalem_onboarding.review_case",
    **{
        (state, S.WITHDRAWN): "maalem_onboarding.withdraw_case"
        for state in TRANSITIONS
        if state not in {S.REJECTED, S.WITHDRAWN}
    },
}


class InvalidTransition(Exception):
    """A move the state machine does not allow, or a case no longer in the state expected."""


def transition(
    case_id: int,
    to: str,
    *,
    actor: Any = None,
    actor_label: str,
    reason: str,
    expected_from: str | tuple[str, ...] | None = None,
) -> OnboardingCase:
    """Move a case to state ``to`` and record why; return the case as it now is.

    ``actor`` is the user who makes the move (``None`` for the system); ``actor_label`` says
    who or what in the timeline ("system", "provider webhook", "sweeper", "operator"...).
    ``expected_from`` makes the move conditional: when the case is no longer in that state
    (someone else moved it first) :class:`InvalidTransition` is raised instead.
    """
    with transaction.atomic():
        # The row lock serialises concurrent writers: the second one reads the state the first
        # one wrote and is checked against it.
        case = OnboardingCase.objects.select_for_update().get(pk=case_id)
        from_state = case.state
        if expected_from is not None:
            expected = (expected_from,) if isinstance(expected_from, str) else expected_from
            if from_state not in expected:
                raise InvalidTransition(
                    f"Case {case_id} is {from_state}, not {' or '.join(expected)}: "
                    f"it was moved by someone else first, so it does not go to {to}."
                )
        if to not in TRANSITIONS.get(from_state, frozenset()):
            allowed = ", ".join(sorted(TRANSITIONS.get(from_state, ()))) or "nothing (it is final)"
            raise InvalidTransition(
                f"Case {case_id} cannot go from {from_state} to {to}; from {from_state} it can "
                f"go to {allowed}."
            )
        _check_permission(case, from_state, to, actor)
        case.state = to
        case.save(update_fields=["state", "updated_at"])
        row = CaseTransition.objects.create(
            case=case,
            from_state=from_state,
            to_state=to,
            actor=actor,
            actor_label=actor_label[:50],
            reason=reason[:255],
        )
        _announce(case, from_state, to, row)
    logger.info(
        "onboarding case %s: %s -> %s (%s: %s)", case_id, from_state, to, actor_label, reason
    )
    return case


def record_opening(case: OnboardingCase, *, actor_label: str, reason: str) -> CaseTransition:
    """Write the first line of a case just created (from nothing to its state) and announce it.

    Call it in the transaction that creates the case.
    """
    row = CaseTransition.objects.create(
        case=case,
        from_state="",
        to_state=case.state,
        actor_label=actor_label[:50],
        reason=reason[:255],
    )
    _announce(case, "", case.state, row)
    return row


def _check_permission(case: OnboardingCase, from_state: str, to: str, actor: Any) -> None:
    permission = PERSON_MOVES.get((from_state, to))
    if permission is None:
        return
    if actor is None:
        raise PermissionDenied(
            f"Moving case {case.pk} from {from_state} to {to} is a person's decision: "
            f"pass the user who makes it (they need the {permission} permission)."
        )
    if to == S.WITHDRAWN and actor.pk == case.learner_id:
        return
    if not actor.has_perm(permission):
        raise PermissionDenied(
            f"{actor.get_username()} may not move case {case.pk} from {from_state} to {to}: "
            f"that needs the {permission} permission."
        )


def _announce(case: OnboardingCase, from_state: str, to: str, row: CaseTransition) -> None:
    send_after_commit(
        case_state_changed,
        OnboardingCase,
        case=case,
        from_state=from_state,
        to_state=to,
        transition=row,
    )
