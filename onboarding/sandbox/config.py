"""The sandbox's settings, and the checked changes the control endpoints make to them."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, TypeVar

from .responses import Response, error

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Settings = TypeVar("Settings", bound="DataclassInstance")

# Kept out of the answer to POST /_sandbox/config.
SECRET_SETTINGS = ("api_key", "webhook_secret")


@dataclass
class Config:
    api_key: str = "sandbox-key"
    webhook_url: str | None = None
    webhook_secret: str = "whsec_sandbox"
    activation_delay: float = 1.0  # seconds before a pending account settles
    webhook_max_attempts: int = 5
    webhook_backoff: float = 0.5  # seconds before the first retry; doubles each time
    webhook_timeout: float = 5.0
    session_lifetime: float = 1800.0  # seconds a payment session stays open
    refund_delay: float = 0.5  # seconds before a pending refund settles
    dispute_delay: float = 2.0  # seconds before the disputed test card's payment is disputed
    payout_interval: float = 86400.0  # seconds between automatic payouts; 0: none


def apply_changes(current: Settings, changes: object) -> Settings | Response:
    """``current`` with ``changes`` applied, or a 400 naming the first setting that is wrong.

    Each value must have the type of the setting's default; numbers must not be negative.
    """
    if not isinstance(changes, dict):
        return error(400, "invalid_body", "Send a JSON object.")
    types = {item.name: type(getattr(current, item.name)) for item in fields(current)}
    for name, value in changes.items():
        if name not in types:
            return error(400, "unknown_setting", f"Unknown setting {name}; known: {sorted(types)}.")
        expected = types[name]
        if name == "webhook_url":
            if value is not None and not isinstance(value, str):
                return error(400, "parameter_invalid", f"{name} must be a URL or null.", name)
            continue
        if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            return error(400, "parameter_invalid", f"{name} must be a whole number.", name)
        if expected is bool and not isinstance(value, bool):
            return error(400, "parameter_invalid", f"{name} must be true or false.", name)
        if expected in (int, float) and (
            isinstance(value, bool) or not isinstance(value, int | float) or value < 0
        ):
            return error(400, "parameter_invalid", f"{name} must be a number >= 0.", name)
        if expected is str and not isinstance(value, str):
            return error(400, "parameter_invalid", f"{name} must be a string.", name)
    return replace(current, **changes)
