"""Settings of the marketplace's orders, read at call time so that ``override_settings`` works.

Each is a Django setting named ``MARKETPLACE_ORDER_<NAME>``. The outbox's attempts, backoff and
lease are onboarding's (``ONBOARDING_MAX_ATTEMPTS``...), shared by every outbox of the project.
"""

from __future__ import annotations

from django.conf import settings

from maalem.core.conf import AppSettings


class OrderSettings(AppSettings):
    @property
    def HOLD_MINUTES(self) -> int:
        """Minutes an unpaid order holds its pieces in stock. Past them the sweeper asks the
        provider about its payment: paid, it goes on; otherwise it is cancelled and the pieces
        go back on sale."""
        return max(1, int(self.setting("HOLD_MINUTES", 30)))

    @property
    def MAX_QUANTITY(self) -> int:
        """Most pieces of one product a buyer may order at once."""
        return max(1, int(self.setting("MAX_QUANTITY", 20)))

    @property
    def BASE_URL(self) -> str:
        """Scheme and host of the links a buyer gets by text message and the payment page sends
        her back to. Defaults to ``WAGTAILADMIN_BASE_URL`` (``BASE_URL`` in the environment)."""
        default = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "http://localhost"
        return str(self.setting("BASE_URL", default)).rstrip("/")

    @property
    def BUYER_DATA_KEPT_DAYS(self) -> int:
        """Days the buyer's name and number are kept once her order is over (delivered,
        refunded, or cancelled unpaid); then the daily purge erases them. The order, its
        amounts and its timeline stay."""
        return max(1, int(self.setting("BUYER_DATA_KEPT_DAYS", 90)))

    @property
    def PER_PAGE(self) -> int:
        """Orders per page of the seller's list."""
        return max(1, int(self.setting("PER_PAGE", 20)))


order_settings = OrderSettings("MARKETPLACE_ORDER_")
