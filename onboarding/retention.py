"""What onboarding deletes once past its retention period (periods in :mod:`onboarding.conf`).

Registered with :mod:`maalem.core.retention`, which ``manage.py purge_expired_data`` and the
daily beat task run.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from maalem.core.private_files import private_storage
from maalem.core.retention import cutoff

from .conf import app_settings
from .models import ApplicantProfile, CaseState, OnboardingCase, WebhookEvent
from .photos import PHOTO_FOLDER

DRAFT_STATES = (CaseState.ELIGIBLE, CaseState.KYC_PENDING)
PERSONAL_FIELDS = {
    "cin": None,
    "cin_digest": "",
    "phone": None,
    "rib": None,
    "wallet_phone": None,
    "artisan_register_number": "",
    "photo": "",
}


def _delete_files_after_commit(names: list[str]) -> None:
    def delete() -> None:
        storage = private_storage()
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)


def purge_drafts(now: datetime, dry_run: bool) -> int:
    """Delete the draft applications nobody touched within the retention period."""
    before = cutoff(app_settings.DRAFTS_KEPT_DAYS, now)
    drafts = OnboardingCase.objects.filter(state__in=DRAFT_STATES, updated_at__lt=before).exclude(
        applicant__updated_at__gte=before
    )
    if dry_run:
        return drafts.count()
    with transaction.atomic():
        photos = list(
            ApplicantProfile.objects.filter(case__in=drafts).values_list("photo", flat=True)
        )
        deleted = drafts.count()
        drafts.delete()
        _delete_files_after_commit(photos)
    return deleted


def purge_rejected(now: datetime, dry_run: bool) -> int:
    """Erase the personal fields of applications rejected longer ago than the period."""
    before = cutoff(app_settings.REJECTED_KEPT_DAYS, now)
    left = ~Q(photo="") | Q(cin__isnull=False) | Q(phone__isnull=False) | Q(rib__isnull=False)
    profiles = ApplicantProfile.objects.filter(
        left | Q(wallet_phone__isnull=False) | ~Q(cin_digest="") | ~Q(artisan_register_number=""),
        case__state=CaseState.REJECTED,
        case__updated_at__lt=before,
    )
    if dry_run:
        return profiles.count()
    with transaction.atomic():
        photos = list(profiles.values_list("photo", flat=True))
        erased = profiles.update(**PERSONAL_FIELDS, updated_at=now)
        _delete_files_after_commit(photos)
    return erased


def purge_replaced_photos(now: datetime, dry_run: bool) -> int:
    """Delete stored photos that no application names, older than the period."""
    storage = private_storage()
    before = cutoff(app_settings.REPLACED_PHOTOS_KEPT_DAYS, now)
    try:
        _, files = storage.listdir(PHOTO_FOLDER)
    except FileNotFoundError:
        return 0
    named = set(ApplicantProfile.objects.exclude(photo="").values_list("photo", flat=True))
    orphans = [
        name
        for name in (f"{PHOTO_FOLDER}/{file}" for file in files)
        if name not in named and storage.get_modified_time(name) < before
    ]
    if not dry_run:
        for name in orphans:
            storage.delete(name)
    return len(orphans)


def purge_webhook_payloads(now: datetime, dry_run: bool) -> int:
    """Empty the bodies of processed webhooks older than the period."""
    before = cutoff(app_settings.WEBHOOK_PAYLOADS_KEPT_DAYS, now)
    events = WebhookEvent.objects.filter(
        processed_at__isnull=False, received_at__lt=before
    ).exclude(payload={})
    if dry_run:
        return events.count()
    return events.update(payload={})


def purge_expired(*, dry_run: bool = False) -> dict[str, int]:
    now = timezone.now()
    return {
        "drafts": purge_drafts(now, dry_run),
        "rejected_personal_fields": purge_rejected(now, dry_run),
        "replaced_photos": purge_replaced_photos(now, dry_run),
        "webhook_payloads": purge_webhook_payloads(now, dry_run),
    }
