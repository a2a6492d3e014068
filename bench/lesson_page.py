"""What a lesson page costs, against budgets: server time, database queries, bytes on the wire.

Run it from the repository root:

    .venv/bin/python bench/lesson_page.py [--rounds 200]

It builds a throwaway SQLite site in a temporary folder, so it never touches var/ or a
DATABASE_URL. It prints ratios and counts measured in one run, side by side, so that machine
noise cancels out instead of deciding the result:

a) the server time of a lesson page over that of a bare Wagtail page rendering the same lesson
   body, both through the test client with the same middleware, in interleaved rounds (median);
b) the queries of a lesson page in a 5-lesson course and in a 100-lesson course;
c) the gzip bytes of the catalogue, a course page and a lesson page, with the CSS and JS they
   link (media excluded).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIME_RATIO_TARGET = 1.25
BYTES_TARGET = 50 * 1024

# One realistic lesson: what a trainer writes for "take photos of your work", 8 blocks.
LESSON_BODY: list[dict[str, Any]] = [
    {
        "type": "text",
        "value": {
            "text": "<p>Une bonne photo vend mieux qu'une longue description. Les acheteurs "
            "regardent d'abord l'image, puis le prix, puis le texte. Dans cette leçon, vous "
            "apprenez à photographier une pièce avec votre téléphone, sans matériel.</p>",
            "narration": None,
        },
    },
    {
        "type": "callout",
        "value": {"tone": "tip", "text": "Photographiez près d'une fenêtre, le matin."},
    },
    {
        "type": "text",
        "value": {
            "text": "<h3>Préparer la pièce</h3><ul><li>Nettoyez la pièce et retirez les fils.</li>"
            "<li>Posez-la sur un fond uni : un drap blanc ou un mur clair.</li>"
            "<li>Essuyez l'objectif du téléphone avec un tissu doux.</li></ul>",
            "narration": None,
        },
    },
    {
        "type": "callout",
        "value": {
            "tone": "warning",
            "text": "Évitez le flash : il écrase les couleurs et crée des reflets sur le cuivre "
            "et la céramique émaillée.",
        },
    },
    {
        "type": "text",
        "value": {
            "text": "<h3>Prendre trois photos</h3><ol><li>La pièce entière, de face.</li>"
            "<li>Un détail du travail : un motif, une couture, une gravure.</li>"
            "<li>La pièce dans une main ou à côté d'un objet connu, pour montrer la taille.</li>"
            "</ol><p>Tenez le téléphone à deux mains et appuyez doucement.</p>",
            "narration": None,
        },
    },
    {
        "type": "callout",
        "value": {
            "tone": "example",
            "text": "Un tapis de 2 m × 1,5 m : une photo entière, une photo du nœud, "
            "une photo avec une chaise à côté.",
        },
    },
    {
        "type": "text",
        "value": {
            "text": "<h3>Vérifier avant d'envoyer</h3><p>Agrandissez la photo avec deux doigts. "
            "Si les bords sont flous, recommencez. Une photo nette prise deux fois vaut mieux "
            "qu'une photo floue envoyée tout de suite.</p>",
            "narration": None,
        },
    },
    {
        "type": "text",
        "value": {
            "text": "<p>Dans la prochaine leçon, vous écrirez un titre et un prix pour cette "
            "pièce.</p>",
            "narration": None,
        },
    },
]

BARE_TEMPLATE = (
    '{% load wagtailcore_tags %}<!doctype html><html lang="fr"><head><meta charset="utf-8">'
    "<title>{{ page.title }}</title></head><body><h1>{{ page.title }}</h1>"
    "{% for block in page.body %}{% include_block block %}{% endfor %}</body></html>"
)


def configure_django(var_dir: str) -> None:
    """Settings as a deployment would have them, on a throwaway SQLite file."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["MAALEM_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-throwaway-key")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()

    from django.core.management import call_command
    from django.test.utils import override_settings

    # Without collectstatic there is no manifest, so serve static names as they are; the bench
    # reads the CSS through the finders instead.
    override_settings(
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=install_bench_urls().__name__,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()
    call_command("migrate", verbosity=0, interactive=False)


def install_bench_urls() -> types.ModuleType:
    """The site's URLs plus ``bare/<path>``: the baseline, a Wagtail page with nothing added."""
    from django.http import HttpRequest, HttpResponse
    from django.template import RequestContext, Template
    from django.urls import path
    from wagtail.models import Site

    from config import urls as site_urls

    template = Template(BARE_TEMPLATE)

    def bare_page(request: HttpRequest, page_path: str) -> HttpResponse:
        # What wagtail.views.serve does to find the page, then the plainest possible template.
        site = Site.find_for_request(request)
        page, _args, _kwargs = site.root_page.localized.specific.route(
            request, [part for part in page_path.split("/") if part]
        )
        return HttpResponse(template.render(RequestContext(request, {"page": page})))

    module = types.ModuleType("bench_lesson_page_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bare/<path:page_path>", bare_page),
        *site_urls.urlpatterns,
    ]
    sys.modules[module.__name__] = module
    return module


def build_course(catalogue: Any, title: str, lessons: int) -> list[Any]:
    from lms.courses.models import CoursePage, LessonPage

    course = CoursePage(title=title, slug=title.lower().replace(" ", "-"), summary="Vendre.")
    catalogue.add_child(instance=course)
    course.save_revision().publish()
    pages = []
    for number in range(1, lessons + 1):
        lesson = LessonPage(
            title=f"Leçon {number}", slug=f"lecon-{number}", body=json.dumps(LESSON_BODY)
        )
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
        pages.append(lesson)
    return [CoursePage.objects.get(pk=course.pk), *pages]


def build_site() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from wagtail.models import Site

    from lms.courses import services
    from lms.courses.models import CourseIndexPage

    home = Site.objects.get(is_default_site=True).root_page
    catalogue = CourseIndexPage(title="Formations", slug="formations")
    home.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    small_course, *small_lessons = build_course(catalogue, "Photos", 5)
    big_course, *big_lessons = build_course(catalogue, "Tout vendre", 100)
    learner = get_user_model().objects.create_user("bench-learner", password="bench-Pass-42")
    services.enrol(learner, small_course)
    services.enrol(learner, big_course)
    return {
        "home": home,
        "catalogue": catalogue,
        "course": small_course,
        "lesson": small_lessons[2],
        "big_lesson": big_lessons[2],
        "learner": learner,
    }


def timed_get(client: Any, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return elapsed


def server_time_ratio(client: Any, site: dict[str, Any], rounds: int) -> tuple[float, float, float]:
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
            bare_times.append(timed_get(client, bare_url))
            lesson_times.append(timed_get(client, lesson_url))
        else:
            lesson_times.append(timed_get(client, lesson_url))
            bare_times.append(timed_get(client, bare_url))
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
            "a) lesson / bare page, server time",
            f"{ratio:.2f}x ({lesson_time * 1000:.1f} / {bare_time * 1000:.1f} ms)",
            f"<= {TIME_RATIO_TARGET}x",
            met(ratio <= TIME_RATIO_TARGET),
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
