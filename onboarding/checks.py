"""System checks: misconfigured onboarding is reported at startup, not at the first applicant."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def personal_data_keys(app_configs: Any, **kwargs: Any) -> list[Error | Warning]:
    from .conf import app_settings

    # A development machine can run without them until the first application is saved.
    level = Warning if settings.DEBUG else Error
    # The encryption keys are the kernel's and checked there (maalem.E001).
    problems: list[Error | Warning] = []
    if not app_settings.PII_HMAC_KEY:
        problems.append(
            level(
                "No key to fingerprint national ID numbers with.",
                hint="Set ONBOARDING_PII_HMAC_KEY to a long random secret, and never change it: "
                "the stored fingerprints depend on it.",
                id="onboarding.W002" if settings.DEBUG else "onboarding.E002",
            )
        )
    return problems


@register()
def providers_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    from .providers import ProviderNotConfigured, get_backend

    errors = []
    for kind in ("payments", "marketplace"):
        try:
            get_backend(kind)
        except (ProviderNotConfigured, ValueError, TypeError) as error:
            errors.append(
                Error(
                    f'ONBOARDING_PROVIDERS["{kind}"] is not usable: {error}',
                    hint='Give it {"BACKEND": "dotted.path.Class", "OPTIONS": {...}}.',
                    id="onboarding.E003",
                )
            )
    return errors


@register()
def lease_outlasts_timeout(app_configs: Any, **kwargs: Any) -> list[Warning]:
    from .conf import app_settings

    options = app_settings.PROVIDERS.get("payments", {}).get("OPTIONS", {})
    timeout = options.get("timeout", 10.0)
    longest = max(timeout) if isinstance(timeout, list | tuple) else timeout
    try:
        longest = float(longest)
    except (TypeError, ValueError):
        return []
    if app_settings.LEASE_SECONDS <= longest:
        return [
            Warning(
                f"ONBOARDING_LEASE_SECONDS ({app_settings.LEASE_SECONDS}) is not longer than the "
                f"payments timeout ({longest}): a slow answer would let a second worker run the "
                "same step.",
                id="onboarding.W003",
            )
        ]
    return []
