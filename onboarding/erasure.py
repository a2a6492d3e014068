"""Erasing a withdrawn applicant's personal data once the retention period is over.

A learner who withdraws her consent keeps no application with us: after
``ONBOARDING_ERASE_AFTER_DAYS`` days (the legal retention period) :func:`erase_withdrawn`
blanks her encrypted national ID, phone numbers and RIB, the national ID's fingerprint and her
artisan register number, deletes her photo file and every answer kept for the provider, and
clears the reasons people wrote in her timeline; ``applicant_erased`` tells the marketplace to
delete the published copy of her photo. What stays is a record that names no one: the
case row with its state and dates, the timeline's moves and the shop's name and region.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from maalem.core.private_files import private_storage

from .answer_models import ProviderAnswer
from .conf import app_settings
from .models import ApplicantProfile, CaseState, CaseTransition
from .signals import applicant_erased

logger = logging.getLogger(__name__)

ERASED_REASON = "personal data erased after withdrawal"


@dataclass
class Erasure:
    """What a run erased (or would erase, on a dry run): the case ids."""

    case_ids: list[int] = field(default_factory=list)


def still_identifying() -> Q:
    """Profiles with anything personal left in them."""
    return (
        Q(cin__isnull=False)
        | Q(phone__isnull=False)
        | Q(rib__isnull=False)
        | Q(wallet_phone__isnull=False)
        | ~Q(cin_digest="")
        | ~Q(photo="")
        | ~Q(artisan_register_number="")
    )


def due_profiles(now: datetime | None = None) -> QuerySet[ApplicantProfile]:
    """The profiles of cases withdrawn longer ago than the retention period, not yet erased."""
    cutoff = (now or timezone.now()) - timedelta(days=app_settings.ERASE_AFTER_DAYS)
    return (
        ApplicantProfile.objects.filter(
            case__state=CaseState.WITHDRAWN,
            case__transitions__to_state=CaseState.WITHDRAWN,
            case__transitions__at__lte=cutoff,
        )
        .filter(still_identifying())
        .distinct()
        .order_by("pk")
    )


def erase_withdrawn(*, dry_run: bool = False) -> Erasure:
    """Erase every applicant due; on a dry run, only say which cases would be erased."""
    done = Erasure()
    for profile_id, case_id in list(due_profiles().values_list("pk", "case_id")):
        if not dry_run:
            erase_profile(profile_id)
        done.case_ids.append(case_id)
    return done


def purge_expired(*, dry_run: bool = False) -> dict[str, int]:
    """The retention purger (see :mod:`maalem.core.retention`): the daily purge erases the
    withdrawn applicants whose legal retention period is over."""
    return {"withdrawn_applicants": len(erase_withdrawn(dry_run=dry_run).case_ids)}


def erase_profile(profile_id: int) -> None:
    """Blank one profile's personal data; its photo file is deleted after the commit."""
    with transaction.atomic():
        profile = ApplicantProfile.objects.select_for_update().get(pk=profile_id)
        photo = profile.photo.name if profile.photo else ""
        ApplicantProfile.objects.filter(pk=profile_id).update(
            cin=None,
            phone=None,
            rib=None,
            wallet_phone=None,
            cin_digest="",
            artisan_register_number="",
            photo="",
            updated_at=timezone.now(),
        )
        ProviderAnswer.objects.filter(case_id=profile.case_id).delete()
        # A person's words may name her; the system's reasons do not.
        CaseTransition.objects.filter(case_id=profile.case_id, actor__isnull=False).update(
            reason=""
        )
        CaseTransition.objects.create(
            case_id=profile.case_id,
            from_state=CaseState.WITHDRAWN,
            to_state=CaseState.WITHDRAWN,
            actor_label="erasure",
            reason=ERASED_REASON,
        )
        if photo:
            transaction.on_commit(lambda: private_storage().delete(photo))
        case_id = profile.case_id
        transaction.on_commit(
            lambda: applicant_erased.send(sender=ApplicantProfile, case_id=case_id)
        )
    logger.info("case %s: personal data erased after withdrawal", profile.case_id)
