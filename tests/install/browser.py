"""A minimal browser for a site under test: keeps cookies, sends the CSRF token, and lets the
test see every redirect instead of following it."""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


@dataclass
class Page:
    status: int
    location: str
    text: str

    def hidden_inputs(self) -> dict[str, str]:
        fields = {}
        for tag in re.findall(r"<input[^>]*>", self.text):
            if 'type="hidden"' in tag:
                name = re.search(r'name="([^"]*)"', tag)
                value = re.search(r'value="([^"]*)"', tag)
                if name:
                    fields[name[1]] = value[1] if value else ""
        return fields


class Browser:
    def __init__(self, port: int, language: str = "en") -> None:
        self.port = port
        self.language = language
        self.cookies: dict[str, str] = {}

    def get(self, path: str) -> Page:
        return self._request("GET", path)

    def open(self, path: str) -> Page:
        """The page at ``path`` after following its redirects, as a browser shows it."""
        page = self.get(path)
        for _hop in range(5):
            if page.status not in (301, 302, 303, 307, 308):
                break
            page = self.get(page.location)
        return page

    def post(self, path: str, fields: dict[str, str]) -> Page:
        return self._request("POST", path, urlencode(fields))

    def _request(self, method: str, path: str, body: str | None = None) -> Page:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Accept-Language": self.language,
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        location = response.getheader("Location") or ""
        text = response.read().decode()
        connection.close()
        return Page(response.status, _local(location) if location else "", text)


def _local(location: str) -> str:
    """A redirect's target as a path with its query, whether the site gave it absolute or not."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")
