"""The measurement core of ``bench/scale.py``: which pages to time, as whom, and the timing.

The pages are every GET view of the apps in the authorization table
(``tests/test_authorization_matrix.py``), each asked by a role that may open it, plus the site's
Wagtail pages and the exports of the admin lists (those written by a worker are timed from the
request to its redirect to the Exports page; ``bench/scale_exports.py`` times the jobs). Importing this module sets nothing up: the
caller has configured Django and loaded a dataset (``manage.py load_scale_data``).
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from bench.scale_exports import forget_queued, is_background
from lms.certificates.models import Certificate, CertificateTemplate
from lms.courses.models import CourseIndexPage, CoursePage, LessonPage
from onboarding.marketplace.models import MarketplaceIndexPage, SellerProfilePage
from onboarding.models import ApplicantProfile, OnboardingCase
from tests.test_authorization_matrix import ADMIN_TABLE, PUBLIC_TABLE, concrete, routes

TARGET = 0.300
SLOW = 3.0
EXPECTED_STATUS = {"ok": 200, "moved": 302, "wait": 202}
# The export formats of each admin list that offers them.
EXPORTS = (
    "lms_progress_report",
    "lms_learner_report",
    "lms_missing_translations",
    "onboarding_funnel:index",
    "onboarding_case:index",
)
ADMIN_NAME = "bench-scale-admin"
# The seller's pages that any signed-in learner may open, seller or not.
SELLER_FREE = ("marketplace_seller:dashboard",)


@dataclass
class Target:
    label: str
    role: str
    url: str
    status: int
    background: bool = False


@dataclass
class Figures:
    target: Target
    status: int
    median: float
    p95: float
    queries: int
    peak_mib: float

    @property
    def mark(self) -> str:
        return "PASS" if self.median <= TARGET else "OVER"


def the_people() -> dict[str, Any]:
    """Who asks: nobody, a learner of the dataset with a case and a certificate, and staff."""
    User = get_user_model()
    owner = User.objects.get(pk=OnboardingCase.objects.order_by("pk").values("learner")[:1])
    admin, created = User.objects.get_or_create(
        username=ADMIN_NAME, defaults={"is_staff": True, "is_superuser": True}
    )
    return {"anonymous": None, "owner": owner, "superuser": admin}


def _values(owner: Any) -> dict[str, str]:
    case = OnboardingCase.objects.filter(learner=owner).first()
    certificate = Certificate.objects.filter(learner=owner).order_by("issued_at").first()
    template = CertificateTemplate.objects.order_by("pk").first()
    return {
        "case_id": str(case.pk) if case else "1",
        "code": certificate.display_code if certificate else "x",
        "certificate_id": str(certificate.pk) if certificate else "1",
        "template_id": str(template.pk) if template else "",
        "photo": "yes" if ApplicantProfile.objects.filter(case=case, photo__gt="").exists() else "",
        "qr": "yes" if case is not None and case.merchant_qr else "",
        "shop": "yes" if SellerProfilePage.objects.live().filter(case=case).exists() else "",
    }


def _role_for(expected: dict[str, str]) -> str | None:
    for role in ("anonymous", "owner", "superuser"):
        if expected.get(role) in EXPECTED_STATUS:
            return role
    return None


def targets(owner: Any) -> list[Target]:
    """Every page to time, with the role that asks for it and the status it should get."""
    values = _values(owner)
    table = {**PUBLIC_TABLE, **ADMIN_TABLE}
    found: list[Target] = []
    for route in routes():
        expected = table.get(route.name)
        role = _role_for(expected) if expected else None
        if role is None or route.path.startswith("^"):
            continue
        filled = dict(values)
        if route.name.startswith("onboarding_case:"):
            filled.update(pk=values["case_id"], action="approve")
        elif route.name.startswith(
            ("certificates_certificate:", "certificates_admin:revoke", "certificates_admin:reissue")
        ):
            filled["pk"] = values["certificate_id"]
        elif route.name == "certificates_admin:template_preview":
            if not values["template_id"]:
                continue  # no template to preview
            filled["pk"] = values["template_id"]
        elif route.name == "onboarding_learner:case_photo" and not values["photo"]:
            continue  # the dataset's applicants sent no photo
        elif route.name == "onboarding_learner:qr_poster" and not values["qr"]:
            continue  # the dataset's accounts were copied without their QR identifiers
        elif route.name.startswith("marketplace_orders:basket"):
            pass  # an empty basket (the visitor's own cookie): no order needed
        elif route.name.startswith(("marketplace_orders:", "marketplace_seller:statement")):
            continue  # the dataset holds no orders; statements ask the provider, not run here
        elif route.name.startswith("marketplace_seller:") and route.name not in SELLER_FREE:
            if not values["shop"] or "<" in route.path:
                continue  # the dataset holds no products; a shop's own pages need one
        elif route.name == "certificates_admin:retry":
            filled["pk"] = "999999"
        if "<" in route.path and "pk" not in filled and "<int:pk>" in route.path:
            continue
        status = EXPECTED_STATUS[expected[role]]  # type: ignore[index]
        found.append(Target(route.name, role, concrete(route.path, filled), status))
    for name in EXPORTS:
        base = next(t for t in found if t.label == name)
        for export in ("csv", "xlsx"):
            url = f"{base.url}?export={export}"
            if is_background(url):
                # Written by a worker: the request only queues it and redirects (request → redirect).
                label = f"{name} ({export}, queued → redirect)"
                found.append(Target(label, "superuser", url, 302, background=True))
            else:
                found.append(Target(f"{name} ({export})", "superuser", url, 200))
    return found + _site_pages(owner)


def _site_pages(owner: Any) -> list[Target]:
    pages: list[tuple[str, Any, str]] = [
        ("home", Page.objects.filter(depth=2).order_by("path").first(), "anonymous"),
        ("catalogue", CourseIndexPage.objects.live().order_by("path").first(), "anonymous"),
        ("course", CoursePage.objects.live().order_by("path").first(), "anonymous"),
        ("course (enrolled)", CoursePage.objects.live().order_by("path").first(), "owner"),
        ("lesson", LessonPage.objects.live().order_by("path").first(), "owner"),
        ("marketplace", MarketplaceIndexPage.objects.live().order_by("path").first(), "anonymous"),
        ("seller page", SellerProfilePage.objects.live().order_by("-path").first(), "anonymous"),
    ]
    return [
        Target(f"page: {label}", role, page.get_url(), 200)
        for label, page, role in pages
        if page is not None
    ]


def _get(client: Client, url: str) -> int:
    response = client.get(url)
    if response.streaming:
        for _part in response.streaming_content:
            pass
    return response.status_code


def measure(target: Target, client: Client, rounds: int) -> Figures:
    """Median and 95th percentile of ``rounds`` GETs, after one to warm up; the queries and the
    peak Python memory of one more (measured apart, as tracing slows everything down)."""
    if target.background:
        return _measure_background(target, client, rounds)
    times = []
    if rounds > 1:
        # A first request, to warm up; a page that takes seconds is not asked again and again.
        start = time.perf_counter()
        _get(client, target.url)
        if time.perf_counter() - start > SLOW:
            rounds = 1
    for _ in range(rounds):
        start = time.perf_counter()
        _get(client, target.url)
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        tracemalloc.start()
        status = _get(client, target.url)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Figures(target, status, statistics.median(times), p95, len(queries), peak)


def _measure_background(target: Target, client: Client, rounds: int) -> Figures:
    """As :func:`measure`, each request making a new export (none is left waiting to be found)."""
    user = get_user_model().objects.get(username=ADMIN_NAME)
    times = []
    for _ in range(rounds + 1):
        forget_queued(user)
        start = time.perf_counter()
        _get(client, target.url)
        times.append(time.perf_counter() - start)
    times = times[1:]  # the first warms up
    forget_queued(user)
    with CaptureQueriesContext(connection) as queries:
        tracemalloc.start()
        status = _get(client, target.url)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    forget_queued(user)
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Figures(target, status, statistics.median(times), p95, len(queries), peak)


def measure_all(
    rounds: int, skip: tuple[str, ...] = (), only: tuple[str, ...] = ()
) -> list[Figures]:
    people = the_people()
    clients = {}
    for role, user in people.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
    chosen = [
        t
        for t in targets(people["owner"])
        if not any(word in t.label for word in skip)
        and (not only or any(word in t.label for word in only))
    ]
    return [measure(t, clients[t.role], rounds) for t in chosen]


def table(rows: list[Figures]) -> str:
    lines = [
        f"{'page':<58} {'as':<9} {'status':>6} {'median':>8} {'p95':>8} {'queries':>7} "
        f"{'MiB':>6}  mark"
    ]
    for row in rows:
        lines.append(
            f"{row.target.label:<58} {row.target.role:<9} {row.status:>6} "
            f"{row.median * 1000:>6.0f}ms {row.p95 * 1000:>6.0f}ms {row.queries:>7} "
            f"{row.peak_mib:>6.1f}  {row.mark}"
        )
    over = sum(row.mark == "OVER" for row in rows)
    lines.append(f"{len(rows)} pages, {over} over {TARGET * 1000:.0f} ms (median)")
    return "\n".join(lines)
