"""One request, as a route's handler sees it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from .provider import Sandbox
from .responses import BadRequest


@dataclass(frozen=True)
class Call:
    """One request, as a route's handler sees it."""

    sandbox: Sandbox
    params: dict[str, str]
    headers: Message
    raw_body: bytes
    query: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        try:
            return json.loads(self.raw_body or b"{}")
        except ValueError as invalid:
            raise BadRequest(400, "invalid_json", "The body is not valid JSON.") from invalid
