"""Signing in by phone as a learner does: ask for a code, read it in the text, type it."""

from __future__ import annotations

import re

from django.test import Client

from maalem.core import sms

SIGN_IN = "/fr/learn/sign-in/"
CODE_PAGE = "/fr/learn/sign-in/code/"
PHONE = "06 12 34 56 78"
E164 = "+212612345678"


def ask_for_code(client: Client, phone: str = PHONE, **extra: str):
    return client.post(SIGN_IN, {"phone": phone, **extra})


def last_code() -> str:
    """The code in the newest SMS, as the learner reads it on their phone."""
    _phone, text = sms.outbox[-1]
    match = re.search(r"\b(\d{6})\b", text)
    assert match, text
    return match.group(1)


def type_code(client: Client, code: str, **extra: str):
    return client.post(CODE_PAGE, {"code": code, **extra})


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def sign_in_by_phone(client: Client, phone: str = PHONE):
    ask_for_code(client, phone)
    return type_code(client, last_code())
