"""Whoever types a number learns nothing about whether it belongs to a learner."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lms.accounts import flows

from .phone_sign_in import CODE_PAGE, ask_for_code

pytestmark = pytest.mark.django_db

KNOWN = "06 12 34 56 78"
UNKNOWN = "06 98 76 54 78"


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def visit(number: str) -> tuple[object, object, list[str]]:
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = ask_for_code(client, number)
    page = client.get(CODE_PAGE)
    html = without_tokens(page.content.decode())
    html = html.replace(number, "NUMBER").replace(flows_e164(number), "E164")
    # The statements the database ran, without their values: the same work, the same time.
    statements = [
        re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"]) for query in queries.captured_queries
    ]
    return (response.status_code, response.get("Location"), response.content), html, statements


def flows_e164(number: str) -> str:
    return "+212" + number.replace(" ", "")[1:]


def test_known_and_unknown_numbers_get_the_same_answer_from_the_same_work():
    flows.learner_for_phone("+212612345678")

    known = visit(KNOWN)
    unknown = visit(UNKNOWN)

    assert known[0] == unknown[0]
    assert known[0][0] == 302
    assert known[1] == unknown[1]
    assert known[2] == unknown[2]
