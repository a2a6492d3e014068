"""The onboarding state machine: the only code that changes a case's state.

Every change goes through :func:`transition`, which locks the case row, checks the move against
:data:`TRANSITIONS` (and the permission, for the moves a person makes), writes the new state and
its timeline row in one transaction, and sends ``case_state_changed`` after the commit.

The functions after it are the flows built on it: opening a case, submitting an application,
starting the provisioning, an operator's decisions, and applying what the payment provider says
about an account.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import pii
from .models import (
    ApplicantProfile,
    CaseState,
    CaseTransition,
    OnboardingCase,
    PayoutMethod,
    StepKind,
    StepStatus,
)
from .providers.base import AccountStatus, PaymentAccount
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

# States in which the provider's news about the account moves the case. In the others a person
# decides (manual review, failed), or nothing more happens (terminal).
ACCOUNT_DRIVEN_STATES = frozenset({S.PROVISIONING, S.ACTION_REQUIRED, S.ACTIVE})


class InvalidTransition(Exception):
    """A move the state machine does not allow, or a case no longer in the state expected."""


def _label(state: str) -> str:
    return str(CaseState(state).label) if state in CaseState.values else repr(state)


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


def transition(
    case_id: int,
    to: str,
    *,
    actor: Any = None,
    actor_label: str,
    reason: str,
    expected_from: str | tuple[str, ...] | None = None,
    changes: Mapping[str, Any] | None = None,
) -> OnboardingCase:
    """Move a case to state ``to`` and record why; return the case as it now is.

    ``actor`` is the user who makes the move (``None`` for the system); ``actor_label`` says
    who or what in the timeline ("system", "provider webhook", "sweeper", "operator"...).
    ``expected_from`` makes the move conditional: when the case is no longer in that state
    (someone else moved it first) :class:`InvalidTransition` is raised instead. ``changes`` are
    other fields of the case written with the state, in the same save.
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
        fields = ["state", "updated_at"]
        for name, value in (changes or {}).items():
            setattr(case, name, value)
            fields.append(name)
        case.save(update_fields=fields)
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


def _announce(case: OnboardingCase, from_state: str, to: str, row: CaseTransition) -> None:
    # send_robust: the change is committed by the time receivers run, so a failing receiver
    # must not make it look as if the change had failed.
    def send() -> None:
        for receiver, result in case_state_changed.send_robust(
            OnboardingCase, case=case, from_state=from_state, to_state=to, transition=row
        ):
            if isinstance(result, Exception):
                logger.error(
                    "case_state_changed receiver %r failed for case %s",
                    receiver,
                    case.pk,
                    exc_info=result,
                )

    transaction.on_commit(send)


# -- Opening a case -------------------------------------------------------------------------


def open_case(
    learner: Any, *, reason: str, actor_label: str = "system"
) -> tuple[OnboardingCase, bool]:
    """The learner's case, opened in state ``eligible`` if they had none; and whether it was.

    Safe when two processes open it together: the unique constraint on the learner lets one
    insert win; the other finds the winner's row.
    """
    existing = OnboardingCase.objects.filter(learner=learner).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            case = OnboardingCase.objects.create(learner=learner, state=S.ELIGIBLE)
            row = CaseTransition.objects.create(
                case=case,
                from_state="",
                to_state=S.ELIGIBLE,
                actor_label=actor_label,
                reason=reason,
            )
            _announce(case, "", S.ELIGIBLE, row)
    except IntegrityError:
        return OnboardingCase.objects.get(learner=learner), False
    logger.info("onboarding case %s opened for learner %s", case.pk, learner.pk)
    return case, True


# -- The application ------------------------------------------------------------------------


def start_application(case_id: int, actor: Any) -> OnboardingCase:
    """The learner has started filling in the form: ``eligible`` → ``kyc_pending``."""
    case = OnboardingCase.objects.get(pk=case_id)
    if case.state == S.KYC_PENDING:
        return case
    return transition(
        case_id,
        S.KYC_PENDING,
        actor=actor,
        actor_label="learner",
        reason="started the application",
        expected_from=S.ELIGIBLE,
    )


