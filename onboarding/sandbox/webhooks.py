"""Signed webhooks (``account.updated``, ``payment.*``, ``refund.succeeded``): events, their
signature, and delivery with retries.

Deliveries go through the scheduler's one thread, so they leave in the order they were queued;
the duplicate and out-of-order faults change that on purpose.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from typing import Any, Protocol, TypedDict

from .config import Config
from .domain import Account
from .faults import Faults
from .scheduler import Scheduler
from .stats import Stats

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Webhook-Signature"
EVENT_ID_HEADER = "Webhook-Id"


class Event(TypedDict):
    id: str
    type: str
    created: int
    data: dict[str, Any]


class EventSummary(TypedDict):
    """One line of ``GET /_sandbox/events``."""

    id: str
    type: str
    account: str
    status: str
    created: int


class Host(Protocol):
    """The sandbox state that webhooks read; ``generation`` changes on every reset."""

    lock: threading.RLock
    config: Config
    faults: Faults
    stats: Stats
    generation: int
    scheduler: Scheduler


def sign(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """The ``Webhook-Signature`` value: HMAC-SHA256 over ``{id}.{timestamp}.{body}``."""
    message = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def post(event: Event, url: str, secret: str, timeout: float) -> tuple[bool, str]:
    """POST one signed copy of ``event``: (delivered, the status or the network error)."""
    body = json.dumps(event, separators=(",", ":")).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "maalem-payments-sandbox/1",
            EVENT_ID_HEADER: event["id"],
            SIGNATURE_HEADER: sign(secret, event["id"], int(time.time()), body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return 200 <= answer.status < 300, str(answer.status)
    except urllib.error.HTTPError as refused:
        return False, str(refused.code)
    except (urllib.error.URLError, OSError) as failure:
        return False, type(failure).__name__


class Webhooks:
    """Creates each account's events and delivers them to ``config.webhook_url``."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.events: list[EventSummary] = []
        # An account's event kept back by the out-of-order fault until its next one is sent.
        self.held: dict[str, Event] = {}

    def forget(self) -> None:
        """Drop every event, as a reset does; deliveries already scheduled check the generation."""
        self.events = []
        self.held = {}

    def emit(self, account: Account) -> None:
        """Create an ``account.updated`` event for the account as it is now; queue its delivery.

        The caller holds the host's lock.
        """
        self.emit_event("account.updated", "account", dict(account), account["id"])

    def emit_event(self, event_type: str, name: str, thing: dict[str, Any], key: str) -> None:
        """Create an event carrying ``thing`` as ``data[name]``; queue its delivery.

        ``key`` groups the events the out-of-order fault reorders: an account's, or a payment's
        (its ``payment.*`` and ``refund.*`` events). The caller holds the host's lock.
        """
        host = self.host
        event: Event = {
            "id": f"evt_{secrets.token_hex(12)}",
            "type": event_type,
            "created": int(time.time()),
            "data": {name: json.loads(json.dumps(thing))},
        }
        host.stats["events_created"] += 1
        self.events.append(
            {
                "id": event["id"],
                "type": event_type,
                "account": thing["account"] if name != "account" else thing["id"],
                "status": thing["status"],
                "created": event["created"],
            }
        )
        if not host.config.webhook_url:
            return
        if not host.faults.out_of_order_webhooks:
            self._queue(event)
            return
        held = self.held.pop(key, None)
        if held is None:
            # Hold this one back until the account's next event has gone out first; if no
            # other event comes, send it anyway a little later.
            self.held[key] = event
            host.scheduler.call_later(
                host.config.activation_delay + 2.0,
                self._release_held,
                key,
                event["id"],
                host.generation,
            )
            return
        self._queue(event)
        self._queue(held)

    def _release_held(self, key: str, event_id: str, generation: int) -> None:
        with self.host.lock:
            held = self.held.get(key)
            if generation == self.host.generation and held and held["id"] == event_id:
                del self.held[key]
                self._queue(held)

    def _queue(self, event: Event) -> None:
        copies = 2 if self.host.faults.duplicate_webhooks else 1
        for _ in range(copies):
            self.host.scheduler.call_later(0, self._deliver, event, 1, self.host.generation)

    def _deliver(self, event: Event, attempt: int, generation: int) -> None:
        host = self.host
        with host.lock:
            if generation != host.generation:
                return
            config = replace(host.config)
        if not config.webhook_url:
            return
        delivered, outcome = post(
            event, config.webhook_url, config.webhook_secret, config.webhook_timeout
        )
        with host.lock:
            if generation != host.generation:
                return
            host.stats["webhooks_sent"] += 1
            if delivered:
                host.stats["webhooks_delivered"] += 1
                return
            host.stats["webhooks_failed"] += 1
            if attempt >= config.webhook_max_attempts:
                host.stats["webhooks_abandoned"] += 1
                logger.warning("gave up on webhook %s after %s attempts", event["id"], attempt)
                return
        delay = config.webhook_backoff * 2 ** (attempt - 1)
        logger.info(
            "webhook %s got %s; retry %s in %.1fs", event["id"], outcome, attempt + 1, delay
        )
        host.scheduler.call_later(delay, self._deliver, event, attempt + 1, generation)
