import math
import re

import pytest
from django.test import Client

from maalem.core import sms
from tests.i18n import french_plural

from .phone_sign_in import PHONE, ask_for_code, last_code, type_code, wrong

pytestmark = pytest.mark.django_db

WAIT = (
    "Too many tries. Try again in %(minutes)d minute.",
    "Too many tries. Try again in %(minutes)d minutes.",
)


def wait_text(response) -> str:
    minutes = math.ceil(int(response["Retry-After"]) / 60)
    return french_plural(*WAIT, minutes, minutes=minutes)


def number(n: int) -> str:
    return f"06 12 34 56 {n:02d}"


def test_a_fourth_code_for_one_number_within_15_minutes_is_refused_with_the_wait(client):
    for _ in range(3):
        assert ask_for_code(client, PHONE).status_code == 302

    response = ask_for_code(client, PHONE)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert wait_text(response) in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert len(sms.outbox) == 3


def test_the_limit_per_number_holds_from_another_address(client):
    for _ in range(3):
        ask_for_code(client, PHONE)
    response = client.post("/fr/learn/sign-in/", {"phone": PHONE}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429


def test_an_eleventh_code_from_one_address_within_an_hour_is_refused(client):
    for n in range(10):
        assert ask_for_code(client, number(n)).status_code == 302

    response = ask_for_code(client, number(10))

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60 * 60
    assert wait_text(response) in response.content.decode()
    assert len(sms.outbox) == 10
    # Another address is not held back.
    assert (
        client.post(
            "/fr/learn/sign-in/", {"phone": number(10)}, REMOTE_ADDR="203.0.113.9"
        ).status_code
        == 302
    )


def test_ten_wrong_codes_from_one_address_block_even_the_right_code(client, settings):
    settings.LMS_ACCOUNTS_CODES_PER_IP = (100, 3600)
    settings.LMS_ACCOUNTS_WRONG_CODES_PER_IP = (10, 3600)
    for n in range(4):
        ask_for_code(client, number(n))
        for _ in range(3 if n < 3 else 1):
            assert type_code(client, wrong(last_code())).status_code == 400
    ask_for_code(client, number(9))

    response = type_code(client, last_code())

    assert response.status_code == 429
    assert wait_text(response) in response.content.decode()
    assert not client.get("/fr/learn/").wsgi_request.user.is_authenticated


def test_ipv6_addresses_of_one_subscriber_share_a_limit(client, settings):
    settings.LMS_ACCOUNTS_CODES_PER_IP = (2, 3600)
    client.post("/fr/learn/sign-in/", {"phone": number(1)}, REMOTE_ADDR="2001:db8:1:2::10")
    client.post("/fr/learn/sign-in/", {"phone": number(2)}, REMOTE_ADDR="2001:db8:1:2::11")
    response = client.post(
        "/fr/learn/sign-in/", {"phone": number(3)}, REMOTE_ADDR="2001:db8:1:2:ffff::1"
    )
    assert response.status_code == 429


def test_one_ip_with_ten_wrong_codes_does_not_lock_out_everyone_behind_the_carrier_nat(client):
    # Six subscribers of one carrier share one address; each mistypes their code twice.
    for n in range(6):
        ask_for_code(client, number(n))
        type_code(client, wrong(last_code()))
        type_code(client, wrong(last_code()))

    neighbour = Client()
    ask_for_code(neighbour, number(20))
    response = type_code(neighbour, last_code())

    assert response.status_code == 302
    assert neighbour.get("/fr/learn/").wsgi_request.user.is_authenticated


def test_ten_wrong_codes_for_one_number_block_it_from_any_address(client):
    addresses = iter(f"198.51.100.{n}" for n in range(1, 200))
    for _ in range(2):
        ask_for_code(client, PHONE, REMOTE_ADDR=next(addresses))
        for _ in range(5):
            type_code(client, wrong(last_code()), REMOTE_ADDR=next(addresses))
    ask_for_code(client, PHONE, REMOTE_ADDR=next(addresses))

    response = type_code(client, last_code(), REMOTE_ADDR=next(addresses))

    assert response.status_code == 429
    assert wait_text(response) in response.content.decode()
    assert not client.get("/fr/learn/").wsgi_request.user.is_authenticated


@pytest.mark.parametrize("phone", ["+33 6 12 34 56 78", "+1 202 555 0143", "+44 7911 123456"])
def test_codes_are_not_sent_to_numbers_abroad_which_invites_sms_pumping(client, phone):
    response = ask_for_code(client, phone)

    assert response.status_code == 400
    shown = re.sub(r"<[^>]+>", "", response.content.decode())
    assert "Maroc (+212)" in shown
    assert sms.outbox == []
