"""Settings of the onboarding app, read at call time so that ``override_settings`` works.

Each is a Django setting named ``ONBOARDING_<NAME>``. The providers are configured apart, in
``ONBOARDING_PROVIDERS`` (see :mod:`onboarding.providers`). The encryption keys of the PII fields
are the encryption package's own settings, ``SALT_KEY`` (a list: the first encrypts, all decrypt)
together with ``SECRET_KEY`` and ``SECRET_KEY_FALLBACKS``.
"""

from __future__ import annotations

from django.conf import settings


class OnboardingSettings:
    prefix = "ONBOARDING_"

    def _setting(self, name: str, default):  # type: ignore[no-untyped-def]
        return getattr(settings, self.prefix + name, default)

    @property
    def PII_HMAC_KEY(self) -> str:
        """Secret key of the keyed HMAC that fingerprints national ID numbers.

        The fingerprint finds two cases with the same CIN without storing it in clear. Changing
        the key makes every stored fingerprint stale, so it is kept apart from the encryption
        keys, which rotate. There is no default: a system check reports it missing.
        """
        return str(self._setting("PII_HMAC_KEY", ""))

    @property
    def PHONE_REGION(self) -> str:
        """Region (ISO 3166 code) a phone number without a country code is read in."""
        return str(self._setting("PHONE_REGION", "MA"))

    @property
    def MAX_ATTEMPTS(self) -> int:
        """How many times a step calls its provider before the case waits for an operator."""
        return max(1, int(self._setting("MAX_ATTEMPTS", 8)))

    @property
    def RETRY_BACKOFF(self) -> float:
        """Seconds before the first retry of a failed step; each retry doubles it, with jitter."""
        return float(self._setting("RETRY_BACKOFF", 5.0))

    @property
    def RETRY_BACKOFF_MAX(self) -> float:
        """Longest wait, in seconds, between two attempts of a step."""
        return float(self._setting("RETRY_BACKOFF_MAX", 600.0))

    @property
    def LEASE_SECONDS(self) -> float:
        """How long a worker owns a running step. Past it, the sweeper hands the step to another
        worker, so it must be longer than the slowest provider call (its HTTP timeout)."""
        return float(self._setting("LEASE_SECONDS", 120.0))

    @property
    def ACCOUNT_POLL_AFTER(self) -> float:
        """Seconds after which the sweeper asks the provider about an account still pending, in
        case its webhook was lost."""
        return float(self._setting("ACCOUNT_POLL_AFTER", 600.0))

    @property
    def SWEEP_BATCH(self) -> int:
        """Most steps the sweeper re-enqueues in one run."""
        return int(self._setting("SWEEP_BATCH", 500))


app_settings = OnboardingSettings()
