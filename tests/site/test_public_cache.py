"""Public pages carry cache headers for anonymous visitors only, and publishing purges them from a
front-end cache (here a real HTTP server on loopback standing in for Varnish or a CDN)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.builders import lessons_of, make_course, make_learner

pytestmark = pytest.mark.django_db


def read_twice(client, url):
    # The first page read in a language sets the language cookie: that answer stays private.
    first = client.get(url)
    return first, client.get(url)


def test_an_anonymous_visitor_gets_cacheable_catalogue_and_course_pages(client, settings):
    settings.MAALEM_PUBLIC_CACHE_MAX_AGE = 120
    course = make_course(lessons=1, quiz=False)
    first, _ = read_twice(client, course.get_parent().url)
    assert first.cookies and "private" in first["Cache-Control"]  # it set the language cookie

    for url in (course.get_parent().url, course.url):
        response = client.get(url)

        assert response.status_code == 200
        assert not response.cookies
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=120"
        assert "Cookie" in response["Vary"]


def test_a_signed_in_learner_never_gets_a_public_page(client):
    course = make_course(lessons=1, quiz=False)
    client.force_login(make_learner())
    for url in (course.get_parent().url, course.url):
        first, second = read_twice(client, url)

        assert "public" not in second["Cache-Control"]
        assert "private" in second["Cache-Control"]


def test_lesson_pages_and_personal_pages_are_never_public(client):
    course = make_course(lessons=1, quiz=False)
    (lesson,) = lessons_of(course)
    for url in (lesson.url, "/fr/learn/", "/fr/learn/sign-in/"):
        first, second = read_twice(client, url)

        assert "public" not in second.get("Cache-Control", ""), url


class PurgeRecorder(BaseHTTPRequestHandler):
    purged: list[tuple[str, str]] = []

    def do_PURGE(self) -> None:  # noqa: N802 - the HTTP method's name
        self.purged.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def cache_server(settings) -> Iterator[list[tuple[str, str]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PurgeRecorder.purged = []
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    try:
        yield PurgeRecorder.purged
    finally:
        server.shutdown()
        server.server_close()


def test_publishing_and_unpublishing_a_course_purges_it_from_the_front_end_cache(cache_server):
    course = make_course(lessons=0, quiz=False)
    path = course.url
    cache_server.clear()

    course.title = "A new title"
    course.save_revision().publish()

    assert path in [purged for _, purged in cache_server]
    cache_server.clear()

    course.unpublish()

    assert path in [purged for _, purged in cache_server]
