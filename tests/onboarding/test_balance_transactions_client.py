"""The HTTP client reads a provider's balance lines, and refuses a list it cannot trust: a wrong
type, a float, a wrong sign, another account's line, lines out of order, a page that loops."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from onboarding.providers.base import ProviderError
from onboarding.providers.payments import HTTPPaymentsBackend

ACCOUNT = "acct_canned"


def line(number: int, kind: str = "sale", amount: Any = 1_000, **changes: Any) -> dict:
    return {
        "id": f"ln_{number:06d}",
        "object": "balance_transaction",
        "account": ACCOUNT,
        "type": kind,
        "amount_minor": amount,
        "currency": "MAD",
        "source": f"pay_{number}",
        "reference": f"order-{number}",
        "created": 1_790_000_000 + number,
        **changes,
    }


class CannedProvider(BaseHTTPRequestHandler):
    """Answers each GET with the next canned body, and keeps the queries it was asked."""

    server: CannedServer

    def do_GET(self) -> None:
        self.server.queries.append(parse_qs(urlsplit(self.path).query))
        answer = json.dumps(self.server.bodies.pop(0)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


class CannedServer(ThreadingHTTPServer):
    bodies: list[Any]
    queries: list[dict[str, list[str]]]


@pytest.fixture
def canned() -> Iterator[CannedServer]:
    server = CannedServer(("127.0.0.1", 0), CannedProvider)
    server.bodies, server.queries = [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def client(server: CannedServer) -> HTTPPaymentsBackend:
    host, port = server.server_address[:2]
    return HTTPPaymentsBackend(
        base_url=f"http://{host}:{port}", api_key="k", webhook_secrets=["s"], timeout=2
    )


def page(*lines: dict, has_more: bool = False) -> dict:
    return {"object": "list", "data": list(lines), "has_more": has_more}


def test_the_client_follows_the_cursor_and_reads_every_line(canned):
    canned.bodies = [
        page(line(1), line(2, "fee", -115), has_more=True),
        page(line(3, "refund", -500), line(4, "payout", -385)),
    ]

    lines = client(canned).balance_transactions(ACCOUNT)

    assert [(item.type, item.amount_minor) for item in lines] == [
        ("sale", 1_000),
        ("fee", -115),
        ("refund", -500),
        ("payout", -385),
    ]
    assert lines[0].reference == "order-1" and lines[3].source == "pay_4"
    assert "starting_after" not in canned.queries[0]
    assert canned.queries[1]["starting_after"] == ["ln_000002"]
    assert canned.queries[1]["limit"] == ["100"]


@pytest.mark.parametrize(
    "body",
    [
        {"object": "balance", "data": [], "has_more": False},
        {"object": "list", "data": {}, "has_more": False},
        {"object": "list", "data": [], "has_more": "no"},
        page(line(1, amount=10.5)),
        page(line(1, amount="1000")),
        page(line(1, amount=True)),
        page(line(1, "fee", 115)),
        page(line(1, "sale", -1)),
        page(line(1, "bonus")),
        page(line(1, account="acct_someone_else")),
        page(line(1, currency="EUR")),
        page(line(1, created="yesterday")),
        page(line(1, id="")),
        page(line(2), line(1)),
        page(has_more=True),
        ["not", "an", "object"],
    ],
)
def test_a_malformed_list_is_refused(canned, body):
    canned.bodies = [body]

    with pytest.raises(ProviderError, match="malformed|non-JSON"):
        client(canned).list_balance_transactions(ACCOUNT)


def test_a_provider_that_sends_the_same_page_again_does_not_loop(canned):
    canned.bodies = [page(line(1), has_more=True), page(line(1), has_more=True)]

    with pytest.raises(ProviderError, match="same page"):
        client(canned).balance_transactions(ACCOUNT)
