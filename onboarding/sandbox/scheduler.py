"""One thread that runs the sandbox's delayed work: settling accounts and delivering webhooks."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVarTuple

logger = logging.getLogger(__name__)

Arguments = TypeVarTuple("Arguments")


class Scheduler(threading.Thread):
    """Runs callables at a time, one at a time, in time then submission order.

    A single thread keeps webhook deliveries in the order they were queued, unless a fault asks
    otherwise.
    """

    def __init__(self) -> None:
        super().__init__(name="sandbox-scheduler", daemon=True)
        self._heap: list[tuple[float, int, Callable[..., None], tuple[Any, ...]]] = []
        self._ready = threading.Condition()
        self._order = itertools.count()

    def call_later(
        self,
        delay: float,
        function: Callable[[*Arguments], None],
        *args: *Arguments,
    ) -> None:
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
