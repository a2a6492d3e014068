"""The two pages on a cheap phone: big inputs, the right keyboards, right to left in Arabic."""

import pytest
from bs4 import BeautifulSoup

from .phone_sign_in import ask_for_code

pytestmark = pytest.mark.django_db


def test_the_number_page_opens_the_phone_keypad_and_links_errors_to_the_input(client):
    soup = BeautifulSoup(ask_for_code(client, "hello").content, "html.parser")
    field = soup.select_one("input#id_phone")
    assert field["type"] == "tel"
    assert field["inputmode"] == "tel"
    assert field["autocomplete"] == "tel"
    assert soup.select_one("label[for=id_phone]")
    assert field["aria-invalid"] == "true"
    for described_by in field["aria-describedby"].split():
        assert soup.find(id=described_by), described_by
    assert soup.select_one("form[method=post]").find("input", {"name": "csrfmiddlewaretoken"})


def test_the_code_page_in_arabic_is_right_to_left_with_the_number_left_to_right(client):
    client.post("/ar/learn/sign-in/", {"phone": "0612345678"})
    response = client.get("/ar/learn/sign-in/code/")
    soup = BeautifulSoup(response.content, "html.parser")

    assert soup.html["dir"] == "rtl"
    number = soup.select_one("main bdi[dir=ltr]")
    assert number.get_text() == "06 12 34 56 78"
    field = soup.select_one("input#id_code")
    assert field["inputmode"] == "numeric"
    assert field["autocomplete"] == "one-time-code"
    assert field["maxlength"] == "6"
    assert soup.select_one("label[for=id_code]")
