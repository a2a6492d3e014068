"""The interfaces of the external services onboarding talks to.

Each kind of provider is a swappable backend, configured in settings as
``{"BACKEND": "dotted.path.Class", "OPTIONS": {...}}`` and resolved on every call (see
:func:`onboarding.providers.get_backend`), so ``override_settings`` works. A backend raises
:class:`ProviderError` for a failure worth retrying and :class:`ProviderRejected` for an answer
that no retry will change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class ProviderError(Exception):
    """A failure worth retrying: timeout, connection error, 5xx, rate limit."""


class ProviderRejected(Exception):
    """The provider refused the request for good (4xx other than 408/409/429)."""


class WebhookRejected(Exception):
    """A webhook that must not be processed: bad signature, stale timestamp, malformed body."""


class AccountStatus:
    PENDING = "pending"
    ACTIVE = "active"
    RESTRICTED = "restricted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class PaymentAccount:
    """The provider's view of a merchant account, as returned by ``open_account``/``get_account``."""

    ref: str
    status: str
    requirements: list[str]
    updated: datetime
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    account_ref: str
    created: int
    raw: dict[str, Any] = field(default_factory=dict)


class Backend:
    def __init__(self, **options: Any) -> None:
        self.options = options


class PaymentsBackend(Backend):
    def open_account(self, applicant: dict[str, Any], idempotency_key: str) -> PaymentAccount:
        """Open (or, for a key already used, return) the merchant account of ``applicant``.

        ``applicant`` holds what the provider needs (name, phone, national ID, payout method,
        shop name...). The same ``idempotency_key`` is sent on every retry, so a retry never opens
        a second account.
        """
        raise NotImplementedError

    def get_account(self, ref: str) -> PaymentAccount:
        raise NotImplementedError

    def parse_webhook(self, body: bytes, headers: dict[str, str]) -> WebhookEvent:
        """Verify and parse a webhook; raise :class:`WebhookRejected` when it cannot be trusted."""
        raise NotImplementedError


class MarketplaceBackend(Backend):
    def create_or_update_seller(self, case: Any) -> str:
        """Create or update the seller profile of an onboarding case; return its reference."""
        raise NotImplementedError
