"""Helpers for payment sessions in the sandbox: an active merchant account, a session, and a
buyer who drives the hosted page's HTML forms over HTTP as a browser without JavaScript would."""

from __future__ import annotations

import re
import uuid
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from onboarding.providers.payment_sessions import PaymentSession
from onboarding.providers.payments import HTTPPaymentsBackend
from tests.worker import wait_for

from .payments_builders import make_applicant
from .sandbox_process import RunningSandbox

RETURN_URL = "http://127.0.0.1:9/orders/done"
CANCEL_URL = "http://127.0.0.1:9/orders/cancel"
SUCCEEDS, DECLINED, SECURE = "4242424242424242", "4000000000000002", "4000000000003220"


def active_account(sandbox: RunningSandbox, backend: HTTPPaymentsBackend) -> str:
    """A new merchant account, moved to active as the provider's back office would."""
    account = backend.open_account(make_applicant(), f"account-{uuid.uuid4().hex}")
    sandbox.set_account(account.ref, "active")
    return account.ref


def open_session(
    backend: HTTPPaymentsBackend, account_ref: str, **overrides: Any
) -> PaymentSession:
    values: dict[str, Any] = {
        "account_ref": account_ref,
        "amount_minor": 15_000,
        "reference": f"order-{uuid.uuid4().hex[:8]}",
        "description": "Tajine en terre cuite",
        "return_url": RETURN_URL,
        "cancel_url": CANCEL_URL,
        "idempotency_key": f"session-{uuid.uuid4().hex}",
    }
    return backend.create_payment_session(**{**values, **overrides})


def form_of(html: str) -> tuple[str, dict[str, str]]:
    """The first form's action and its hidden fields."""
    action = re.search(r'<form method="post" action="([^"]+)"', html)
    assert action, html
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    return unescape(action.group(1)), hidden


def pay(session: PaymentSession, method: str, code: str = "", lang: str = "fr") -> str:
    """Pay on the hosted page with a test method (and a 3-D Secure code); the final redirect."""
    page = requests.get(session.hosted_url, params={"lang": lang}, timeout=5)
    assert page.status_code == 200, page.text
    assert f'value="{method}"' in page.text
    action, fields = form_of(page.text)
    answer = requests.post(
        urljoin(session.hosted_url, action),
        data={**fields, "method": method},
        allow_redirects=False,
        timeout=5,
    )
    if answer.status_code == 303 and "/3ds" in answer.headers["Location"]:
        challenge = requests.get(urljoin(session.hosted_url, answer.headers["Location"]), timeout=5)
        assert challenge.status_code == 200, challenge.text
        action, fields = form_of(challenge.text)
        answer = requests.post(
            urljoin(session.hosted_url, action),
            data={**fields, "code": code},
            allow_redirects=False,
            timeout=5,
        )
    assert answer.status_code == 303, answer.text
    return answer.headers["Location"]


def session_id_in(url: str) -> str:
    return parse_qs(urlsplit(url).query)["session_id"][0]


def ledger(sandbox: RunningSandbox) -> dict[str, Any]:
    return requests.get(sandbox.url + "/_sandbox/ledger", timeout=5).json()


def wait_for_refund(backend: HTTPPaymentsBackend, ref: str) -> None:
    wait_for(
        lambda: backend.get_refund(ref).status == "succeeded",
        timeout=10,
        what=f"refund {ref} to settle",
        every=0.05,
    )
