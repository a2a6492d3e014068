from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from .conf import CONSOLE_SMS_BACKEND, app_settings


@register()
def phone_keys_configured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if not getattr(settings, "SALT_KEY", None):
        messages.append(
            Error(
                "No key to encrypt learners' phone numbers with.",
                hint="Set SALT_KEY to a list of long random secrets (django-fernet-encrypted-"
                "fields); the first encrypts, all decrypt.",
                id="accounts.E001",
            )
        )
    if not app_settings.PHONE_HMAC_KEY:
        messages.append(
            Warning(
                "LMS_ACCOUNTS_PHONE_HMAC_KEY is not set: learners are found by a phone digest "
                "keyed from SECRET_KEY, so rotating SECRET_KEY would lock every learner out of "
                "their account.",
                hint="Set LMS_ACCOUNTS_PHONE_HMAC_KEY to a long random secret of its own, before "
                "the first learner signs in, and never change it.",
                id="accounts.W001",
            )
        )
    return messages


@register()
def sms_backend_configured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    from .sms import SMSBackendMisconfigured, get_sms_backend

    try:
        get_sms_backend()
    except (SMSBackendMisconfigured, TypeError, KeyError) as error:
        return [Error(f"The SMS backend cannot be loaded: {error}", id="accounts.E002")]
    if app_settings.SMS_BACKEND["BACKEND"] == CONSOLE_SMS_BACKEND and not settings.DEBUG:
        return [
            Warning(
                "Sign-in codes are printed on the server's console instead of sent by SMS.",
                hint="Set LMS_ACCOUNTS_SMS_BACKEND to a backend that talks to an SMS provider.",
                id="accounts.W002",
            )
        ]
    return []


@register()
def shared_cache_for_rate_limits(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or not any(local in backend.lower() for local in ("locmem", "dummy")):
        return []
    return [
        Warning(
            "Sign-in rate limits count in the default cache, which is not shared between "
            "processes: each web process would allow the full number of codes and guesses.",
            hint="Point the default cache at Redis (CACHE_URL=redis://...) in production.",
            id="accounts.W003",
        )
    ]
