"""What every sandbox operation answers: a status and a JSON body, or a provider-style error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Response:
    status: int
    body: Any
    headers: dict[str, str] | None = None
    content_type: str = "application/json"  # any other type sends ``body``, a str, as it is


class BadRequest(Exception):
    """Stops an operation early; the handler sends :attr:`response` as the answer."""

    def __init__(self, status: int, code: str, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.response = error(status, code, message, param)


def error(status: int, code: str, message: str, param: str | None = None) -> Response:
    """An error shaped like the big providers': ``{"error": {type, code, message, param}}``."""
    kind = {401: "authentication_error", 404: "invalid_request_error"}.get(status, "api_error")
    if status in (400, 409, 422):
        kind = "invalid_request_error"
    if status == 429:
        kind = "rate_limit_error"
    body: dict[str, Any] = {"type": kind, "code": code, "message": message}
    if param:
        body["param"] = param
    return Response(status, {"error": body})
