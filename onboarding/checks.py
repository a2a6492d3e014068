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


# A running step's lease is renewed every quarter of it (onboarding.lease): shorter than this,
# a pause of the database of a second or two would let a second worker run the same step.
SHORTEST_LEASE = 4.0


@register()
def lease_survives_a_pause(app_configs: Any, **kwargs: Any) -> list[Warning]:
    from .conf import app_settings

    if app_settings.LEASE_SECONDS < SHORTEST_LEASE:
        return [
            Warning(
                f"ONBOARDING_LEASE_SECONDS ({app_settings.LEASE_SECONDS}) is shorter than "
                f"{SHORTEST_LEASE:g} s: it is renewed every quarter of it while a provider call "
                "runs, so a short pause of the database would let a second worker run the same "
                "step.",
                hint="Keep it between 5 and 30 seconds; the provider's timeout does not bound it.",
                id="onboarding.W003",
            )
        ]
    return []


# The sandbox `make run` starts, and the key it accepts: printed in this project's own code.
SANDBOX_PAYMENTS_URL = "http://127.0.0.1:8765"
SANDBOX_PAYMENTS_KEY = "sandbox-key"


@register()
def payments_are_not_the_sandbox(app_configs: Any, **kwargs: Any) -> list[Error]:
    from .conf import app_settings

    if settings.DEBUG:
        return []
    options = app_settings.PROVIDERS.get("payments", {}).get("OPTIONS", {})
    url = str(options.get("base_url", "")).rstrip("/")
    if url != SANDBOX_PAYMENTS_URL and options.get("api_key") != SANDBOX_PAYMENTS_KEY:
        return []
    return [
        Error(
            "The payments provider is the development sandbox (its address or its public "
            "key): no seller's account would really be opened.",
            hint="Set PAYMENTS_API_URL and PAYMENTS_API_KEY to your payment provider's.",
            id="onboarding.E006",
        )
    ]


# Secrets printed in this project's own code and documentation: anyone can sign with them.
PUBLIC_WEBHOOK_SECRETS = frozenset({"whsec_sandbox", "whsec_in_memory"})


@register()
def webhook_secrets_are_private(app_configs: Any, **kwargs: Any) -> list[Error]:
    from .conf import app_settings

    if settings.DEBUG:
        return []
    options = app_settings.PROVIDERS.get("payments", {}).get("OPTIONS", {})
    if "webhook_secrets" not in options:
        return []  # a backend that verifies its webhooks another way
    secrets = [str(secret) for secret in options.get("webhook_secrets") or []]
    if not secrets:
        return [
            Error(
                "No secret to verify the payment provider's webhooks with: every webhook "
                "would be refused.",
                hint="Set PAYMENTS_WEBHOOK_SECRETS to the signing secret your provider gives you.",
                id="onboarding.E004",
            )
        ]
    if PUBLIC_WEBHOOK_SECRETS.intersection(secrets):
        return [
            Error(
                "The payment webhooks are verified with the sandbox's public secret: anyone "
                "could send a forged account.updated and open a seller's shop.",
                hint="Set PAYMENTS_WEBHOOK_SECRETS to the signing secret your provider gives "
                "you, and remove the sandbox's.",
                id="onboarding.E005",
            )
        ]
    return []
