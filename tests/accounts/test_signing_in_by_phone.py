import logging
import re

import pytest
from django.contrib.auth import get_user_model

from lms.accounts import flows
from lms.accounts.models import LearnerPhone
from maalem.core import sms
from tests.i18n import french

from .phone_sign_in import CODE_PAGE, E164, PHONE, SIGN_IN, ask_for_code, last_code, type_code

pytestmark = pytest.mark.django_db

NAME_PAGE = "/fr/learn/sign-in/name/"


def named_learner(phone: str = E164):
    user = flows.learner_for_phone(phone)
    user.first_name, user.last_name = "Fatima", "Zahra"
    user.save()
    return user


def signed_in_user(client):
    return client.get("/fr/learn/").wsgi_request.user


def test_a_new_number_gets_a_code_by_sms_and_signs_in_to_a_new_learner_account(client):
    response = ask_for_code(client)
    assert response.status_code == 302
    assert response["Location"] == CODE_PAGE
    assert [phone for phone, _text in sms.outbox] == [E164]

    response = type_code(client, last_code())

    assert response.status_code == 302
    # A new account has no name yet: the next page asks for the one to print on certificates.
    assert response["Location"] == NAME_PAGE
    user = signed_in_user(client)
    assert user.is_authenticated
    assert user.username.startswith("learner-")
    assert not user.has_usable_password()
    assert LearnerPhone.objects.get(user=user).phone == E164


def test_signing_in_again_with_the_same_number_written_another_way_reuses_the_account(client):
    ask_for_code(client, PHONE)
    type_code(client, last_code())
    first = signed_in_user(client)
    client.post("/fr/learn/sign-out/")

    ask_for_code(client, "+212 6 12 34 56 78")
    type_code(client, last_code())

    assert signed_in_user(client).pk == first.pk
    assert get_user_model().objects.count() == 1


def test_the_learner_goes_back_to_the_page_that_asked_them_to_sign_in(client):
    named_learner()
    ask_for_code(client, next="/fr/courses/course-1/")
    response = type_code(client, last_code(), next="/fr/courses/course-1/")
    assert response["Location"] == "/fr/courses/course-1/"


def test_a_new_learner_gives_their_name_then_goes_back_to_the_page_that_asked(client):
    ask_for_code(client, next="/fr/courses/course-1/")
    response = type_code(client, last_code(), next="/fr/courses/course-1/")
    assert response["Location"] == NAME_PAGE + "?next=%2Ffr%2Fcourses%2Fcourse-1%2F"
    page = client.get(response["Location"]).content.decode()
    assert french("We print it on your certificates. Write it as on your national ID card.") in page

    response = client.post(
        NAME_PAGE,
        {"first_name": " فاطمة ", "last_name": "الزهراء", "next": "/fr/courses/course-1/"},
    )

    assert response["Location"] == "/fr/courses/course-1/"
    user = signed_in_user(client)
    assert (user.first_name, user.last_name) == ("فاطمة", "الزهراء")


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        ("", "Zahra", "first_name", "Write your first name."),
        ("Fatima", "", "last_name", "Write your family name."),
        ("12345", "Zahra", "first_name", "Write your name with letters."),
    ],
)
def test_a_name_that_cannot_be_printed_is_refused_and_nothing_is_saved(
    client, first, last, field, message
):
    user = named_learner()
    client.force_login(user)

    response = client.post(NAME_PAGE, {"first_name": first, "last_name": last})

    assert response.status_code == 400
    html = response.content.decode()
    assert french(message) in html
    assert f'id="id_{field}-error"' in html
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Fatima", "Zahra")


def test_the_name_page_is_for_signed_in_learners_only(client):
    response = client.get(NAME_PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/learn/sign-in/?next=")


def test_my_learning_shows_the_name_on_certificates_with_a_way_to_change_it(client):
    client.force_login(named_learner())
    page = client.get("/fr/learn/").content.decode()
    assert "Fatima Zahra" in page
    assert f'href="{NAME_PAGE}?next=/fr/learn/"' in page.replace("%2F", "/")


def test_a_next_address_on_another_site_is_ignored(client):
    named_learner()
    ask_for_code(client, next="https://evil.example/")
    response = type_code(client, last_code(), next="https://evil.example/")
    assert response["Location"] == "/fr/learn/"


def test_a_code_typed_with_arabic_digits_works(client):
    ask_for_code(client, "٠٦١٢٣٤٥٦٧٨")
    arabic = "".join("٠١٢٣٤٥٦٧٨٩"[int(digit)] for digit in last_code())
    type_code(client, arabic)
    assert signed_in_user(client).is_authenticated


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your mobile phone number."),
        ("hello", "This is not a phone number. Write it like 06 12 34 56 78."),
        ("06 12", "This phone number does not exist. Check the digits."),
        ("05 22 12 34 56", "Enter a mobile number: this one is a landline."),
    ],
)
def test_a_number_that_cannot_get_an_sms_is_refused_with_a_reason(client, typed, message):
    response = ask_for_code(client, typed)
    assert response.status_code == 400
    # As read: an example number sits in its own left-to-right <bdi>.
    assert french(message) in re.sub(r"</?bdi[^>]*>", "", response.content.decode())
    assert sms.outbox == []


def test_the_code_page_without_a_code_sent_goes_back_to_the_number(client):
    response = client.get(CODE_PAGE)
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN


def test_a_signed_in_learner_who_opens_sign_in_goes_to_my_learning(client):
    ask_for_code(client)
    type_code(client, last_code())
    assert client.get(SIGN_IN)["Location"] == "/fr/learn/"


def test_neither_the_number_nor_the_code_reaches_the_logs(client):
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Keep(level=logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        ask_for_code(client)
        code = last_code()
        type_code(client, "000000" if code != "000000" else "111111")
        type_code(client, code)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    text = "\n".join(records)
    assert "612345678" not in text
    assert "12 34 56" not in text
    assert code not in text


def test_without_a_page_to_go_back_to_the_learner_lands_where_the_apps_setting_says(
    client, settings
):
    # A stock Django site keeps LOGIN_REDIRECT_URL at /accounts/profile/, a page it does not have.
    settings.LOGIN_REDIRECT_URL = "/accounts/profile/"
    named_learner()
    ask_for_code(client)
    assert type_code(client, last_code())["Location"] == "/fr/learn/"

    del settings.LMS_ACCOUNTS_REDIRECT_URL
    client.post("/fr/learn/sign-out/")
    ask_for_code(client)
    assert type_code(client, last_code())["Location"] == "/"
