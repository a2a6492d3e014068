"""Personal data past its retention period goes, and only it: drafts, rejected applications'
personal fields, photos no application names, webhook bodies and sign-in records."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from lms.accounts.models import SignInCode
from maalem.core.private_files import private_storage
from onboarding.models import ApplicantProfile, OnboardingCase, WebhookEvent
from onboarding.photos import PHOTO_FOLDER

from .onboarding_builders import make_case

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=400)


def stored_photo() -> str:
    return private_storage().save(f"{PHOTO_FOLDER}/{uuid.uuid4().hex}.jpg", ContentFile(b"jpeg"))


def age_file(name: str) -> None:
    path = private_storage().path(name)
    os.utime(path, (LONG_AGO.timestamp(), LONG_AGO.timestamp()))


def application_in(state: str, *, old: bool) -> OnboardingCase:
    case = make_case(state=state)
    ApplicantProfile.objects.create(
        case=case, cin="AB123456", phone="+212612345678", rib="0" * 24, photo=stored_photo()
    )
    if old:
        OnboardingCase.objects.filter(pk=case.pk).update(updated_at=LONG_AGO)
        ApplicantProfile.objects.filter(case=case).update(updated_at=LONG_AGO)
    return case


def webhook(*, old: bool) -> WebhookEvent:
    event = WebhookEvent.objects.create(
        provider="payments",
        event_id=uuid.uuid4().hex,
        type="account.updated",
        created=0,
        payload={"account": "acct_1"},
        processed_at=timezone.now(),
    )
    if old:
        WebhookEvent.objects.filter(pk=event.pk).update(received_at=LONG_AGO)
    return event


def sign_in_code(*, old: bool) -> SignInCode:
    expires = LONG_AGO if old else timezone.now()
    return SignInCode.objects.create(
        phone="+212612345678", phone_digest="d" * 64, code_hash="h" * 64, expires_at=expires
    )


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_expired_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old_and_new():
    rows = {
        "old_draft": application_in("kyc_pending", old=True),
        "new_draft": application_in("kyc_pending", old=False),
        "old_submitted": application_in("submitted", old=True),
        "old_rejected": application_in("rejected", old=True),
        "new_rejected": application_in("rejected", old=False),
        "old_webhook": webhook(old=True),
        "new_webhook": webhook(old=False),
        "old_code": sign_in_code(old=True),
        "new_code": sign_in_code(old=False),
    }
    old_orphan, new_orphan = stored_photo(), stored_photo()
    age_file(old_orphan)
    rows["old_orphan"], rows["new_orphan"] = old_orphan, new_orphan
    return rows


def test_the_dry_run_counts_only_the_old_rows_and_deletes_nothing(old_and_new):
    report = purge("--dry-run")

    for line in (
        "onboarding.drafts: would purge 1",
        "onboarding.rejected_personal_fields: would purge 1",
        "onboarding.replaced_photos: would purge 1",
        "onboarding.webhook_payloads: would purge 1",
        "accounts.sign_in_codes: would purge 1",
    ):
        assert line in report
    assert "AB123456" not in report and "612345678" not in report
    assert OnboardingCase.objects.filter(pk=old_and_new["old_draft"].pk).exists()
    assert private_storage().exists(old_and_new["old_orphan"])
    assert SignInCode.objects.filter(pk=old_and_new["old_code"].pk).exists()
    old_webhook = WebhookEvent.objects.get(pk=old_and_new["old_webhook"].pk)
    assert old_webhook.payload == {"account": "acct_1"}


def test_the_purge_removes_only_what_is_past_its_retention_period(
    old_and_new, django_capture_on_commit_callbacks
):
    old_draft_photo = old_and_new["old_draft"].applicant.photo.name
    old_rejected_photo = old_and_new["old_rejected"].applicant.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        report = purge()

    assert "onboarding.drafts: purged 1" in report
    assert not OnboardingCase.objects.filter(pk=old_and_new["old_draft"].pk).exists()
    assert not private_storage().exists(old_draft_photo)
    assert OnboardingCase.objects.filter(pk=old_and_new["new_draft"].pk).exists()
    assert ApplicantProfile.objects.get(case=old_and_new["old_submitted"]).cin == "AB123456"

    rejected = ApplicantProfile.objects.get(case=old_and_new["old_rejected"])
    assert (rejected.cin, rejected.phone, rejected.rib, rejected.photo.name) == (
        None,
        None,
        None,
        "",
    )
    assert not private_storage().exists(old_rejected_photo)
    assert OnboardingCase.objects.filter(pk=old_and_new["old_rejected"].pk).exists()
    assert ApplicantProfile.objects.get(case=old_and_new["new_rejected"]).cin == "AB123456"

    assert not private_storage().exists(old_and_new["old_orphan"])
    assert private_storage().exists(old_and_new["new_orphan"])
    assert WebhookEvent.objects.get(pk=old_and_new["old_webhook"].pk).payload == {}
    assert WebhookEvent.objects.get(pk=old_and_new["new_webhook"].pk).payload != {}
    assert not SignInCode.objects.filter(pk=old_and_new["old_code"].pk).exists()
    assert SignInCode.objects.filter(pk=old_and_new["new_code"].pk).exists()

    assert "purged 0" in purge().splitlines()[0]


def test_the_daily_beat_runs_the_purge(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-data"]
    assert entry["task"] == "config.tasks.purge_expired_data"
    assert entry["schedule"] <= 24 * 3600
