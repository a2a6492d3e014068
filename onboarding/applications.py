"""The learner's side of a case: opening it, the application's drafts, and submitting it.

The answers are read and checked by :mod:`onboarding.values` (the form uses the same readers);
these functions keep them and move the case through :mod:`onboarding.statemachine`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import photos, pii
from .models import ApplicantProfile, CaseState, OnboardingCase
from .provisioning import start_provisioning
from .statemachine import InvalidTransition, record_opening, transition
from .values import Application

logger = logging.getLogger(__name__)

S = CaseState

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
            record_opening(case, actor_label=actor_label, reason=reason)
    except IntegrityError:
        return OnboardingCase.objects.get(learner=learner), False
    logger.info("onboarding case %s opened for learner %s", case.pk, learner.pk)
    return case, True


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


def save_draft(case_id: int, values: Mapping[str, Any], actor: Any) -> OnboardingCase:
    """Keep what the learner has filled in so far, to finish later; return the case.

    ``values`` holds only the fields to change, already read by the form (a draft may be
    incomplete, never wrong). The first save moves the case from ``eligible`` to ``kyc_pending``.
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
        old_photo = profile.photo.name or ""
        for name, value in values.items():
            setattr(profile, name, value)
        if "cin" in values:
            profile.cin_digest = pii.cin_digest(values["cin"]) if values["cin"] else ""
        profile.save()
        photos.forget_after_commit(old_photo, profile.photo.name or "")
        if case.state == S.ELIGIBLE:
            case = start_application(case_id, actor)
    return case


def submit_application(case_id: int, data: Mapping[str, Any], actor: Any) -> OnboardingCase:
    """Save the learner's application and send it on.

    ``data`` holds the answers by field, read with :meth:`onboarding.values.Application.read`
    (which raises ValidationError, per field, on bad data). The case goes to ``submitted`` and
    on to ``provisioning``, or to ``manual_review`` when another case has the same national ID.
    """
    application = Application.read(data)
    digest = pii.cin_digest(application.cin)
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
        old_photo = (
            ApplicantProfile.objects.filter(case=case).values_list("photo", flat=True).first()
        )
        profile, _created = ApplicantProfile.objects.update_or_create(
            case=case,
            defaults={
                **application.profile_values(),
                "cin_digest": digest,
                "consented_at": timezone.now(),
            },
        )
        photos.forget_after_commit(old_photo or "", profile.photo.name or "")
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
