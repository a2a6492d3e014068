"""Rate limits for sign-in, counted in the default cache.

Each limit is a counter per fixed time window (as django-ratelimit counts), so the wait until
the next window is known and the learner can be told it. The cache must be shared by every web
process in production (``CACHE_URL`` pointing at Redis); a per-process cache would multiply
every limit by the number of processes (check accounts.W003).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from .conf import app_settings


@dataclass(frozen=True)
class Limited:
    """A limit was reached; ``wait_seconds`` until the next window opens."""

    wait_seconds: int

    @property
    def wait_minutes(self) -> int:
        return max(1, math.ceil(self.wait_seconds / 60))


def _window(name: str, subject: str, period: int, now: float) -> tuple[str, int]:
    start = int(now) - int(now) % period
    # Hashed, so a cache key never holds an address or a digest in clear.
    token = hashlib.sha256(f"{name}:{subject}".encode()).hexdigest()[:32]
    return f"lms.accounts.limit:{token}:{start}", start + period - int(now)


def hit(name: str, subject: str, rate: tuple[int, int]) -> Limited | None:
    """Count one event for ``subject``; return :class:`Limited` if it goes over ``rate``."""
    count, period = rate
    key, wait = _window(name, subject, period, time.time())
    # add + incr: both atomic in Redis and in the local-memory cache, so two requests at once
    # both count.
    cache.add(key, 0, timeout=period + 1)
    try:
        value = cache.incr(key)
    except ValueError:
        # The key expired between add and incr: the window just ended.
        cache.add(key, 1, timeout=period + 1)
        value = 1
    return Limited(wait) if value > count else None


def peek(name: str, subject: str, rate: tuple[int, int]) -> Limited | None:
    """Whether ``subject`` has already used up ``rate`` in this window, without counting."""
    count, period = rate
    key, wait = _window(name, subject, period, time.time())
    return Limited(wait) if int(cache.get(key, 0)) >= count else None


def client_ip(request: HttpRequest) -> str:
    """The client's address, with IPv6 grouped by /64 (one subscriber usually holds a /64)."""
    header = app_settings.CLIENT_IP_HEADER
    raw = request.META.get(header, "") or ""
    if header == "HTTP_X_FORWARDED_FOR":
        raw = raw.split(",")[-1]
    raw = raw.strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def codes_sent(request: HttpRequest, digest: str) -> Limited | None:
    """Count a code asked for from this address and for this number."""
    return hit("codes-per-ip", client_ip(request), app_settings.CODES_PER_IP) or hit(
        "codes-per-phone", digest, app_settings.CODES_PER_PHONE
    )


def wrong_codes_blocked(request: HttpRequest) -> Limited | None:
    return peek("wrong-codes-per-ip", client_ip(request), app_settings.WRONG_CODES_PER_IP)


def wrong_code_typed(request: HttpRequest) -> None:
    hit("wrong-codes-per-ip", client_ip(request), app_settings.WRONG_CODES_PER_IP)
