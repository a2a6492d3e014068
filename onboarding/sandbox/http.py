"""The sandbox over HTTP: a route table from method and path to a handler, and the server.

Calls under ``/v1/`` are the provider's API: they are counted, suffer the injected faults and
need the API key. The ``/_sandbox/`` calls control the sandbox and need no key.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .call import Call
from .payment_routes import PAYMENT_ROUTES
from .provider import Sandbox
from .responses import BadRequest, Response, error

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # "/v1/accounts/{account_id}": each {name} is one path segment
    handle: Callable[[Call], Response]
    pattern: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        segments = re.sub(r"\{(\w+)\}", r"(?P<\1>[A-Za-z0-9_-]+)", self.template)
        object.__setattr__(self, "pattern", re.compile(f"^{segments}$"))

    @property
    def is_provider_api(self) -> bool:
        return self.template.startswith("/v1/")


def open_account(call: Call) -> Response:
    return call.sandbox.create_account(call.json(), call.headers.get("Idempotency-Key"))


def show_account(call: Call) -> Response:
    return call.sandbox.get_account(call.params["account_id"])


def upload_document(call: Call) -> Response:
    return call.sandbox.upload_document(
        call.params["account_id"], call.json(), call.headers.get("Idempotency-Key")
    )


def update_details(call: Call) -> Response:
    return call.sandbox.update_details(
        call.params["account_id"], call.json(), call.headers.get("Idempotency-Key")
    )


def close_account(call: Call) -> Response:
    return call.sandbox.close_account(
        call.params["account_id"], call.headers.get("Idempotency-Key")
    )


def set_faults(call: Call) -> Response:
    return call.sandbox.set_faults(call.json())


def set_config(call: Call) -> Response:
    return call.sandbox.set_config(call.json())


def reset(call: Call) -> Response:
    return call.sandbox.reset()


def show_stats(call: Call) -> Response:
    return call.sandbox.snapshot_stats()


def list_events(call: Call) -> Response:
    return call.sandbox.list_events()


def move_account(call: Call) -> Response:
    return call.sandbox.update_account(call.params["account_id"], call.json())


# Every route the sandbox serves. The contract test checks each one is in the OpenAPI document.
ROUTE_TABLE: tuple[Route, ...] = (
    Route("POST", "/v1/accounts", open_account),
    Route("GET", "/v1/accounts/{account_id}", show_account),
    Route("POST", "/v1/accounts/{account_id}", update_details),
    Route("POST", "/v1/accounts/{account_id}/documents", upload_document),
    Route("POST", "/v1/accounts/{account_id}/close", close_account),
    Route("POST", "/_sandbox/faults", set_faults),
    Route("POST", "/_sandbox/config", set_config),
    Route("POST", "/_sandbox/reset", reset),
    Route("GET", "/_sandbox/stats", show_stats),
    Route("GET", "/_sandbox/events", list_events),
    Route("POST", "/_sandbox/accounts/{account_id}", move_account),
    *(Route(method, template, handle) for method, template, handle in PAYMENT_ROUTES),
)
ROUTES: list[tuple[str, str]] = [(route.method, route.template) for route in ROUTE_TABLE]


def resolve(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route for a request and its path parameters; :class:`BadRequest` 404 or 405 if none."""
    matches = [(route, found) for route in ROUTE_TABLE if (found := route.pattern.match(path))]
    for route, found in matches:
        if route.method == method:
            return route, found.groupdict()
    raise BadRequest(405 if matches else 404, "not_found", f"No route for {method} {path}.")


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    sandbox: Sandbox


class Handler(BaseHTTPRequestHandler):
    server: SandboxServer
    protocol_version = "HTTP/1.1"
    server_version = "MaalemPaymentsSandbox/1"

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)

    def _handle(self, method: str) -> None:
        sandbox = self.server.sandbox
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        address = urlsplit(self.path)
        try:
            route, params = resolve(method, address.path)
        except BadRequest as unrouted:
            self._send(unrouted.response)
            return
        hang = 0.0
        try:
            if route.is_provider_api:
                sandbox.count_request(f"{method} {route.template}")
                fault = sandbox.take_fault(self.headers.get("Sandbox-Fault"))
                time.sleep(fault.latency)
                hang = fault.hang
                if fault.fail_status:
                    self._send(
                        error(fault.fail_status, "sandbox_fault", "Injected failure; retry later.")
                    )
                    return
                self._authenticate()
            query = dict(parse_qsl(address.query))
            response = route.handle(Call(sandbox, params, self.headers, raw_body, query))
        except BadRequest as bad:
            response = bad.response
        # The work is done; a hang now is the lost response an idempotency key must survive.
        time.sleep(hang)
        self._send(response)

    def _authenticate(self) -> None:
        expected = f"Bearer {self.server.sandbox.config.api_key}"
        given = self.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise BadRequest(401, "invalid_api_key", "Send Authorization: Bearer <your API key>.")

    def _send(self, response: Response) -> None:
        if response.content_type == "application/json":
            body = json.dumps(response.body).encode()
        else:
            body = str(response.body).encode()
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Request-Id", f"req_{secrets.token_hex(8)}")
            for name, value in (response.headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a timeout); the work stays done, as with a real provider.
            logger.info("client went away before the answer to %s", self.path)


def make_server(host: str, port: int, sandbox: Sandbox) -> SandboxServer:
    server = SandboxServer((host, port), Handler)
    server.sandbox = sandbox
    return server
