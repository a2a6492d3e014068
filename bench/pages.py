"""What learner pages cost a phone: bytes over the wire, and Lighthouse's mobile scores.

Run it from the repository root, after ``npm ci --prefix bench`` (Lighthouse 12, pinned):

    .venv/bin/python bench/pages.py [--runs 3]

It builds a throwaway site in a temporary MAALEM_VAR_DIR (SQLite, the demo data, collectstatic)
and serves it as a deployment does: DEBUG off, WhiteNoise serving the hashed, precompressed
static files with a far-future lifetime, pages gzipped. Django's threaded development server
carries the requests (no production WSGI server is a dependency); media is served beside it by
WhiteNoise, since without DEBUG the site serves none, and left out of the byte counts.

It prints:
a) bytes over the wire of the catalogue, a course, a lesson and the dashboard (My learning),
   per language, on a first visit (empty phone) and a return visit, in real Chromium at 360px,
   counted as ``tests/e2e/test_page_weight.py`` counts them. Budgets: 50 KB and 10 KB.
b) Lighthouse's mobile scores (performance, accessibility, best practices) of the catalogue, a
   lesson and the dashboard, signed in as the demo learner ``khadija``: the median of several
   runs per page. Target: 95 or more each.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ["performance", "accessibility", "best-practices"]
SCORE_TARGET = 95
DEMO_LEARNER, DEMO_PASSWORD = "khadija", "maalem-demo-2026"


def configure(var_dir: str) -> None:
    """Environment as a deployment has it, on throwaway files; shared with the server process."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["MAALEM_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = "bench-only-throwaway-key"
    os.environ["PII_SALT_KEYS"] = "bench-only-throwaway-salt"
    os.environ["PII_HMAC_KEY"] = "bench-only-throwaway-hmac"
    os.environ["PHONE_HMAC_KEY"] = "bench-only-throwaway-phone-hmac"
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ["LOG_LEVEL"] = "WARNING"


def serve(port: int) -> None:
    """The server process: the site, plus media, on 127.0.0.1:``port``."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from whitenoise import WhiteNoise

    application = WhiteNoise(
        get_wsgi_application(),
        root=str(settings.MEDIA_ROOT),
        prefix=settings.MEDIA_URL,
        autorefresh=True,  # renditions appear while pages render
    )
    run("127.0.0.1", port, application, threading=True)


def build_site() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_data", verbosity=0, stdout=io.StringIO())
    call_command("collectstatic", verbosity=0, interactive=False)


def page_urls() -> dict[str, dict[str, str]]:
    """Per language: the catalogue, a course, one of khadija's lessons, and her dashboard."""
    from django.contrib.auth import get_user_model

    from lms.courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage

    khadija = get_user_model().objects.get(username=DEMO_LEARNER)
    enrolled = Enrolment.objects.filter(learner=khadija).values_list("course_key", flat=True)
    urls: dict[str, dict[str, str]] = {}
    for catalogue in CourseIndexPage.objects.live().order_by("path"):
        language = catalogue.locale.language_code
        if language in urls:
            continue
        courses = CoursePage.objects.live().child_of(catalogue).order_by("path")
        course = courses.filter(translation_key__in=enrolled).first() or courses.first()
        if course is None:
            continue
        lesson = next(
            (page for page in LessonPage.objects.live().child_of(course) if not page.is_quiz), None
        )
        urls[language] = {
            "catalogue": catalogue.url,
            "course": course.url,
            "lesson": lesson.url if lesson else course.url,
            "dashboard": f"/{language}/learn/",
        }
    return urls


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def measure_bytes(base: str, urls: dict[str, dict[str, str]]) -> tuple[list[str], str]:
    """Bytes over the wire per language and page type; also returns the learner's cookie."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, PHONE
    from tests.e2e.weight import WireMeter, first_and_return_visit, table

    lines = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        # Sign in once, through the real password form, and keep the session for every visit.
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(base + "/fr/learn/sign-in/password/")
        page.locator("#id_username").fill(DEMO_LEARNER)
        page.locator("#id_password").fill(DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(base + "/fr/learn/")
        session = next(c for c in context.cookies() if c["name"] == "sessionid")
        context.close()

        for language, pages in urls.items():
            visits = []
            for name, path in pages.items():
                context = browser.new_context(viewport=PHONE)
                if name in {"lesson", "dashboard"}:
                    context.add_cookies([{**session}])  # type: ignore[list-item]
                page = context.new_page()
                visits.append(
                    first_and_return_visit(
                        WireMeter(context), page, name, base + path, f"{base}/{language}/"
                    )
                )
                context.close()
            lines.append(f"{language}:\n{table(visits)}")
        browser.close()
    return lines, f"sessionid={session['value']}"


def lighthouse_once_more_if_it_fails(url: str, cookie: str | None) -> dict[str, float]:
    """Lighthouse's own Chromium now and then fails to start on a busy machine: one more try."""
    try:
        return lighthouse(url, cookie)
    except RuntimeError as error:
        print(f"(retrying once) {error}", file=sys.stderr)
        return lighthouse(url, cookie)


