import pytest
from django.conf import settings

from tests.builders import make_catalogue

pytestmark = pytest.mark.django_db


def test_the_language_of_the_last_page_read_is_remembered_for_the_bare_address(client):
    make_catalogue()
    client.get("/ar/learn/sign-in/")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


def test_switching_language_replaces_the_remembered_one(client):
    client.get("/ar/learn/sign-in/")
    client.get("/en/learn/sign-in/")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_missing_page_does_not_change_the_remembered_language(client):
    client.get("/fr/learn/sign-in/")
    client.get("/ar/no-such-page/")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
