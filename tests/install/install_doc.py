"""The steps of docs/install.md, read from its fenced blocks.

A block that a test applies carries a ``title`` (a path from the folder that holds both the
repository and the site) and a ``mode`` in its info string, e.g.
```` ```python title="mysite/mysite/urls.py" mode="replace" ````. Blocks without them are
examples for the reader and are not applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "install.md"
MODES = {"append", "replace", "create", "run", "shell", "background"}

_FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Step:
    language: str
    title: str
    mode: str
    code: str

    @property
    def folder(self) -> str:
        """The top folder the step works in: ``maalem`` or ``mysite``."""
        return self.title.split("/", 1)[0]


def steps(doc: Path = DOC) -> list[Step]:
    found = []
    for fence in _FENCE.finditer(doc.read_text()):
        info = fence["info"].strip()
        attributes = dict(_ATTRIBUTE.findall(info))
        if "title" not in attributes:
            continue
        mode = attributes.get("mode", "")
        if mode not in MODES:
            raise ValueError(f"{doc.name}: block {attributes['title']!r} has no known mode: {info}")
        found.append(Step(info.split()[0], attributes["title"], mode, fence["code"]))
    return found
