"""Rate limits, counted by django-ratelimit in the default cache, and the one reading of the
client's address that every limit keys on.

The cache must be shared by every web process in production (``CACHE_URL`` pointing at Redis)
and support atomic increments; a per-process cache would multiply every limit by the number of
processes (check maalem.W003).
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django_ratelimit.core import get_usage

from .conf import app_settings


def client_ip(request: HttpRequest) -> str:
    """The client's address, with IPv6 grouped by /64 (one subscriber usually holds a /64).

    Read from ``MAALEM_CLIENT_IP_HEADER``; from ``X-Forwarded-For`` the last address is taken,
    the one the trusted proxy added, since the client can write the others.
    """
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


def ip_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit key: the client's address (``@ratelimit(key=ip_key, ...)``)."""
    return client_ip(request)


@dataclass(frozen=True)
class Limited:
    """A limit was reached; ``wait_seconds`` until its window opens again."""

    wait_seconds: int

    @property
    def wait_minutes(self) -> int:
        return max(1, math.ceil(self.wait_seconds / 60))


def hit(
    request: HttpRequest, group: str, rate: tuple[int, int], subject: str | None = None
) -> Limited | None:
    """Count one event of ``group`` for ``subject`` (the client's address by default); return
    :class:`Limited` if it goes over ``rate``, a ``(count, seconds)`` pair."""
    usage = _usage(request, group, rate, subject, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return Limited(max(1, int(usage["time_left"])))


def peek(
    request: HttpRequest, group: str, rate: tuple[int, int], subject: str | None = None
) -> Limited | None:
    """Whether ``subject`` has already used up ``rate`` for ``group``, without counting."""
    usage = _usage(request, group, rate, subject, increment=False)
    if usage is None or usage["count"] < usage["limit"]:
        return None
    return Limited(max(1, int(usage["time_left"])))


def _usage(
    request: HttpRequest,
    group: str,
    rate: tuple[int, int],
    subject: str | None,
    increment: bool,
) -> dict[str, Any] | None:
    # django-ratelimit hashes the key into the cache key, so no address or digest is stored.
    key = ip_key if subject is None else (lambda _group, _request: subject)
    usage: dict[str, Any] | None = get_usage(
        request, group=group, key=key, rate=rate, increment=increment
    )
    return usage


def known_client_ip(request: HttpRequest) -> str | None:
    """The client's address when it is one, else ``None`` (a request made in code has none):
    for stores that keep it in an address column, such as django-axes's
    (``AXES_CLIENT_IP_CALLABLE``)."""
    address = client_ip(request)
    try:
        ipaddress.ip_network(address, strict=False)
    except ValueError:
        return None
    return address.split("/")[0]
