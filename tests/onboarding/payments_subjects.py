"""Every payment backend that ships, each with the provider-side controls the contract suite needs.

- ``http``: :class:`HTTPPaymentsBackend` against the sandbox running as its own process;
- ``sandbox``: the same client against the sandbox's domain in this process, through a
  ``requests`` transport adapter instead of a socket;
- ``fake``: :class:`InMemoryPaymentsBackend`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from requests.adapters import BaseAdapter

from onboarding.providers.base import PaymentsBackend
from onboarding.providers.fake import InMemoryPaymentsBackend
from onboarding.providers.payments import HTTPPaymentsBackend
from onboarding.sandbox import Config, Sandbox, sign
from onboarding.sandbox.http import Call, resolve
from onboarding.sandbox.responses import BadRequest

from .sandbox_process import running_sandbox

SECRET = "whsec_contract"


@dataclass
class Subject:
    """A backend, and what the provider's side of the contract lets a test do to it."""

    backend: PaymentsBackend
    # Move an account by hand, as the provider's back office would.
    set_account: Callable[[str, str, list[str]], None]
    # The provider's account.updated webhook for an account, signed at a Unix time.
    webhook: Callable[[str, int], tuple[bytes, dict[str, str]]]
    # How many accounts the provider has opened.
    accounts_opened: Callable[[], int]


def signed_event(account: dict[str, Any], at: int) -> tuple[bytes, dict[str, str]]:
    """An account.updated event signed by the sandbox's own code."""
    event_id = f"evt_{uuid.uuid4().hex}"
    event = {
        "id": event_id,
        "type": "account.updated",
        "created": int(time.time()),
        "data": {"account": account},
    }
    body = json.dumps(event).encode()
    return body, {"Webhook-Id": event_id, "Webhook-Signature": sign(SECRET, event_id, at, body)}


@contextmanager
def http_subject() -> Iterator[Subject]:
    with running_sandbox(webhook_secret=SECRET) as sandbox:
        backend = HTTPPaymentsBackend(**sandbox.options())

        def webhook(ref: str, at: int) -> tuple[bytes, dict[str, str]]:
            return signed_event(backend.get_account(ref).raw, at)

        yield Subject(
            backend=backend,
            set_account=lambda ref, status, requirements: sandbox.set_account(
                ref, status, requirements
            ),
            webhook=webhook,
            accounts_opened=lambda: sandbox.stats()["accounts_created"],
        )


class SandboxTransport(BaseAdapter):
    """Hands the client's requests to the sandbox's domain, with no HTTP server between them."""

    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__()
        self.sandbox = sandbox

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        path = unquote(urlsplit(request.url or "").path)
        raw = request.body or b""
        headers = Message()
        for name, value in request.headers.items():
            headers[name] = value
        try:
            route, params = resolve(request.method or "GET", path)
            body = raw.encode() if isinstance(raw, str) else raw
            answer = route.handle(Call(self.sandbox, params, headers, body))
        except BadRequest as bad:
            answer = bad.response
        response = requests.Response()
        response.status_code = answer.status
        response._content = json.dumps(answer.body).encode()
        response.headers.update(answer.headers or {})
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


@contextmanager
def sandbox_subject() -> Iterator[Subject]:
    sandbox = Sandbox(Config(webhook_secret=SECRET, activation_delay=3600))
    backend = HTTPPaymentsBackend(
        base_url="http://sandbox.in-process", api_key="unused", webhook_secrets=[SECRET]
    )
    backend.session.mount("http://sandbox.in-process", SandboxTransport(sandbox))

    def set_account(ref: str, status: str, requirements: list[str]) -> None:
        answer = sandbox.update_account(ref, {"status": status, "requirements": requirements})
        assert answer.status == 200, answer.body

    def webhook(ref: str, at: int) -> tuple[bytes, dict[str, str]]:
        return signed_event(sandbox.get_account(ref).body, at)

    yield Subject(
        backend=backend,
        set_account=set_account,
        webhook=webhook,
        accounts_opened=lambda: len(sandbox.accounts),
    )
    sandbox.scheduler.clear()


@contextmanager
def fake_subject() -> Iterator[Subject]:
    backend = InMemoryPaymentsBackend(name=f"contract-{uuid.uuid4().hex}", webhook_secrets=[SECRET])

    def set_account(ref: str, status: str, requirements: list[str]) -> None:
        backend.set_account(ref, status, requirements)

    def webhook(ref: str, at: int) -> tuple[bytes, dict[str, str]]:
        signed = backend.webhook(ref, signed_at=at)
        return signed.body, signed.headers

    yield Subject(
        backend=backend,
        set_account=set_account,
        webhook=webhook,
        accounts_opened=lambda: len(backend.store.accounts),
    )


SUBJECTS = {"http": http_subject, "sandbox": sandbox_subject, "fake": fake_subject}
