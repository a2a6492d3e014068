from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from lms.accounts import flows
from lms.accounts.models import SignInCode
from tests.i18n import french, french_plural

from .phone_sign_in import ask_for_code, last_code, type_code, wrong

pytestmark = pytest.mark.django_db


def is_signed_in(client) -> bool:
    return client.get("/fr/learn/").wsgi_request.user.is_authenticated


def test_a_wrong_code_is_refused_and_says_how_many_tries_are_left(client):
    ask_for_code(client)
    code = last_code()

    response = type_code(client, wrong(code))

    assert response.status_code == 400
    html = response.content.decode()
    assert (
        french_plural(
            "This code is not right. You can try %(count)d more time.",
            "This code is not right. You can try %(count)d more times.",
            4,
        )
        in html
    )
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="code-hint code-error"' in html
    assert SignInCode.objects.get().attempts == 1
    assert not is_signed_in(client)


def test_after_five_wrong_codes_even_the_right_one_is_refused(client):
    ask_for_code(client)
    code = last_code()
    for _ in range(5):
        type_code(client, wrong(code))

    response = type_code(client, code)

    assert response.status_code == 400
    assert french("Too many wrong codes. Ask for a new code.") in response.content.decode()
    assert not is_signed_in(client)


def test_an_expired_code_is_refused(client):
    ask_for_code(client)
    SignInCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = type_code(client, last_code())

    assert response.status_code == 400
    assert french("This code has expired. Ask for a new code.") in response.content.decode()
    assert not is_signed_in(client)


def test_a_code_expires_after_the_configured_time(client, settings):
    settings.LMS_ACCOUNTS_CODE_TTL = 120
    before = timezone.now()
    ask_for_code(client)
    lifetime = SignInCode.objects.get().expires_at - before
    assert timedelta(seconds=119) < lifetime <= timedelta(seconds=121)


def test_a_code_works_only_once():
    challenge = flows.send_code("+212612345678")
    code = last_code()

    first = flows.check_code(challenge.pk, code)
    second = flows.check_code(challenge.pk, code)

    assert first.ok
    assert first.phone == "+212612345678"
    assert not second.ok
    assert second.problem is flows.CodeProblem.SPENT


def test_typing_the_used_code_again_after_signing_out_does_not_sign_in(client):
    ask_for_code(client)
    code = last_code()
    type_code(client, code)
    session_key = client.session.session_key
    client.post("/fr/learn/sign-out/")

    response = type_code(client, code)

    assert response.status_code == 302
    assert response["Location"] == "/fr/learn/sign-in/"
    assert not is_signed_in(client)
    assert client.session.session_key != session_key


def test_asking_for_a_new_code_makes_the_old_one_stop_working(client):
    ask_for_code(client)
    old = last_code()
    ask_for_code(client)
    new = last_code()
    old_challenge = SignInCode.objects.order_by("created_at").first()

    assert not flows.check_code(old_challenge.pk, old).ok
    type_code(client, new)
    assert is_signed_in(client)


def test_codes_are_kept_only_as_keyed_hashes(client):
    ask_for_code(client)
    code = last_code()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM maalem_accounts_signincode")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert not any(code in str(value) for value in rows[0])


def test_the_session_remembers_neither_the_number_nor_the_code(client):
    ask_for_code(client)
    code = last_code()
    stored = str(dict(client.session.items()))
    assert "612345678" not in stored
    assert code not in stored
