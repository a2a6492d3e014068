"""Pieces of learner pages kept in each web process's memory, rendered once per page version.

Most of a lesson page is the same for every learner who reads it in one language: the course
and lesson titles, the body, the lesson's place in its course, the links between lessons, the
navigation. Rendering those template nodes costs more than the queries of the page. They are
kept here under the page-URL generation (lms.courses.signal_handlers), which any save, publish,
unpublish, move or deletion of a page changes, so a trainer's publish shows on the next request
of every process that shares the cache. Entries also expire after ``FRAGMENT_SECONDS``: on a
cache that is not shared between processes (the default local-memory one), that bounds how long
another process may show the old version, as for the other cached page addresses.

In process memory rather than in the cache: a fragment is read on every learner page, and a
round trip to Redis for each would cost about what rendering it does.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

FRAGMENT_SECONDS = 300
# Fragments of a few kilobytes each: a few megabytes per process at most.
MAX_FRAGMENTS = 2000

_fragments: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
_lock = threading.Lock()


def remembered(key: Hashable, render: Callable[[], T]) -> T:
    """The value stored under ``key``, made by ``render()`` if missing or expired. The key must
    hold the page-URL generation, and the value must not be changed by whoever gets it."""
    now = time.monotonic()
    with _lock:
        found = _fragments.get(key)
        if found is not None and found[0] > now:
            _fragments.move_to_end(key)
            return found[1]
    html = render()
    with _lock:
        _fragments[key] = (now + FRAGMENT_SECONDS, html)
        _fragments.move_to_end(key)
        while len(_fragments) > MAX_FRAGMENTS:
            _fragments.popitem(last=False)
    return html


def forget_fragments() -> None:
    """Drop every fragment of this process (tests; a generation change makes it unneeded)."""
    with _lock:
        _fragments.clear()
