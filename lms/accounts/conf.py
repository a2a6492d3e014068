"""Settings of lms.accounts, read at call time so that ``override_settings`` works.

Each is a Django setting named ``LMS_ACCOUNTS_<NAME>``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

CONSOLE_SMS_BACKEND = "lms.accounts.sms.ConsoleSMSBackend"


class AccountsSettings:
    prefix = "LMS_ACCOUNTS_"

    def _setting(self, name: str, default):  # type: ignore[no-untyped-def]
        return getattr(settings, self.prefix + name, default)

    @property
    def PHONE_REGION(self) -> str:
        """Region (ISO 3166 code) in which a number typed without its country code is read."""
        return str(self._setting("PHONE_REGION", "MA"))

    @property
    def PHONE_HMAC_KEY(self) -> str:
        """Secret key of the keyed HMAC that finds a learner by phone number without the clear
        number, and that hashes sign-in codes. It must never change: every stored digest
        depends on it. Unset, a key derived from ``SECRET_KEY`` stands in (check accounts.W001),
        which ties the learners' phone numbers to a key that is meant to be rotatable."""
        return str(self._setting("PHONE_HMAC_KEY", ""))

    @property
    def SMS_BACKEND(self) -> dict[str, Any]:
        """The backend that sends sign-in codes: a dotted path, or ``{"BACKEND": "dotted.path",
        "OPTIONS": {...}}``. The default prints the code on the console, for development."""
        value = self._setting("SMS_BACKEND", CONSOLE_SMS_BACKEND)
        if isinstance(value, str):
            return {"BACKEND": value, "OPTIONS": {}}
        return {"BACKEND": value["BACKEND"], "OPTIONS": dict(value.get("OPTIONS", {}))}

    @property
    def CODE_TTL(self) -> int:
        """Seconds during which a sign-in code works."""
        return int(self._setting("CODE_TTL", 5 * 60))

    @property
    def CODE_MAX_ATTEMPTS(self) -> int:
        """Wrong guesses a code survives; then the learner must ask for a new one."""
        return int(self._setting("CODE_MAX_ATTEMPTS", 5))

    @property
    def CODES_PER_PHONE(self) -> tuple[int, int]:
        """How many codes one number may receive, per how many seconds."""
        count, seconds = self._setting("CODES_PER_PHONE", (3, 15 * 60))
        return int(count), int(seconds)

    @property
    def CODES_PER_IP(self) -> tuple[int, int]:
        """How many codes one IP address (an IPv6 /64) may ask for, per how many seconds."""
        count, seconds = self._setting("CODES_PER_IP", (10, 60 * 60))
        return int(count), int(seconds)

    @property
    def WRONG_CODES_PER_IP(self) -> tuple[int, int]:
        """How many wrong codes one IP address may type, per how many seconds."""
        count, seconds = self._setting("WRONG_CODES_PER_IP", (10, 60 * 60))
        return int(count), int(seconds)

    @property
    def CLIENT_IP_HEADER(self) -> str:
        """The ``request.META`` key that holds the client's address. Behind a reverse proxy, set
        ``HTTP_X_FORWARDED_FOR``: the last address in it, the one the proxy added, is used."""
        return str(self._setting("CLIENT_IP_HEADER", "REMOTE_ADDR"))


app_settings = AccountsSettings()
