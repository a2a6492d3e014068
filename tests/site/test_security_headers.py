"""Every learner page tells the browser to run only the site's own code and to keep the
camera, microphone and position off."""

import pytest

from tests.builders import make_catalogue

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_learner_pages_send_a_content_security_policy_without_inline_script(client):
    make_catalogue()
    for url in ("/fr/learn/sign-in/", "/fr/learn/"):
        response = client.get(url, follow=True)
        policy = directives(response["Content-Security-Policy"])

        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_learner_pages_turn_off_the_camera_microphone_and_position(client):
    response = client.get("/fr/learn/sign-in/")
    policy = response["Permissions-Policy"]

    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