def lighthouse(url: str, cookie: str | None) -> dict[str, float]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    result = subprocess.run(
        command,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode:
        raise RuntimeError(f"Lighthouse on {url} failed:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse on {url}: {report['runtimeError']}")
    final = report.get("finalDisplayedUrl", url)
    if final.rstrip("/") != url.rstrip("/"):
        raise RuntimeError(f"Lighthouse was sent from {url} to {final}")
    scores = {name: report["categories"][name]["score"] * 100 for name in CATEGORIES}
    lost = [
        audit["id"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in {"binary", "numeric", "metricSavings"}
    ]
    errors = report["audits"]["errors-in-console"].get("details", {}).get("items", [])
    lost += [
        f"console: {item.get('description', '')[:90]} {item.get('sourceLocation', {}).get('url', '')}"
        for item in errors
    ]
    scores["_lost"] = lost  # type: ignore[assignment]
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    options = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is missing: run `npm ci --prefix bench` first.")

    with tempfile.TemporaryDirectory(prefix="maalem-bench-pages-") as var_dir:
        configure(var_dir)
        build_site()
        urls = page_urls()
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + "/fr/learn/sign-in/")
            byte_lines, cookie = measure_bytes(base, urls)
            scores: dict[str, list[dict[str, Any]]] = {}
            for name in ("catalogue", "lesson", "dashboard"):
                signed_in = name != "catalogue"
                scores[name] = [
                    lighthouse_once_more_if_it_fails(
                        base + urls["fr"][name], cookie if signed_in else None
                    )
                    for _run in range(options.runs)
                ]
        finally:
            server.terminate()
            server.wait(timeout=30)

    print("a) Bytes over the wire, media left out (first visit: empty phone; return visit: same")
    print("   phone after another page), real Chromium at 360px")
    for block in byte_lines:
        print("   " + block.replace("\n", "\n   "))
    print()
    print(
        f"b) Lighthouse 12 mobile scores, median of {options.runs} runs, fr, target >= {SCORE_TARGET}"
    )
    header = f"   {'page':<12}" + "".join(f"{name:>16}" for name in CATEGORIES)
    print(header)
    for name, runs in scores.items():
        medians = [statistics.median(run[category] for run in runs) for category in CATEGORIES]
        cells = "".join(f"{median:>16.0f}" for median in medians)
        met = all(median >= SCORE_TARGET for median in medians)
        print(f"   {name:<12}{cells}   target met: {'yes' if met else 'no'}")
        lost = sorted({audit for run in runs for audit in run["_lost"]})
        if lost:
            print(f"   {'':<12}below 0.9 in some run: " + f"\n   {'':<12}  ".join(lost))
    print()
    print(
        "Performance is simulated (Lighthouse's mobile throttling on this machine's CPU): it moves\n"
        "a few points between machines and runs, hence the median. Bytes do not move."
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]))
    else:
        main()
