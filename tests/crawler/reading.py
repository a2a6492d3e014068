"""What a crawler reads on a page: where it leads, its forms, its language, and the words a
person sees there (with the language each word is marked in)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements whose content is never shown.
UNSHOWN = {"script", "style", "template", "head"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
ASSET_ATTRIBUTES = {"img": "src", "script": "src", "source": "src", "audio": "src", "video": "src"}
# The admin draws its menu from this JSON; the links in it are links a person clicks.
SIDEBAR_PROPS = "wagtail-sidebar-props"
ADMIN_URL = re.compile(r'"(/admin/[^"\s]*)"')


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Element:
    tag: str
    shown: bool
    language: str


class PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html: dict[str, str] = {}
        self.links: list[str] = []
        self.assets: list[str] = []
        self.forms: list[Form] = []
        self.words: list[tuple[str, str]] = []  # (language, text) of what is shown
        self.title = ""
        self._stack: list[Element] = []
        self._select: tuple[str, list[str]] | None = None
        self._textarea: str | None = None
        self._sidebar = False

    @property
    def _language(self) -> str:
        return self._stack[-1].language if self._stack else self.html.get("lang", "")

    @property
    def _shown(self) -> bool:
        return all(element.shown for element in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.html = attributes
            return
        shown = tag not in UNSHOWN and "hidden" not in attributes
        shown = shown and attributes.get("type") != "hidden"
        if tag not in VOID:
            language = attributes.get("lang") or self._language
            self._stack.append(Element(tag, shown, language))
        self._sidebar = tag == "script" and attributes.get("id") == SIDEBAR_PROPS
        if shown and self._shown:
            for name in SHOWN_ATTRIBUTES:
                if attributes.get(name):
                    self.words.append((attributes.get("lang") or self._language, attributes[name]))
            if tag == "input" and attributes.get("type") in {"submit", "button"}:
                self.words.append((self._language, attributes.get("value", "")))
        self._read_target(tag, attributes)
        self._read_field(tag, attributes)

    def _read_target(self, tag: str, attributes: dict[str, str]) -> None:
        # The admin's bulk actions act on the rows a person ticks; their script adds the ids.
        if tag == "a" and attributes.get("href") and "data-bulk-action-button" not in attributes:
            self.links.append(attributes["href"])
        elif tag == "link" and attributes.get("href"):
            self.assets.append(attributes["href"])
        elif tag in ASSET_ATTRIBUTES and attributes.get(ASSET_ATTRIBUTES[tag]):
            self.assets.append(attributes[ASSET_ATTRIBUTES[tag]])
        elif tag == "form":
            method = attributes.get("method", "get").lower()
            self.forms.append(Form(method, attributes.get("action", "")))

    def _read_field(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            self._select[1].append(value if "selected" not in attributes else f"\0{value}")
            return
        if not self.forms or not attributes.get("name") or "disabled" in attributes:
            return
        fields = self.forms[-1].fields
        name = attributes["name"]
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            if kind not in {"submit", "button", "image", "file", "reset"}:
                fields.append((name, attributes.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = (name, [])
        elif tag == "textarea":
            self._textarea = name
            fields.append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self.forms:
            name, options = self._select
            chosen = [value[1:] for value in options if value.startswith("\0")] or options[:1]
            self.forms[-1].fields.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index].tag == tag:
                del self._stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if self._sidebar:
            self.links.extend(ADMIN_URL.findall(data))
        if self._stack and self._stack[-1].tag == "title":
            self.title += data
            self.words.append((self._language, data))
        elif self._textarea is not None and self.forms:
            name, _ = self.forms[-1].fields[-1]
            self.forms[-1].fields[-1] = (name, data)
        elif self._shown and data.strip():
            self.words.append((self._language, data))


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader
