"""Bytes over the wire of a page in real Chromium, as a phone on a metered plan pays for them.

Shared by ``tests/e2e/test_page_weight.py`` and ``bench/pages.py``.

What counts: every response that reached the browser over the network while the page loaded,
headers and body as sent (compressed), from the page *and* from its service worker. Playwright
reports both at the context level, each with Chromium's ``encodedDataLength`` (see
``Request.sizes()``, which splits that number into headers and body). A Chrome DevTools Protocol
session on the page would miss the service worker's own fetches: on a return visit the page's
HTML comes *from* the worker, which fetched it over the network in its own target.

What does not count: media (pictures, sound, video: by resource type, or by content type for
what the service worker fetched on the page's behalf), responses the service worker answered
(from its cache, or relayed: its own fetch is what is counted), and the HTTP cache's hits, for
which Chromium reports no bytes received.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, Request

KB = 1024
FIRST_VISIT_BUDGET = 50 * KB
RETURN_VISIT_BUDGET = 10 * KB
MEDIA_RESOURCE_TYPES = {"image", "media"}
MEDIA_CONTENT_TYPES = ("image/", "audio/", "video/")
# A page has loaded once nothing went over the network for this long, page or worker.
QUIET_SECONDS = 0.75
LOAD_TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class Transfer:
    """One response that crossed the network."""

    url: str
    resource_type: str
    status: int
    received: int
    by_service_worker: bool

    def __str__(self) -> str:
        who = "worker " if self.by_service_worker else ""
        return f"{self.received:>7} B  {who}{self.resource_type} {self.status} {self.url}"


@dataclass
class Load:
    """What one page load cost: the transfers counted, and the media left out."""

    url: str
    transfers: list[Transfer] = field(default_factory=list)
    media: list[Transfer] = field(default_factory=list)

    @property
    def media_bytes(self) -> int:
        return sum(transfer.received for transfer in self.media)

    @property
    def received(self) -> int:
        return sum(transfer.received for transfer in self.transfers)

    def report(self) -> str:
        lines = [
            f"{self.url}: {self.received} B over the wire (media left out: {self.media_bytes} B)"
        ]
        lines += [f"  {transfer}" for transfer in self.transfers]
        lines += [f"  (media) {transfer}" for transfer in self.media]
        return "\n".join(lines)


class WireMeter:
    """Records what a browser context receives over the network, page by page."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.finished: list[Request] = []
        self.in_flight: set[Request] = set()
        self.last_activity = time.monotonic()
        context.on("request", self._started)
        context.on("requestfinished", self._ended)
        context.on("requestfailed", self._failed)

    def _started(self, request: Request) -> None:
        self.in_flight.add(request)
        self.last_activity = time.monotonic()

    def _ended(self, request: Request) -> None:
        self.in_flight.discard(request)
        self.finished.append(request)
        self.last_activity = time.monotonic()

    def _failed(self, request: Request) -> None:
        self.in_flight.discard(request)
        self.last_activity = time.monotonic()

    def wait_until_quiet(self, page: Page) -> None:
        """Let the page, its scripts and its service worker finish what they started."""
        deadline = time.monotonic() + LOAD_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            quiet_for = time.monotonic() - self.last_activity
            if not self.in_flight and quiet_for >= QUIET_SECONDS:
                return
            # Waiting through Playwright lets it deliver the network events meanwhile.
            page.wait_for_timeout(100)
        pending = ", ".join(request.url for request in self.in_flight)
        raise TimeoutError(f"the network never went quiet; still loading: {pending}")

    def load(self, page: Page, url: str) -> Load:
        """Open ``url`` in ``page`` and count what it cost over the network."""
        self.wait_until_quiet(page)
        self.finished.clear()
        page.goto(url, wait_until="load")
        self.wait_until_quiet(page)
        load = Load(url)
        for request in self.finished:
            transfer = self._transfer(request)
            if transfer is None:
                continue
            if is_media(request):
                load.media.append(transfer)
            else:
                load.transfers.append(transfer)
        self.finished.clear()
        return load

    @staticmethod
    def _transfer(request: Request) -> Transfer | None:
        response = request.response()
        if response is None or response.from_service_worker:
            return None
        sizes = request.sizes()
        # Together, Chromium's encodedDataLength: what arrived, headers and compressed body. For
        # an answer from the HTTP cache that is 0 (the body size is then minus the headers').
        received = sizes["responseHeadersSize"] + sizes["responseBodySize"]
        if received <= 0:
            return None
        return Transfer(
            url=request.url,
            resource_type=request.resource_type,
            status=response.status,
            received=received,
            by_service_worker=request.service_worker is not None,
        )


def is_media(request: Request) -> bool:
    if request.resource_type in MEDIA_RESOURCE_TYPES:
        return True
    response = request.response()
    content_type = (response.headers.get("content-type", "") if response else "").lower()
    return content_type.startswith(MEDIA_CONTENT_TYPES)


def wait_for_service_worker(page: Page) -> None:
    """The worker installed (its first pages and files kept) and in control of the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


@dataclass(frozen=True)
class Visits:
    """A page type's first visit on an empty phone, and the visit after going elsewhere."""

    name: str
    first: Load
    again: Load


def first_and_return_visit(
    meter: WireMeter, page: Page, name: str, url: str, elsewhere: str
) -> Visits:
    """Measure ``url`` on a fresh context, then again after a visit to ``elsewhere``."""
    first = meter.load(page, url)
    wait_for_service_worker(page)
    meter.wait_until_quiet(page)
    meter.load(page, elsewhere)
    again = meter.load(page, url)
    return Visits(name, first, again)


def table(visits: list[Visits]) -> str:
    """One line per page type: bytes of the first and of the return visit, against the budgets."""
    lines = [
        f"{'page':<24} {'first visit':>12} {'return visit':>13}   "
        f"budgets {FIRST_VISIT_BUDGET // KB} KB / {RETURN_VISIT_BUDGET // KB} KB"
    ]
    for visit in visits:
        ok = (
            visit.first.received <= FIRST_VISIT_BUDGET
            and visit.again.received <= RETURN_VISIT_BUDGET
        )
        lines.append(
            f"{visit.name:<24} {visit.first.received / KB:>9.1f} KB {visit.again.received / KB:>10.1f} KB"
            f"   {'within' if ok else 'OVER'}"
        )
    return "\n".join(lines)


PRODUCTION_STATIC_IGNORE = ["wagtail*"]


def production_static_settings(static_root: Path) -> dict[str, Any]:
    """Static files as a deployment serves them: hashed names, precompressed, via WhiteNoise."""
    return {
        "STATIC_ROOT": static_root,
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        "WHITENOISE_USE_FINDERS": False,
        "WHITENOISE_AUTOREFRESH": False,
    }


@contextmanager
def production_shaped_server(host: str = "localhost") -> Iterator[str]:
    """The site in a thread, its static files served by WhiteNoise rather than by the test server.

    pytest-django's ``live_server`` answers ``/static/`` itself, before any middleware: files as
    they are on disk, uncompressed, with no cache lifetime, so every return visit revalidates.
    A deployment serves them with WhiteNoise: brotli or gzip, and a far-future lifetime for the
    hashed names. Call this inside ``override_settings(**production_static_settings(...))``
    after ``collectstatic``; media stays with the test server's handler, as it is left out of
    the count anyway.
    """
    from django.test.testcases import LiveServerThread

    thread = LiveServerThread(host, static_handler=lambda handler: handler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://{host}:{thread.port}"
    finally:
        thread.terminate()
