"""Trainers and operators keep their password: the Wagtail admin, and a password page for demos."""

import pytest
from django.contrib.auth import get_user_model

from tests.builders import make_learner

pytestmark = pytest.mark.django_db


def test_an_operator_signs_in_to_the_wagtail_admin_with_a_password(client):
    get_user_model().objects.create_superuser("operator", "op@example.com", "pass-Word-42")

    response = client.post(
        "/admin/login/", {"username": "operator", "password": "pass-Word-42"}, follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/"
    assert response.wsgi_request.user.username == "operator"


def test_a_wrong_admin_password_is_refused(client):
    get_user_model().objects.create_superuser("operator", "op@example.com", "pass-Word-42")
    client.post("/admin/login/", {"username": "operator", "password": "nope"})
    assert client.get("/admin/").status_code == 302


def test_a_demo_account_signs_in_with_a_password_from_the_sign_in_page(client):
    learner = make_learner()
    page = client.get("/fr/learn/sign-in/?next=/fr/learn/").content.decode()
    assert 'href="/fr/learn/sign-in/password/?next=/fr/learn/"' in page

    response = client.post(
        "/fr/learn/sign-in/password/",
        {"username": learner.username, "password": "pass-Word-42", "next": "/fr/learn/"},
    )

    assert response.status_code == 302
    assert client.get("/fr/learn/").wsgi_request.user.pk == learner.pk


@pytest.mark.parametrize("sign_in_url", ["/admin/login/", "/fr/learn/sign-in/password/"])
def test_thirty_wrong_passwords_then_the_right_one_no_longer_signs_in(
    client, settings, fast_passwords, sign_in_url
):
    get_user_model().objects.create_superuser("operator", "op@example.com", "pass-Word-42")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(sign_in_url, {"username": "operator", "password": "guess"})

    response = client.post(sign_in_url, {"username": "operator", "password": "pass-Word-42"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    page = response.content.decode()
    assert "Trop de mots de passe erronés" in page
    assert "operator" not in page
    assert not client.get("/fr/learn/").wsgi_request.user.is_authenticated


def test_a_locked_username_does_not_lock_out_another_account_from_the_same_address(
    client, settings, fast_passwords
):
    users = get_user_model().objects
    users.create_superuser("operator", "op@example.com", "pass-Word-42")
    users.create_superuser("trainer", "tr@example.com", "pass-Word-43")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "operator", "password": "guess"})

    response = client.post("/admin/login/", {"username": "trainer", "password": "pass-Word-43"})

    assert response.status_code == 302
    assert client.get("/admin/").wsgi_request.user.username == "trainer"
