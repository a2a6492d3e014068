import pytest
from django.db import IntegrityError, connection

from lms.accounts import flows
from lms.accounts.models import LearnerPhone
from tests.builders import make_learner

pytestmark = pytest.mark.django_db


def raw_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608  (a fixed table name)
        return cursor.fetchall()


def test_the_database_holds_no_clear_phone_number(client):
    flows.send_code("+212612345678")
    flows.learner_for_phone("+212612345678")

    rows = raw_rows("maalem_accounts_learnerphone") + raw_rows("maalem_accounts_signincode")

    assert len(rows) == 2
    text = " ".join(str(value) for row in rows for value in row)
    assert "612345678" not in text
    assert "12 34 56 78" not in text
    assert LearnerPhone.objects.get().phone == "+212612345678"


def test_a_learner_is_found_by_number_without_decrypting_any_row():
    learner = flows.learner_for_phone("+212612345678")
    other = flows.learner_for_phone("+212698765432")

    assert flows.learner_for_phone("+212612345678").pk == learner.pk
    assert other.pk != learner.pk


def test_two_accounts_cannot_share_a_number():
    flows.learner_for_phone("+212612345678")
    with pytest.raises(IntegrityError):
        LearnerPhone.objects.create(user=make_learner(), phone="+212612345678")


def test_the_digest_depends_on_the_secret_hmac_key(settings):
    phone = LearnerPhone.objects.create(user=make_learner(), phone="+212612345678")
    settings.MAALEM_PHONE_HMAC_KEY = "another-key"
    other = LearnerPhone(user=make_learner(), phone="+212612345678")
    other.save()
    assert other.phone_digest != phone.phone_digest
