"""What a lesson page costs, against budgets: server time, database queries, bytes on the wire.

Run it from the repository root:

    .venv/bin/python bench/lesson_page.py [--rounds 200]

It builds a throwaway SQLite site in a temporary folder, so it never touches var/ or a
DATABASE_URL. It prints ratios and counts measured in one run, side by side, so that machine
noise cancels out instead of deciding the result:

a) the server time of a lesson page over that of a bare Wagtail page rendering the same lesson
   body, both through the test client with the same middleware, in interleaved rounds (median).
   Time is the CPU time of this thread (everything runs in it, SQLite included), so the other
   programs of a shared machine change it little; the wall-clock ratio is printed beside it.
   The lesson page renders what every learner sees alike from the cache, as a deployment does
   after the first visit (lms.courses.templatetags.lms_fragments); the bare page renders it all;
b) the queries of a lesson page in a 5-lesson course and in a 100-lesson course;
c) the gzip bytes of the catalogue, a course page and a lesson page, with the CSS and JS they
   link (media excluded).
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lesson_fixtures import build_site, configure_django  # noqa: E402

TIME_RATIO_TARGET = 1.25
BYTES_TARGET = 50 * 1024


def timed_get(client: Any, url: str, clock: Any = time.thread_time) -> float:
    start = clock()
    response = client.get(url)
    elapsed = clock() - start
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return elapsed


def server_time_ratio(
    client: Any, site: dict[str, Any], rounds: int, clock: Any = time.thread_time
) -> tuple[float, float, float]:
    lesson = site["lesson"]
    lesson_url = lesson.get_url()
    bare_url = "/bare/" + lesson.url_path[len(site["home"].url_path) :]
    for _ in range(20):  # warm the caches, the template loader and the connections
        timed_get(client, lesson_url)
        timed_get(client, bare_url)
    lesson_times, bare_times = [], []
    for round_number in range(rounds):
        # Alternate which goes first, so neither always runs on a warmer machine.
        if round_number % 2:
            bare_times.append(timed_get(client, bare_url, clock))
            lesson_times.append(timed_get(client, lesson_url, clock))
        else:
            lesson_times.append(timed_get(client, lesson_url, clock))
            bare_times.append(timed_get(client, bare_url, clock))
    lesson_median, bare_median = statistics.median(lesson_times), statistics.median(bare_times)
    return lesson_median / bare_median, lesson_median, bare_median


def queries_for(client: Any, url: str, show: bool = False) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the second visit is the one learners repeat
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    if show:
        for number, query in enumerate(captured.captured_queries, start=1):
            print(f"{number:3}. {query['sql'][:160]}")
    return len(captured)


def gzip_bytes(client: Any, url: str) -> tuple[int, int]:
    """Bytes of the gzipped page, and of the CSS and JS it links, compressed as WhiteNoise does."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    if response.status_code != 200 or response.get("Content-Encoding") != "gzip":
        raise RuntimeError(f"GET {url} was not a gzipped page")
    html = gzip.decompress(response.content).decode()
    linked = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    linked += re.findall(r'<script[^>]+src="([^"]+)"', html)
    assets = 0
    for href in linked:
        found = finders.find(href.removeprefix(settings.STATIC_URL).split("?")[0])
        if not found:
            raise RuntimeError(f"{url} links {href}, which no static finder knows")
        assets += len(gzip.compress(Path(found).read_bytes(), compresslevel=9))
    return len(response.content), assets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="timed pairs of requests")
    parser.add_argument("--queries", action="store_true", help="print the lesson page's SQL")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="maalem-bench-") as var_dir:
        configure_django(var_dir)
        from django.test import Client

        site = build_site()
        client = Client()
        client.force_login(site["learner"])

        ratio, lesson_time, bare_time = server_time_ratio(client, site, options.rounds)
        wall = server_time_ratio(client, site, options.rounds // 2, time.perf_counter)
        small_queries = queries_for(client, site["lesson"].get_url(), show=options.queries)
        big_queries = queries_for(client, site["big_lesson"].get_url())
        sizes = {
            name: gzip_bytes(client, site[key].get_url())
            for name, key in [
                ("catalogue", "catalogue"),
                ("course page", "course"),
                ("lesson page", "lesson"),
            ]
        }

    def met(ok: bool) -> str:
        return "target met: " + ("yes" if ok else "no")

    rows = [
        (
            "a) lesson / bare page, CPU time",
            f"{ratio:.2f}x ({lesson_time * 1000:.1f} / {bare_time * 1000:.1f} ms)",
            f"<= {TIME_RATIO_TARGET}x",
            met(ratio <= TIME_RATIO_TARGET),
        ),
        (
            "a) the same, wall-clock time",
            f"{wall[0]:.2f}x ({wall[1] * 1000:.1f} / {wall[2] * 1000:.1f} ms)",
            "(noisy)",
            "",
        ),
        (
            "b) queries, lesson of 5 / of 100 lessons",
            f"{small_queries} / {big_queries}",
            "equal",
            met(small_queries == big_queries),
        ),
    ]
    for name, (page_bytes, asset_bytes) in sizes.items():
        total = page_bytes + asset_bytes
        rows.append(
            (
                f"c) {name}, gzip HTML + CSS/JS",
                f"{total / 1024:.1f} KB ({page_bytes} + {asset_bytes} B)",
                f"<= {BYTES_TARGET // 1024} KB",
                met(total <= BYTES_TARGET),
            )
        )
    print(f"Lesson page bench, {options.rounds} interleaved rounds, medians")
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)),
            row[3],
        )


if __name__ == "__main__":
    main()
