"""Cached values whose key names everything they depend on, kept in this process's memory too.

A learner page looks up about ten cached values: the page-URL generation, then page addresses,
a course's lesson list, whether a page is restricted and fragments of HTML. Every key but the
generation's carries that generation (lms.courses.signal_handlers), which any change to a page
bumps, so the value under such a key never changes: a change is a new key. With a shared cache
each lookup is a network round trip and an unpickling; this keeps the values this process has
already read or written, and asks the shared cache only for the others.

A value is stored with the moment it expires, and this process forgets it at that same moment:
nothing lives longer than it does in the shared cache. At most ``MAX_ENTRIES`` values are kept,
the least recently used leaving first. Only for keys that carry the generation (or another
version of what they show); never for counters, locks, sessions or anything a learner changes.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from django.core.cache import cache

MAX_ENTRIES = 512
# Beside the keys these values had before they carried their expiry, so that a process of the
# previous release, during a rolling deployment, never reads a value in the new shape.
PREFIX = "lms:kept:"

_entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_lock = threading.Lock()


def get(key: str) -> Any:
    """The value under ``key``, from this process if it has it, else from the shared cache;
    None if neither has it."""
    now = time.time()
    with _lock:
        entry = _entries.get(key)
        if entry is not None:
            if entry[0] > now:
                _entries.move_to_end(key)
                return entry[1]
            del _entries[key]
    stored = cache.get(PREFIX + key)
    if not isinstance(stored, tuple) or len(stored) != 2 or stored[0] <= now:
        return None
    _keep(key, stored)
    return stored[1]


def set(key: str, value: Any, timeout: int) -> None:  # noqa: A001 (as Django's cache names it)
    """Store ``value`` under ``key`` for ``timeout`` seconds, in the shared cache and here."""
    stored = (time.time() + timeout, value)
    cache.set(PREFIX + key, stored, timeout)
    _keep(key, stored)


def _keep(key: str, stored: tuple[float, Any]) -> None:
    with _lock:
        _entries[key] = stored
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def clear() -> None:
    """Forget every value kept in this process (the shared cache keeps its own)."""
    with _lock:
        _entries.clear()
