"""The browser tab names the site in the page's language, never the server's host name.

Django's sign-in view puts the host name in the template context as ``site_name``; the learner
layout used that name in the title, so the Arabic sign-in page read "testserver" (or the
domain) in Latin letters."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "brand"), [("ar", "مْعلّم"), ("fr", "Maalem")])
def test_the_password_sign_in_page_title_names_the_site_in_its_language(
    client: Client, language: str, brand: str
) -> None:
    html = client.get(f"/{language}/learn/sign-in/password/").content.decode()

    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None
    assert title.group(1).strip().endswith(f"· {brand}")
    assert "testserver" not in title.group(1)