def clean_application(data: Mapping[str, Any]) -> dict[str, Any]:
    """The application's values, normalised; raise ValidationError with a message per field.

    The messages say what is wrong and never repeat the value.
    """
    errors: dict[str, list[ValidationError]] = {}
    cleaned: dict[str, Any] = {}

    def check(name: str, function: Any, value: Any) -> None:
        try:
            cleaned[name] = function(value)
        except ValidationError as error:
            errors[name] = [error]

    if not data.get("consent"):
        errors["consent"] = [
            ValidationError(_("Tick the box to agree before you send the form."), code="required")
        ]
    if not str(data.get("consent_text") or "").strip():
        errors.setdefault("consent", []).append(
            ValidationError(_("The consent text is missing."), code="consent_text")
        )
    check("cin", pii.normalise_cin, data.get("cin"))
    check("phone", pii.normalise_phone, data.get("phone"))
    payout_method = data.get("payout_method") or PayoutMethod.WALLET
    if payout_method not in PayoutMethod.values:
        errors["payout_method"] = [
            ValidationError(_("Choose a mobile wallet or a bank account."), code="invalid")
        ]
    cleaned["payout_method"] = payout_method
    cleaned["rib"] = ""
    cleaned["wallet_phone"] = ""
    if payout_method == PayoutMethod.BANK:
        check("rib", pii.validate_rib, data.get("rib"))
    elif data.get("wallet_phone"):
        check("wallet_phone", pii.normalise_phone, data.get("wallet_phone"))
    if errors:
        raise ValidationError(errors)
    for name in ("artisan_register_number", "region", "shop_name"):
        cleaned[name] = str(data.get(name) or "").strip()
    cleaned["craft"] = data.get("craft")
    cleaned["photo"] = data.get("photo")
    cleaned["consent_text"] = str(data["consent_text"])
    return cleaned


def submit_application(case_id: int, data: Mapping[str, Any], actor: Any) -> OnboardingCase:
    """Save the learner's application and send it on.

    The case goes to ``submitted`` and on to ``provisioning``, or to ``manual_review`` when
    another case has the same national ID. Raises ValidationError (per field) on bad data.
    """
    cleaned = clean_application(data)
    digest = pii.cin_digest(cleaned["cin"])
    with transaction.atomic():
        case = OnboardingCase.objects.select_for_update().get(pk=case_id)
        if actor is not None and actor.pk != case.learner_id:
            raise PermissionDenied(
                f"Only the learner of case {case_id} may submit its application."
            )
        if case.state not in (S.ELIGIBLE, S.KYC_PENDING):
            raise InvalidTransition(
                f"Case {case_id} is {case.state}: its application can no longer be submitted."
            )
        ApplicantProfile.objects.update_or_create(
            case=case,
            defaults={
                "cin": cleaned["cin"],
                "cin_digest": digest,
                "phone": cleaned["phone"],
                "artisan_register_number": cleaned["artisan_register_number"],
                "region": cleaned["region"],
                "craft": cleaned["craft"],
                "shop_name": cleaned["shop_name"],
                "photo": cleaned["photo"],
                "payout_method": cleaned["payout_method"],
                "rib": cleaned["rib"],
                "wallet_phone": cleaned["wallet_phone"],
                "consent_text": cleaned["consent_text"],
                "consented_at": timezone.now(),
            },
        )
        duplicate = (
            ApplicantProfile.objects.filter(cin_digest=digest).exclude(case_id=case_id).exists()
        )
        if duplicate:
            return transition(
                case_id,
                S.MANUAL_REVIEW,
                actor=actor,
                actor_label="learner",
                reason="duplicate national ID",
            )
        transition(
            case_id, S.SUBMITTED, actor=actor, actor_label="learner", reason="application submitted"
        )
        return start_provisioning(case_id, actor_label="system")


# What a learner may save in a draft; the national ID's fingerprint follows the ID.
DRAFT_FIELDS = frozenset(
    {
        "cin",
        "phone",
        "wallet_phone",
        "artisan_register_number",
        "region",
        "craft",
        "shop_name",
        "photo",
        "payout_method",
        "rib",
    }
)
# States in which the learner may still change their application: before it is sent, and when
# the payment provider asks for more.
EDITABLE_STATES = frozenset({S.ELIGIBLE, S.KYC_PENDING, S.ACTION_REQUIRED})


