"""A breadth-first walk of the site as one person, by the Django test client.

Each distinct address pattern (numbers and ids replaced, query values left out) is read once,
up to a bound per person. Pages must answer (no 404, no 5xx) and say in ``<html lang dir>`` the
language their address names: the ``/ar/``, ``/fr/`` or ``/en/`` prefix, or, in the admin, the
user's admin language. Arabic pages must not show Latin words that are no name or code.

What a person could reach: links (also those in menus a script opens), redirects (followed at
once, as a browser does; an admin page that sends the person back to the dashboard is a link
they should not have been shown), and forms. GET forms are sent with the values they show. POST
forms are never sent, so nothing is signed out, withdrawn or deleted: their address is only
asked for by GET, which must not be missing (a 405 is the right answer). Not followed: sign-out
links, the admin's bulk actions (they act on ticked rows) and its "results" fragments. Static
and media files are only checked to exist.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.test import Client
from django.utils.translation import get_language_info

from .latin import latin_words
from .reading import PageReader, read_page

SAME_SITE_HOSTS = {"", "testserver", *settings.ALLOWED_HOSTS}
# Following these would sign the person out and end the walk as someone else; the admin's
# "results" addresses are fragments its scripts fetch to refresh a listing already visited.
NOT_FOLLOWED = re.compile(r"/(sign-out|logout|results)/$")
IDS = re.compile(r"/(\d+|[0-9a-f]{8}-[0-9a-f-]{27}|[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})(?=/)")
LANGUAGES = {code for code, _name in settings.LANGUAGES}


@dataclass(frozen=True)
class Problem:
    role: str
    language: str
    url: str
    referrer: str
    problem: str

    def __str__(self) -> str:
        return (
            f"{self.role:<9} {self.language:<3} {self.url}  (from {self.referrer}): {self.problem}"
        )


def pattern(path: str) -> str:
    """``/admin/pages/12/edit/`` → ``/admin/pages/<id>/edit/``: one visit per kind of page."""
    return IDS.sub("/<id>", path)


def prefix_language(path: str) -> str:
    first = path.strip("/").split("/")[0]
    return first if first in LANGUAGES else ""


def direction(language: str) -> str:
    try:
        return "rtl" if get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "?"


class Crawler:
    def __init__(
        self,
        role: str,
        client: Client,
        names: set[str],
        admin_language: Callable[[Client], str],
        max_pages: int = 400,
    ) -> None:
        self.role = role
        self.client = client
        self.names = names
        self.admin_language = admin_language
        self.max_pages = max_pages
        self.problems: list[Problem] = []
        self.seen: set[str] = set()
        self.pages = 0
        self.queue: deque[tuple[str, str, bool]] = deque()

    def crawl(self, starts: list[str]) -> list[Problem]:
        for start in starts:
            self.enqueue(start, "(start)", "(start)")
        while self.queue and self.pages < self.max_pages:
            url, referrer, follow = self.queue.popleft()
            self.visit(url, referrer, follow)
        return self.problems

    def enqueue(self, href: str, base: str, referrer: str, follow: bool = True) -> None:
        url = urljoin(base if base != "(start)" else "/", href.strip())
        parts = urlsplit(url)
        if (
            parts.scheme not in {"", "http", "https"}
            or (parts.hostname or "") not in SAME_SITE_HOSTS
        ):
            return
        path = parts.path or "/"
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            self.check_file(path, referrer)
            return
        if NOT_FOLLOWED.search(path):
            return
        key = self.key(url)
        if key in self.seen:
            return
        self.seen.add(key)
        self.queue.append((path + (f"?{parts.query}" if parts.query else ""), referrer, follow))

    @staticmethod
    def key(url: str) -> str:
        parts = urlsplit(url)
        names = sorted({name for name, _value in parse_qsl(parts.query)})
        return pattern(parts.path or "/") + "?" + "&".join(names)

    def report(self, url: str, referrer: str, problem: str) -> None:
        language = prefix_language(urlsplit(url).path) or "-"
        self.problems.append(Problem(self.role, language, url, referrer, problem))

    def check_file(self, path: str, referrer: str) -> None:
        if path in self.seen:
            return
        self.seen.add(path)
        if path.startswith(settings.MEDIA_URL):
            exists = default_storage.exists(path.removeprefix(settings.MEDIA_URL))
        else:
            exists = finders.find(path.removeprefix(settings.STATIC_URL)) is not None
        if not exists:
            self.report(path, referrer, "file not found")

    def visit(self, url: str, referrer: str, follow: bool) -> None:
        self.pages += 1
        response = self.client.get(url)
        # A browser follows redirects at once (and shows their messages on the next page).
        for _hop in range(5):
            if response.status_code not in {301, 302, 303, 307, 308}:
                break
            location = urljoin(url, response["Location"])
            if self.refused(url, location):
                self.report(url, referrer, "sends this person away: a link they may not use")
            if (urlsplit(location).hostname or "") not in SAME_SITE_HOSTS:
                return
            url = location.split("#")[0]
            self.seen.add(self.key(url))
            response = self.client.get(url)
        status = response.status_code
        if status == 404 or status >= 500:
            self.report(url, referrer, f"answered {status}")
            return
        if status != 200 or not follow or "html" not in response.get("Content-Type", ""):
            return
        page = read_page(response.content.decode(response.charset or "utf-8"))
        if page.html:  # not a fragment that a script puts into a page
            self.check_language(url, referrer, page)
        for href in page.links:
            self.enqueue(href, url, url)
        for href in page.assets:
            self.enqueue(href, url, url, follow=False)
        for form in page.forms:
            action = form.action or url
            if form.method == "get":
                joined = urljoin(url, action).split("?")[0]
                self.enqueue(f"{joined}?{urlencode(form.fields)}", url, url)
            else:
                self.enqueue(action, url, url, follow=False)

    @staticmethod
    def refused(url: str, location: str) -> bool:
        # Wagtail sends a person away to the dashboard from an admin page they may not see.
        return (
            url.startswith("/admin/") and urlsplit(location).path == "/admin/" and url != "/admin/"
        )

    def check_language(self, url: str, referrer: str, page: PageReader) -> None:
        path = urlsplit(url).path
        expected = prefix_language(path)
        if path.startswith("/admin/"):
            expected = self.admin_language(self.client)
        lang, dir_ = page.html.get("lang", ""), page.html.get("dir", "")
        if expected and lang != expected:
            self.report(url, referrer, f'<html lang="{lang}">, expected "{expected}"')
        if dir_ != direction(lang or expected):
            self.report(url, referrer, f'<html dir="{dir_}"> for lang "{lang}"')
        # The admin shows Wagtail's own words and content in every language: only the
        # learner-facing Arabic pages are held to Arabic words.
        if prefix_language(path) == "ar":
            found = latin_words(page.words, self.names)
            if found:
                shown = ", ".join(sorted(set(found))[:12])
                self.report(url, referrer, f"Latin words on an Arabic page: {shown}")
