"""The payment provider sandbox: merchant accounts, idempotency, signed webhooks, injected faults.

Standard library only, so it runs as its own process without Django, like the real provider would.
Everything it keeps is behind one lock; a single scheduler thread settles accounts after a delay and
delivers webhooks (with bounded retries), so deliveries go out in order unless a fault says not to.
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import hmac
import itertools
import json
import logging
import os
import re
import secrets
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

logger = logging.getLogger("onboarding.sandbox")

PENDING, ACTIVE, RESTRICTED, REJECTED = "pending", "active", "restricted", "rejected"

SIGNATURE_HEADER = "Webhook-Signature"
EVENT_ID_HEADER = "Webhook-Id"

# Every route the sandbox serves. The contract test checks each one is in the OpenAPI document.
ROUTES: list[tuple[str, str]] = [
    ("POST", "/v1/accounts"),
    ("GET", "/v1/accounts/{account_id}"),
    ("POST", "/_sandbox/faults"),
    ("POST", "/_sandbox/config"),
    ("POST", "/_sandbox/reset"),
    ("GET", "/_sandbox/stats"),
    ("GET", "/_sandbox/events"),
    ("POST", "/_sandbox/accounts/{account_id}"),
]

# Magic national ID endings: they choose where a new account ends up, as real providers' test
# modes do. Any other ID is activated after the activation delay.
MAGIC_OUTCOMES: dict[str, tuple[str | None, list[str]]] = {
    "0000": (RESTRICTED, ["identity_document"]),
    "9999": (REJECTED, []),
    "1111": (None, []),  # stays pending until /_sandbox/accounts/{id} moves it
}
DEFAULT_OUTCOME: tuple[str | None, list[str]] = (ACTIVE, [])

RIB = re.compile(r"\d{24}")


def sign(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """The ``Webhook-Signature`` value: HMAC-SHA256 over ``{id}.{timestamp}.{body}``."""
    message = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass
class Faults:
    """Failures to inject, set with ``POST /_sandbox/faults`` and cleared by a reset."""

    latency_ms: int = 0  # added to every API request until changed
    fail_next: int = 0  # the next N API requests answer fail_status and do nothing
    fail_status: int = 503
    timeout_next: int = 0  # the next N API requests do their work, then answer after timeout_ms
    timeout_ms: int = 30_000
    duplicate_webhooks: bool = False  # every delivery is sent twice, same event id
    out_of_order_webhooks: bool = False  # an account's events arrive newest first


@dataclass
class Config:
    api_key: str = "sandbox-key"
    webhook_url: str | None = None
    webhook_secret: str = "whsec_sandbox"
    activation_delay: float = 1.0  # seconds before a pending account settles
    webhook_max_attempts: int = 5
    webhook_backoff: float = 0.5  # seconds before the first retry; doubles each time
    webhook_timeout: float = 5.0


def empty_stats() -> dict[str, Any]:
    return {
        "requests": 0,
        "requests_by_route": {},
        "accounts_created": 0,
        "accounts_by_case": {},
        "idempotent_replays": 0,
        "faults_injected": 0,
        "events_created": 0,
        "webhooks_sent": 0,
        "webhooks_delivered": 0,
        "webhooks_failed": 0,
        "webhooks_abandoned": 0,
    }


class Scheduler(threading.Thread):
    """Runs callables at a time, one at a time, in time then submission order."""

    def __init__(self) -> None:
        super().__init__(name="sandbox-scheduler", daemon=True)
        self._heap: list[tuple[float, int, Callable[..., None], tuple[Any, ...]]] = []
        self._ready = threading.Condition()
        self._order = itertools.count()

    def call_later(self, delay: float, function: Callable[..., None], *args: Any) -> None:
        with self._ready:
            due = time.monotonic() + max(delay, 0.0)
            heapq.heappush(self._heap, (due, next(self._order), function, args))
            self._ready.notify()

    def clear(self) -> None:
        with self._ready:
            self._heap.clear()

    def run(self) -> None:
        while True:
            with self._ready:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    self._ready.wait(self._heap[0][0] - time.monotonic() if self._heap else None)
                _, _, function, args = heapq.heappop(self._heap)
            try:
                function(*args)
            except Exception:
                logger.exception("sandbox task %s failed", getattr(function, "__name__", function))


@dataclass
class Response:
    status: int
    body: Any
    headers: dict[str, str] | None = None


class BadRequest(Exception):
    def __init__(self, status: int, code: str, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.response = error(status, code, message, param)


def error(status: int, code: str, message: str, param: str | None = None) -> Response:
    kind = {401: "authentication_error", 404: "invalid_request_error"}.get(status, "api_error")
    if status in (400, 409, 422):
        kind = "invalid_request_error"
    if status == 429:
        kind = "rate_limit_error"
    body: dict[str, Any] = {"type": kind, "code": code, "message": message}
    if param:
        body["param"] = param
    return Response(status, {"error": body})


def validate_applicant(data: Any) -> None:
    """Raise :class:`BadRequest` (422) naming the first field that is wrong, never its value."""
    if not isinstance(data, dict):
        raise BadRequest(422, "invalid_body", "The body must be a JSON object.")
    for name in ("name", "phone", "national_id", "shop_name"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise BadRequest(422, "parameter_missing", f"{name} is required.", name)
    payout = data.get("payout")
    if not isinstance(payout, dict) or payout.get("type") not in ("wallet", "bank"):
        raise BadRequest(
            422, "parameter_invalid", "payout.type must be wallet or bank.", "payout.type"
        )
    if payout["type"] == "bank" and not RIB.fullmatch(str(payout.get("rib", ""))):
        raise BadRequest(422, "parameter_invalid", "payout.rib must be 24 digits.", "payout.rib")
    if payout["type"] == "wallet" and not isinstance(payout.get("phone"), str):
        raise BadRequest(422, "parameter_missing", "payout.phone is required.", "payout.phone")
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict) or not all(
        isinstance(value, str | int) for value in metadata.values()
    ):
        raise BadRequest(
            422, "parameter_invalid", "metadata must map names to strings.", "metadata"
        )


class Sandbox:
    """The provider's state and behaviour, independent of HTTP."""

    def __init__(self, config: Config, state_file: str | None = None) -> None:
        self.lock = threading.RLock()
        self.startup_config = replace(config)
        self.config = config
        self.state_file = state_file
        self.scheduler = Scheduler()
        self._reset_state()
        if state_file and os.path.exists(state_file):
            self._load()
        self.scheduler.start()

    def _reset_state(self) -> None:
        self.faults = Faults()
        self.accounts: dict[str, dict[str, Any]] = {}
        self.idempotency: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.held_events: dict[str, dict[str, Any]] = {}
        self.stats = empty_stats()
        # Work scheduled before a reset must not act on the state after it.
        self.generation = getattr(self, "generation", 0) + 1

    # Persistence ---------------------------------------------------------------------------

    def _load(self) -> None:
        assert self.state_file
        with open(self.state_file, encoding="utf-8") as file:
            saved = json.load(file)
        self.accounts = saved.get("accounts", {})
        self.idempotency = saved.get("idempotency", {})
        self.stats["accounts_by_case"] = saved.get("accounts_by_case", {})
        self.stats["accounts_created"] = len(self.accounts)
        for account_id, record in self.accounts.items():
            if record["account"]["status"] == PENDING and record["outcome"]:
                self.scheduler.call_later(
                    self.config.activation_delay, self._settle, account_id, self.generation
                )

    def _save(self) -> None:
        if not self.state_file:
            return
        saved = {
            "accounts": self.accounts,
            "idempotency": self.idempotency,
            "accounts_by_case": self.stats["accounts_by_case"],
        }
        temporary = f"{self.state_file}.tmp"
        with open(temporary, "w", encoding="utf-8") as file:
            json.dump(saved, file)
        os.replace(temporary, self.state_file)

    # API -----------------------------------------------------------------------------------

    def create_account(self, applicant: Any, idempotency_key: str | None) -> Response:
        if not idempotency_key:
            return error(
                400,
                "idempotency_key_missing",
                "Send an Idempotency-Key header: the same key on every retry of one request.",
            )
        if len(idempotency_key) > 255:
            return error(
                400, "idempotency_key_invalid", "Idempotency-Key is at most 255 characters."
            )
        validate_applicant(applicant)
        fingerprint = hashlib.sha256(
            json.dumps(applicant, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()
        with self.lock:
            record = self.idempotency.get(idempotency_key)
            if record is not None:
                if record["fingerprint"] != fingerprint:
                    return error(
                        409,
                        "idempotency_key_reused",
                        "This Idempotency-Key was used with a different body.",
                    )
                if record["account_id"] is None:
                    return error(
                        409,
                        "idempotency_key_in_progress",
                        "A request with this Idempotency-Key is still being processed; retry later.",
                    )
                self.stats["idempotent_replays"] += 1
                account = self.accounts[record["account_id"]]["account"]
                return Response(200, dict(account), {"Idempotent-Replayed": "true"})
            self.idempotency[idempotency_key] = {"fingerprint": fingerprint, "account_id": None}
            latency = self.faults.latency_ms
        # A slow provider is slow while it works, so a concurrent retry sees "in progress".
        time.sleep(latency / 1000)
        with self.lock:
            if idempotency_key not in self.idempotency:  # reset while we slept
                self.idempotency[idempotency_key] = {"fingerprint": fingerprint, "account_id": None}
            account = self._open(applicant)
            self.idempotency[idempotency_key]["account_id"] = account["id"]
            self._save()
            return Response(201, dict(account))

    def _open(self, applicant: dict[str, Any]) -> dict[str, Any]:
        now = int(time.time())
        outcome, requirements = MAGIC_OUTCOMES.get(applicant["national_id"][-4:], DEFAULT_OUTCOME)
        metadata = {key: str(value) for key, value in applicant.get("metadata", {}).items()}
        account = {
            "id": f"acct_{secrets.token_hex(8)}",
            "object": "account",
            "status": PENDING,
            "requirements": list(requirements),
            "business_name": applicant["shop_name"],
            "payout": {"type": applicant["payout"]["type"]},
            "metadata": metadata,
            "created": now,
            "updated": now,
            "livemode": False,
        }
        self.accounts[account["id"]] = {
            "account": account,
            "outcome": outcome,
            "outcome_requirements": requirements,
        }
        self.stats["accounts_created"] += 1
        case_id = metadata.get("case_id", "")
        by_case = self.stats["accounts_by_case"]
        by_case[case_id] = by_case.get(case_id, 0) + 1
        self._emit(account)
        if outcome:
            self.scheduler.call_later(
                self.config.activation_delay, self._settle, account["id"], self.generation
            )
        return account

    def get_account(self, account_id: str) -> Response:
        with self.lock:
            latency = self.faults.latency_ms
        time.sleep(latency / 1000)
        with self.lock:
            record = self.accounts.get(account_id)
            if record is None:
                return error(404, "resource_missing", f"No such account: {account_id}")
            return Response(200, dict(record["account"]))

    def update_account(self, account_id: str, changes: Any) -> Response:
        """Move an account by hand, as the provider's back office would (sends a webhook)."""
        if not isinstance(changes, dict) or changes.get("status") not in (
            PENDING,
            ACTIVE,
            RESTRICTED,
            REJECTED,
        ):
            return error(
                422,
                "parameter_invalid",
                "status must be pending, active, restricted or rejected.",
                "status",
            )
        requirements = changes.get("requirements", [])
        if not isinstance(requirements, list):
            return error(422, "parameter_invalid", "requirements must be a list.", "requirements")
        with self.lock:
            record = self.accounts.get(account_id)
            if record is None:
                return error(404, "resource_missing", f"No such account: {account_id}")
            record["account"].update(
                status=changes["status"], requirements=requirements, updated=int(time.time())
            )
            record["outcome"] = None  # a hand-made change wins over the scheduled one
            self._save()
            self._emit(record["account"])
            return Response(200, dict(record["account"]))

    def _settle(self, account_id: str, generation: int) -> None:
        with self.lock:
            record = self.accounts.get(account_id)
            if generation != self.generation or record is None or not record["outcome"]:
                return
            if record["account"]["status"] != PENDING:
                return
            record["account"].update(
                status=record["outcome"],
                requirements=list(record["outcome_requirements"]),
                updated=int(time.time()),
            )
            self._save()
            self._emit(record["account"])

    # Webhooks ------------------------------------------------------------------------------

    def _emit(self, account: dict[str, Any]) -> None:
        """Create an ``account.updated`` event for the account as it is now; queue its delivery."""
        event = {
            "id": f"evt_{secrets.token_hex(12)}",
            "type": "account.updated",
            "created": int(time.time()),
            "data": {"account": json.loads(json.dumps(account))},
        }
        self.stats["events_created"] += 1
        self.events.append(
            {
                "id": event["id"],
                "account": account["id"],
                "status": account["status"],
                "created": event["created"],
            }
        )
        if not self.config.webhook_url:
            return
        if not self.faults.out_of_order_webhooks:
            self._queue_delivery(event)
            return
        held = self.held_events.pop(account["id"], None)
        if held is None:
            # Hold this one back until the account's next event has gone out first; if no
            # other event comes, send it anyway a little later.
            self.held_events[account["id"]] = event
            self.scheduler.call_later(
                self.config.activation_delay + 2.0,
                self._release_held,
                account["id"],
                event["id"],
                self.generation,
            )
            return
        self._queue_delivery(event)
        self._queue_delivery(held)

    def _release_held(self, account_id: str, event_id: str, generation: int) -> None:
        with self.lock:
            held = self.held_events.get(account_id)
            if generation == self.generation and held and held["id"] == event_id:
                del self.held_events[account_id]
                self._queue_delivery(held)

    def _queue_delivery(self, event: dict[str, Any]) -> None:
        copies = 2 if self.faults.duplicate_webhooks else 1
        for _ in range(copies):
            self.scheduler.call_later(0, self._deliver, event, 1, self.generation)

    def _deliver(self, event: dict[str, Any], attempt: int, generation: int) -> None:
        with self.lock:
            if generation != self.generation or not self.config.webhook_url:
                return
            config = replace(self.config)
        body = json.dumps(event, separators=(",", ":")).encode()
        request = urllib.request.Request(
            config.webhook_url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "maalem-payments-sandbox/1",
                EVENT_ID_HEADER: event["id"],
                SIGNATURE_HEADER: sign(config.webhook_secret, event["id"], int(time.time()), body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=config.webhook_timeout) as answer:
                delivered = 200 <= answer.status < 300
                outcome = str(answer.status)
        except urllib.error.HTTPError as refused:
            delivered, outcome = False, str(refused.code)
        except (urllib.error.URLError, OSError) as failure:
            delivered, outcome = False, type(failure).__name__
        with self.lock:
            if generation != self.generation:
                return
            self.stats["webhooks_sent"] += 1
            if delivered:
                self.stats["webhooks_delivered"] += 1
                return
            self.stats["webhooks_failed"] += 1
            if attempt >= config.webhook_max_attempts:
                self.stats["webhooks_abandoned"] += 1
                logger.warning("gave up on webhook %s after %s attempts", event["id"], attempt)
                return
        delay = config.webhook_backoff * 2 ** (attempt - 1)
        logger.info(
            "webhook %s got %s; retry %s in %.1fs", event["id"], outcome, attempt + 1, delay
        )
        self.scheduler.call_later(delay, self._deliver, event, attempt + 1, generation)

    # Control -------------------------------------------------------------------------------

    def set_faults(self, changes: Any) -> Response:
        with self.lock:
            updated = self._apply(self.faults, changes)
            if isinstance(updated, Response):
                return updated
            self.faults = updated
            return Response(200, asdict(self.faults))

    def set_config(self, changes: Any) -> Response:
        with self.lock:
            updated = self._apply(self.config, changes)
            if isinstance(updated, Response):
                return updated
            self.config = updated
            public = asdict(self.config)
            public.pop("api_key")
            public.pop("webhook_secret")
            return Response(200, public)

    @staticmethod
    def _apply(current: Any, changes: Any) -> Any:
        if not isinstance(changes, dict):
            return error(400, "invalid_body", "Send a JSON object.")
        types = {item.name: type(getattr(current, item.name)) for item in fields(current)}
        for name, value in changes.items():
            if name not in types:
                return error(
                    400, "unknown_setting", f"Unknown setting {name}; known: {sorted(types)}."
                )
            expected = types[name]
            if name == "webhook_url":
                if value is not None and not isinstance(value, str):
                    return error(400, "parameter_invalid", f"{name} must be a URL or null.", name)
                continue
            if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
                return error(400, "parameter_invalid", f"{name} must be a whole number.", name)
            if expected is bool and not isinstance(value, bool):
                return error(400, "parameter_invalid", f"{name} must be true or false.", name)
            if expected in (int, float) and (
                isinstance(value, bool) or not isinstance(value, int | float) or value < 0
            ):
                return error(400, "parameter_invalid", f"{name} must be a number >= 0.", name)
            if expected is str and not isinstance(value, str):
                return error(400, "parameter_invalid", f"{name} must be a string.", name)
        return replace(current, **changes)

    def reset(self) -> Response:
        with self.lock:
            self.scheduler.clear()
            self._reset_state()
            self.config = replace(self.startup_config)
            self._save()
        return Response(200, {"reset": True})

    def snapshot_stats(self) -> Response:
        with self.lock:
            stats = json.loads(json.dumps(self.stats))
            stats["faults"] = asdict(self.faults)
            return Response(200, stats)

    def list_events(self) -> Response:
        with self.lock:
            return Response(200, {"events": list(self.events)})

    def take_fault(self, per_call: str | None) -> tuple[int | None, float, float]:
        """Consume the faults for one API request: (fail status, extra latency s, hang s)."""
        fail_status, latency, hang = None, 0.0, 0.0
        with self.lock:
            if self.faults.fail_next > 0:
                self.faults.fail_next -= 1
                fail_status = self.faults.fail_status
            elif self.faults.timeout_next > 0:
                self.faults.timeout_next -= 1
                hang = self.faults.timeout_ms / 1000
            # "Sandbox-Fault: fail=503, latency=200, timeout=2000" injects faults into one call.
            for part in (per_call or "").split(","):
                name, _, value = part.strip().partition("=")
                number = int(value) if value.strip().isdigit() else None
                if name == "fail":
                    fail_status = number or 503
                elif name == "latency":
                    latency = (number or 0) / 1000
                elif name == "timeout":
                    hang = (number or self.faults.timeout_ms) / 1000
            if fail_status or latency or hang:
                self.stats["faults_injected"] += 1
        return fail_status, latency, hang


def compile_route(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[A-Za-z0-9_-]+)", template) + "$")


COMPILED_ROUTES = [(method, template, compile_route(template)) for method, template in ROUTES]


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
        raw = self.rfile.read(length) if length else b""
        path = urlsplit(self.path).path
        matches = [(m, t, p.match(path)) for m, t, p in COMPILED_ROUTES if p.match(path)]
        route = next(((t, match) for m, t, match in matches if m == method), None)
        if route is None:
            status = 405 if matches else 404
            self._send(error(status, "not_found", f"No route for {method} {path}."))
            return
        template, match = route
        hang = 0.0
        try:
            if template.startswith("/v1/"):
                with sandbox.lock:
                    sandbox.stats["requests"] += 1
                    by_route = sandbox.stats["requests_by_route"]
                    by_route[f"{method} {template}"] = by_route.get(f"{method} {template}", 0) + 1
                fail_status, latency, hang = sandbox.take_fault(self.headers.get("Sandbox-Fault"))
                time.sleep(latency)
                if fail_status:
                    self._send(
                        error(fail_status, "sandbox_fault", "Injected failure; retry later.")
                    )
                    return
                self._authenticate()
            response = self._dispatch(method, template, match.groupdict(), raw)
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

    def _dispatch(self, method: str, template: str, params: dict[str, str], raw: bytes) -> Response:
        sandbox = self.server.sandbox
        if template == "/_sandbox/reset":
            return sandbox.reset()
        if template == "/_sandbox/stats":
            return sandbox.snapshot_stats()
        if template == "/_sandbox/events":
            return sandbox.list_events()
        if template == "/v1/accounts/{account_id}":
            return sandbox.get_account(params["account_id"])
        body = self._json(raw)
        if template == "/v1/accounts":
            return sandbox.create_account(body, self.headers.get("Idempotency-Key"))
        if template == "/_sandbox/faults":
            return sandbox.set_faults(body)
        if template == "/_sandbox/config":
            return sandbox.set_config(body)
        return sandbox.update_account(params["account_id"], body)

    @staticmethod
    def _json(raw: bytes) -> Any:
        try:
            return json.loads(raw or b"{}")
        except ValueError as invalid:
            raise BadRequest(400, "invalid_json", "The body is not valid JSON.") from invalid

    def _send(self, response: Response) -> None:
        body = json.dumps(response.body).encode()
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", "application/json")
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


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m onboarding.sandbox", description="Run the payment provider sandbox."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--api-key", default="sandbox-key")
    parser.add_argument("--webhook-url", default=None, help="where account.updated events go")
    parser.add_argument("--webhook-secret", default="whsec_sandbox")
    parser.add_argument("--activation-delay", type=float, default=1.0, help="seconds")
    parser.add_argument("--webhook-max-attempts", type=int, default=5)
    parser.add_argument("--webhook-backoff", type=float, default=0.5, help="seconds, doubling")
    parser.add_argument("--state-file", default=None, help="JSON file that keeps accounts")
    parser.add_argument("--log-level", default="INFO")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), stream=sys.stderr, format="%(asctime)s %(message)s"
    )
    config = Config(
        api_key=args.api_key,
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        activation_delay=args.activation_delay,
        webhook_max_attempts=args.webhook_max_attempts,
        webhook_backoff=args.webhook_backoff,
    )
    server = make_server(args.host, args.port, Sandbox(config, args.state_file))
    host, port = server.server_address[:2]
    # The one line on stdout: tests read it to learn the port when started with --port 0.
    sys.stdout.write(f"Payments sandbox listening on http://{host}:{port}\n")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
