import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from onboarding import applications, pii, values
from onboarding.models import ApplicantProfile

from .onboarding_builders import VALID_CIN, application, make_case, valid_rib

# The messages are checked in the source language; onboarding's catalogue translates them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "english")]


def stored_columns(profile: ApplicantProfile) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT cin, phone, cin_digest FROM {ApplicantProfile._meta.db_table} WHERE id = %s",
            [profile.pk],
        )
        return " ".join(cursor.fetchone())


def submitted_profile(**overrides) -> ApplicantProfile:
    case = make_case()
    applications.submit_application(case.pk, application(**overrides), case.learner)
    return ApplicantProfile.objects.get(case=case)


def test_the_national_id_and_the_phone_are_not_readable_in_the_database():
    profile = submitted_profile()
    raw = stored_columns(profile)

    for clear in ("AB123456", "123456", "+212612345678", "612345678"):
        assert clear not in raw
    assert (profile.cin, profile.phone) == ("AB123456", "+212612345678")


def test_a_new_key_put_first_still_reads_old_rows_and_a_save_rewrites_them_with_it(settings):
    profile = submitted_profile()
    written_with_a = stored_columns(profile)

    settings.SALT_KEY = ["salt-key-for-tests-b", "salt-key-for-tests-a"]
    profile = ApplicantProfile.objects.get(pk=profile.pk)
    assert profile.cin == VALID_CIN
    out = io.StringIO()
    call_command("reencrypt_applicants", stdout=out)
    assert out.getvalue() == "1 applicant(s) rewritten with the newest key.\n"
    written_with_b = stored_columns(profile)
    assert written_with_b != written_with_a

    settings.SALT_KEY = ["salt-key-for-tests-b"]
    assert ApplicantProfile.objects.get(pk=profile.pk).cin == VALID_CIN


def test_the_national_id_fingerprint_ignores_case_and_spaces_and_depends_on_the_key(settings):
    assert pii.cin_digest("ab 123456") == pii.cin_digest("AB123456")
    before = pii.cin_digest("AB123456")
    settings.ONBOARDING_PII_HMAC_KEY = "another key"
    assert pii.cin_digest("AB123456") != before


@pytest.mark.parametrize(
    "value, expected", [("ab123456", "AB123456"), (" J 12 ", "J12"), ("x1", "X1")]
)
def test_national_ids_are_normalised_to_upper_case(value, expected):
    assert values.read_cin(value) == expected


@pytest.mark.parametrize("value", ["ABC123", "123456", "AB1234567", "A1B2", "AB"])
def test_a_malformed_national_id_gets_a_message_that_explains_the_format_without_the_value(value):
    with pytest.raises(ValidationError) as error:
        values.read_cin(value)
    message = error.value.messages[0]
    assert "1 or 2 letters followed by up to 6 digits" in message
    assert value not in message


def test_a_rib_with_its_right_key_is_accepted_and_one_wrong_digit_is_caught():
    rib = valid_rib()
    assert int(rib) % 97 == 0
    assert values.read_rib(" ".join([rib[:3], rib[3:6], rib[6:22], rib[22:]])) == rib
    wrong = rib[:10] + str((int(rib[10]) + 1) % 10) + rib[11:]
    with pytest.raises(ValidationError, match="does not match the 22 digits before it"):
        values.read_rib(wrong)


def test_a_rib_of_the_wrong_length_says_it_needs_24_digits():
    with pytest.raises(ValidationError, match="exactly 24 digits"):
        values.read_rib(valid_rib()[:-1])


def test_a_second_case_with_the_same_national_id_goes_to_manual_review():
    submitted_profile(cin="AB123456")
    second = make_case()
    applications.submit_application(second.pk, application(cin="ab 123456"), second.learner)

    second.refresh_from_db()
    assert second.state == "manual_review"
    assert second.transitions.last().reason == "duplicate national ID"
    assert not second.steps.exists()


def test_a_rejected_application_names_the_wrong_fields_and_never_their_values():
    case = make_case()
    with pytest.raises(ValidationError) as error:
        applications.submit_application(
            case.pk,
            application(
                cin="ZZZ999", phone="0522123456", payout_method="bank", rib="1234", consent=False
            ),
            case.learner,
        )
    fields = error.value.message_dict
    assert set(fields) == {"cin", "phone", "rib", "consent"}
    text = str(fields)
    for value in ("ZZZ999", "0522123456", "1234"):
        assert value not in text
    case.refresh_from_db()
    assert case.state == "eligible"


def test_personal_values_are_removed_from_a_provider_answer_before_it_is_stored():
    answer = {
        "id": "acct_1",
        "status": "active",
        "phone": "+212612345678",
        "payout": {"rib": "1" * 24},
    }
    assert pii.redact(answer) == {
        "id": "acct_1",
        "status": "active",
        "phone": "[redacted]",
        "payout": {"rib": "[redacted]"},
    }


def test_reencrypting_refuses_a_batch_size_below_one_and_changes_nothing():
    profile = submitted_profile()
    before = stored_columns(profile)
    with pytest.raises(CommandError, match="--batch-size must be 1 or more"):
        call_command("reencrypt_applicants", "--batch-size", "0")
    assert stored_columns(profile) == before
