"""Settings of the onboarding app, read at call time so that ``override_settings`` works.

Each is a Django setting named ``ONBOARDING_<NAME>``. The encryption keys of the PII fields,
the phone region and the SMS backend are the kernel's, shared with the other apps (see
:mod:`maalem.core.conf`).
"""

from __future__ import annotations

from typing import Any

from maalem.core.conf import AppSettings


class OnboardingSettings(AppSettings):
    @property
    def PII_HMAC_KEY(self) -> str:
        """Secret key of the keyed HMAC that fingerprints national ID numbers.

        The fingerprint finds two cases with the same CIN without storing it in clear. Changing
        the key makes every stored fingerprint stale, so it is kept apart from the encryption
        keys, which rotate. There is no default: a system check reports it missing.
        """
        return str(self.setting("PII_HMAC_KEY", ""))

    @property
    def PROVIDERS(self) -> dict[str, dict[str, Any]]:
        """The external services, each a swappable backend by kind ("payments",
        "marketplace"): ``{kind: {"BACKEND": "dotted.path", "OPTIONS": {...}}}`` (see
        :mod:`onboarding.providers`). Text messages go through the kernel's
        ``MAALEM_SMS_BACKEND``."""
        return dict(self.setting("PROVIDERS", {}))

    @property
    def REGIONS(self) -> list[tuple[str, str]]:
        """The regions an applicant picks from, as ``(code, name)`` pairs with the names in
        the source language. Empty (the default), Morocco's 12 regions from
        django-localflavor."""
        return [(str(code), str(name)) for code, name in self.setting("REGIONS", None) or []]

    @property
    def MERCHANT_QR_COUNTRY(self) -> str:
        """ISO 3166-1 alpha-2 country of the sellers' merchant-presented QR codes."""
        return str(self.setting("MERCHANT_QR_COUNTRY", "MA"))

    @property
    def MERCHANT_QR_CURRENCY(self) -> str:
        """ISO 4217 numeric currency of the sellers' QR codes (504: the Moroccan dirham)."""
        return str(self.setting("MERCHANT_QR_CURRENCY", "504"))

    @property
    def MERCHANT_CATEGORY_CODES(self) -> dict[str, str]:
        """ISO 18245 merchant category codes by craft or chain code, over the built-in ones
        (``onboarding/qr_tables.py``); a craft in neither is ``5999``."""
        return {str(k): str(v) for k, v in self.setting("MERCHANT_CATEGORY_CODES", {}).items()}

    @property
    def MAX_ATTEMPTS(self) -> int:
        """How many times a step calls its provider before the case waits for an operator."""
        return max(1, int(self.setting("MAX_ATTEMPTS", 8)))

    @property
    def RETRY_BACKOFF(self) -> float:
        """Seconds before the first retry of a failed step; each retry doubles it, with jitter."""
        return float(self.setting("RETRY_BACKOFF", 5.0))

    @property
    def RETRY_BACKOFF_MAX(self) -> float:
        """Longest wait, in seconds, between two attempts of a step."""
        return float(self.setting("RETRY_BACKOFF_MAX", 600.0))

    @property
    def LEASE_SECONDS(self) -> float:
        """How long a worker owns a running step without renewing it. The worker renews it every
        quarter of it while its provider call runs; past it (the worker died), the sweeper hands
        the step to another worker. Short, so a dead worker's step is soon taken over."""
        return float(self.setting("LEASE_SECONDS", 10.0))

    @property
    def REQUEUE_AFTER(self) -> float:
        """Seconds a due step's message may wait in the queue before the sweeper takes it for
        lost and sends another (a longer wait only sends a harmless second copy)."""
        return float(self.setting("REQUEUE_AFTER", 300.0))

    @property
    def ACCOUNT_POLL_AFTER(self) -> float:
        """Seconds after which the sweeper asks the provider about an account still pending, in
        case its webhook was lost."""
        return float(self.setting("ACCOUNT_POLL_AFTER", 600.0))

    @property
    def WEBHOOK_WAIT_FOR_CASE(self) -> float:
        """Seconds a webhook about an account no case has yet is tried again, less and less
        often (its case may still be recording the account); past them it is dropped with one
        error for the operators."""
        return float(self.setting("WEBHOOK_WAIT_FOR_CASE", 900.0))

    @property
    def DRAFTS_KEPT_DAYS(self) -> int:
        """Days an application still a draft (eligible or being filled in) is kept untouched;
        then the case, its answers and its photo are deleted."""
        return max(1, int(self.setting("DRAFTS_KEPT_DAYS", 180)))

    @property
    def REJECTED_KEPT_DAYS(self) -> int:
        """Days a rejected application keeps its personal fields (national ID, phone, RIB,
        wallet, register number, photo) after its last change; then they are erased and only
        the case's history remains."""
        return max(1, int(self.setting("REJECTED_KEPT_DAYS", 90)))

    @property
    def REPLACED_PHOTOS_KEPT_DAYS(self) -> int:
        """Days a stored applicant photo that no application names any more (replaced, or left
        behind by an interrupted upload) is kept before it is deleted."""
        return max(1, int(self.setting("REPLACED_PHOTOS_KEPT_DAYS", 1)))

    @property
    def WEBHOOK_PAYLOADS_KEPT_DAYS(self) -> int:
        """Days the body of a processed provider webhook is kept, for support; then it is
        emptied (the event's id stays, so a replay is still recognised)."""
        return max(1, int(self.setting("WEBHOOK_PAYLOADS_KEPT_DAYS", 30)))

    @property
    def SWEEP_BATCH(self) -> int:
        """Most steps the sweeper re-enqueues in one run."""
        return int(self.setting("SWEEP_BATCH", 500))

    @property
    def ERASE_AFTER_DAYS(self) -> int:
        """Days a withdrawn applicant's personal data is kept (the legal retention period)
        before ``manage.py erase_withdrawn_applicants`` erases it; 0 erases it at the next run."""
        return max(0, int(self.setting("ERASE_AFTER_DAYS", 30)))


app_settings = OnboardingSettings("ONBOARDING_")
