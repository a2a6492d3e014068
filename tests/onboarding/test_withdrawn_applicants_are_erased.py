"""A withdrawn applicant's personal data does not stay: after the retention period the national
ID, phone, RIB, fingerprint and photo are erased; a record that names no one remains."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from maalem.core.private_files import private_storage
from onboarding import operator_actions
from onboarding.models import ApplicantProfile, CaseTransition, OnboardingCase

from .marketplace_builders import applied_case, make_photo
from .onboarding_builders import operator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]

CIN = "XY987654"
RIB = "011780000012345678901296"


def withdrawn_applicant() -> tuple[OnboardingCase, str]:
    case = applied_case(cin=CIN, payout_method="bank", rib=RIB)
    photo = make_photo()
    ApplicantProfile.objects.filter(case=case).update(photo=photo)
    operator_actions.withdraw(
        case.pk, operator("withdraw_case"), f"asked by phone, her CIN is {CIN}"
    )
    return case, photo


def raw_rows(case: OnboardingCase) -> str:
    """Every column of the case's profile and timeline, as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {ApplicantProfile._meta.db_table} WHERE case_id = %s", [case.pk]
        )
        rows = list(cursor.fetchall())
        cursor.execute(
            f"SELECT * FROM {CaseTransition._meta.db_table} WHERE case_id = %s", [case.pk]
        )
        rows += list(cursor.fetchall())
    return repr(rows)


def erase(*options: str) -> str:
    out = StringIO()
    call_command("erase_withdrawn_applicants", *options, stdout=out)
    return out.getvalue()


def test_after_the_retention_period_no_personal_data_remains(
    settings, django_capture_on_commit_callbacks
):
    settings.ONBOARDING_ERASE_AFTER_DAYS = 0
    case, photo = withdrawn_applicant()
    profile = ApplicantProfile.objects.get(case=case)
    assert (profile.cin, profile.rib) == (CIN, RIB)
    assert profile.cin_digest and private_storage().exists(photo)

    with django_capture_on_commit_callbacks(execute=True):
        assert erase().startswith("1 withdrawn applicant(s) erased")

    profile = ApplicantProfile.objects.get(case=case)
    assert (profile.cin, profile.phone, profile.rib, profile.wallet_phone) == (None,) * 4
    assert (profile.cin_digest, profile.photo.name) == ("", "")
    assert not private_storage().exists(photo)
    rows = raw_rows(case)
    assert CIN not in rows and "0612345678" not in rows and RIB not in rows
    # What remains names no one: the case, its state and its dated moves.
    case.refresh_from_db()
    assert case.state == "withdrawn"
    moves = list(case.transitions.values_list("to_state", flat=True))
    assert moves[-2:] == ["withdrawn", "withdrawn"]
    assert case.transitions.latest("pk").actor_label == "erasure"
    # Erased once: the next run finds nothing.
    assert erase().startswith("0 withdrawn")


def test_nothing_is_erased_before_the_retention_period_or_on_a_dry_run(settings):
    settings.ONBOARDING_ERASE_AFTER_DAYS = 30
    case, photo = withdrawn_applicant()

    assert erase().startswith("0 withdrawn")
    case.transitions.filter(to_state="withdrawn").update(at=timezone.now() - timedelta(days=31))
    assert erase("--dry-run").startswith("1 withdrawn applicant(s) would be erased")
    assert ApplicantProfile.objects.get(case=case).cin == CIN

    assert f"cases: {case.pk}." in erase()
    assert ApplicantProfile.objects.get(case=case).cin is None


def test_an_applicant_who_did_not_withdraw_is_kept(settings):
    settings.ONBOARDING_ERASE_AFTER_DAYS = 0
    case = applied_case(cin=CIN)

    assert erase().startswith("0 withdrawn")
    assert ApplicantProfile.objects.get(case=case).cin == CIN


def test_the_daily_purge_erases_withdrawn_applicants_past_their_retention(settings):
    from maalem.core import retention

    settings.ONBOARDING_ERASE_AFTER_DAYS = 0
    case, _photo = withdrawn_applicant()

    counts = retention.purge_expired()

    assert counts["onboarding_erasure.withdrawn_applicants"] == 1
    assert ApplicantProfile.objects.get(case=case).cin is None
