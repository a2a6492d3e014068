"""Settings of lms.accounts, read at call time so that ``override_settings`` works.

Each is a Django setting named ``LMS_ACCOUNTS_<NAME>``. The phone region, the phone HMAC key,
the SMS backend and the client address header are the kernel's, shared with the other apps
(see :mod:`maalem.core.conf`).
"""

from __future__ import annotations

from maalem.core.conf import AppSettings


class AccountsSettings(AppSettings):
    @property
    def CODE_TTL(self) -> int:
        """Seconds during which a sign-in code works."""
        return int(self.setting("CODE_TTL", 5 * 60))

    @property
    def SIGN_IN_CODES_KEPT_DAYS(self) -> int:
        """Days a sign-in record (a code's row: phone, digest, attempts, when it was used) is
        kept after the code expired, for support questions; then it is deleted (see
        ``manage.py purge_expired_data``)."""
        return max(0, int(self.setting("SIGN_IN_CODES_KEPT_DAYS", 1)))

    @property
    def CODE_MAX_ATTEMPTS(self) -> int:
        """Wrong guesses a code survives; then the learner must ask for a new one."""
        return int(self.setting("CODE_MAX_ATTEMPTS", 5))

    @property
    def CODES_PER_PHONE(self) -> tuple[int, int]:
        """How many codes one number may receive, per how many seconds."""
        count, seconds = self.setting("CODES_PER_PHONE", (3, 15 * 60))
        return int(count), int(seconds)

    @property
    def CODES_PER_IP(self) -> tuple[int, int]:
        """How many codes one IP address (an IPv6 /64) may ask for, per how many seconds."""
        count, seconds = self.setting("CODES_PER_IP", (10, 60 * 60))
        return int(count), int(seconds)

    @property
    def WRONG_CODES_PER_PHONE(self) -> tuple[int, int]:
        """How many wrong codes may be typed for one number, per how many seconds."""
        count, seconds = self.setting("WRONG_CODES_PER_PHONE", (10, 60 * 60))
        return int(count), int(seconds)

    @property
    def WRONG_CODES_PER_IP(self) -> tuple[int, int]:
        """How many wrong codes one IP address may type, per how many seconds. High, because a
        mobile carrier puts thousands of subscribers behind a few addresses: the limit per
        number is the one that stops guessing."""
        count, seconds = self.setting("WRONG_CODES_PER_IP", (200, 60 * 60))
        return int(count), int(seconds)

    @property
    def PASSWORD_SIGN_IN_URL(self) -> str:
        """Where staff and demo accounts sign in with a password, as a URL name or a path; the
        phone sign-in page links to it. Empty (the default), the page shows no such link."""
        return str(self.setting("PASSWORD_SIGN_IN_URL", ""))

    @property
    def REDIRECT_URL(self) -> str:
        """Where a learner lands after signing in when the page asked for nothing else: a URL
        name or a path. Django's ``LOGIN_REDIRECT_URL`` is the host's, and its stock value
        (``/accounts/profile/``) is a page no Wagtail site has, so the apps do not use it."""
        return str(self.setting("REDIRECT_URL", "/"))


app_settings = AccountsSettings("LMS_ACCOUNTS_")