def save_draft(case_id: int, values: Mapping[str, Any], actor: Any) -> OnboardingCase:
    """Keep what the learner has filled in so far, to finish later; return the case.

    ``values`` holds only the fields to change, already validated (a draft may be incomplete,
    never wrong). The first save moves the case from ``eligible`` to ``kyc_pending``.
    """
    unknown = set(values) - DRAFT_FIELDS
    if unknown:
        raise ValueError(f"not fields of a draft: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        case = OnboardingCase.objects.select_for_update().get(pk=case_id)
        if actor is None or actor.pk != case.learner_id:
            raise PermissionDenied(
                f"Only the learner of case {case_id} may change its application."
            )
        if case.state not in EDITABLE_STATES:
            raise InvalidTransition(
                f"Case {case_id} is {case.state}: its application can no longer be changed."
            )
        profile = ApplicantProfile.objects.filter(case=case).first() or ApplicantProfile(case=case)
        for name, value in values.items():
            setattr(profile, name, value)
        if "cin" in values:
            profile.cin_digest = pii.cin_digest(values["cin"]) if values["cin"] else ""
        profile.save()
        if case.state == S.ELIGIBLE:
            case = start_application(case_id, actor)
    return case


def start_provisioning(case_id: int, *, actor_label: str) -> OnboardingCase:
    """``submitted`` → ``provisioning``, with the payment account step queued after the commit."""
    from . import outbox

    with transaction.atomic():
        case = transition(
            case_id,
            S.PROVISIONING,
            actor_label=actor_label,
            reason="opening the payment account",
            expected_from=S.SUBMITTED,
        )
        outbox.ensure_step(case, StepKind.PAYMENT_ACCOUNT)
    return case


# -- An operator's decisions ----------------------------------------------------------------


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
    return transition(
        case_id, S.WITHDRAWN, actor=actor, actor_label=label, reason=reason or "consent withdrawn"
    )


def retry(case_id: int, actor: Any, reason: str) -> OnboardingCase:
    """An operator gives a failed case a new round of attempts."""
    from . import outbox

    with transaction.atomic():
        case = transition(
            case_id,
            S.PROVISIONING,
            actor=actor,
            actor_label="operator",
            reason=reason or "retried by an operator",
            expected_from=S.FAILED_NEEDS_OPERATOR,
        )
        outbox.restart_failed_steps(case)
        if case.payment_account_status == AccountStatus.ACTIVE:
            outbox.ensure_step(case, StepKind.SELLER_PROFILE)
        else:
            outbox.ensure_step(case, StepKind.PAYMENT_ACCOUNT)
    return case


def give_up(case_id: int, *, reason: str, actor_label: str = "system") -> OnboardingCase | None:
    """A step has used its attempts or was refused for good: an operator must look."""
    case = OnboardingCase.objects.get(pk=case_id)
    if S.FAILED_NEEDS_OPERATOR not in TRANSITIONS[case.state]:
        return None
    return transition(
        case_id,
        S.FAILED_NEEDS_OPERATOR,
        actor_label=actor_label,
        reason=reason,
        expected_from=case.state,
    )


# -- What the providers report --------------------------------------------------------------


def apply_account(case_id: int, account: PaymentAccount, *, actor_label: str) -> OnboardingCase:
    """Bring the case in line with the payment account as the provider reports it.

    Idempotent: applying the same account twice changes nothing the second time. A snapshot
    older than the one already applied (by the provider's ``updated`` time) is ignored, so an
    out-of-order delivery cannot move a case back. Call it inside the transaction that records
    where the news came from.
    """
    from . import outbox

    with transaction.atomic():
        case = OnboardingCase.objects.select_for_update().get(pk=case_id)
        updated = int(account.updated.timestamp())
        if (
            case.payment_account_updated is not None
            and updated < case.payment_account_updated
            and case.payment_account_ref == account.ref
        ):
            logger.info("case %s: ignored an older snapshot of account %s", case_id, account.ref)
            return case
        case.payment_account_ref = account.ref
        case.payment_account_status = account.status
        case.payment_account_updated = updated
        case.requirements = account.requirement_codes
        case.save(
            update_fields=[
                "payment_account_ref",
                "payment_account_status",
                "payment_account_updated",
                "requirements",
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
            seller_step = outbox.ensure_step(case, StepKind.SELLER_PROFILE)
            if seller_step.status != StepStatus.SUCCEEDED:
                target, reason = S.PROVISIONING, "payment account active; publishing the profile"
        if target == case.state:
            return case
        return transition(
            case_id, target, actor_label=actor_label, reason=reason, expected_from=case.state
        )


def _target_for(case: OnboardingCase, account: PaymentAccount) -> tuple[str | None, str]:
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


__all__ = [
    "InvalidTransition",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "apply_account",
    "approve",
    "give_up",
    "open_case",
    "reject",
    "retry",
    "save_draft",
    "seller_published",
    "start_application",
    "submit_application",
    "transition",
    "withdraw",
]
