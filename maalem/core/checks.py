"""System checks of the kernel's settings, reported at startup, and of the page tree's data,
reported by ``migrate`` and ``check --database default``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from .conf import CONSOLE_SMS_BACKEND, app_settings


@register()
def personal_data_keys(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if not app_settings.SALT_KEYS:
        messages.append(
            Error(
                "No key to encrypt personal data (phone numbers, national IDs) with.",
                hint="Set SALT_KEY to a list of long random secrets (django-fernet-encrypted-"
                "fields); the first encrypts, all decrypt, so a new one goes first when "
                "rotating.",
                id="maalem.E001",
            )
        )
    if not app_settings.PHONE_HMAC_KEY:
        name = app_settings.name("PHONE_HMAC_KEY")
        # A development machine may start without it; production must not.
        level = Warning if settings.DEBUG else Error
        messages.append(
            level(
                f"{name} is not set: learners are found by a phone digest keyed from SECRET_KEY, "
                "so rotating SECRET_KEY would lock every learner out of their account.",
                hint=f"Set {name} to a long random secret of its own, before the first learner "
                "signs in, and never change it.",
                id="maalem.W001" if settings.DEBUG else "maalem.E003",
            )
        )
    return messages


@register()
def sms_backend_configured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    from .sms import SMSBackendMisconfigured, get_sms_backend

    name = app_settings.name("SMS_BACKEND")
    try:
        get_sms_backend()
    except (SMSBackendMisconfigured, KeyError, TypeError) as error:
        return [
            Error(
                f"The SMS backend cannot be loaded: {error}",
                hint=f'Set {name} to {{"BACKEND": "dotted.path", "OPTIONS": {{...}}}} naming '
                "a subclass of maalem.core.sms.SMSBackend.",
                id="maalem.E002",
            )
        ]
    # Printing the codes is what a development machine wants; production would sign no one in.
    if app_settings.SMS_BACKEND["BACKEND"] == CONSOLE_SMS_BACKEND and not settings.DEBUG:
        return [
            Error(
                "Text messages (sign-in codes, onboarding news) are printed on the server's "
                "console instead of sent.",
                hint=f"Set {name} to a backend that talks to an SMS provider.",
                id="maalem.E004",
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
            "Rate limits count in the default cache, which is not shared between processes: "
            "each web process would allow the full number of sign-in codes and guesses.",
            hint="Point the default cache at Redis (CACHE_URL=redis://...) in production.",
            id="maalem.W003",
        )
    ]


@register(Tags.database)
def page_tree_counts(
    app_configs: Any, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    # Reads every page: run by migrate and `check --database`, never at startup.
    from .pages import pages_with_wrong_children_count

    messages: list[CheckMessage] = []
    for alias in databases or ():
        wrong = pages_with_wrong_children_count(alias)
        if wrong:
            shown = ", ".join(str(pk) for pk in wrong[:10])
            more = f" and {len(wrong) - 10} more" if len(wrong) > 10 else ""
            messages.append(
                Warning(
                    f"The page tree in database {alias!r} has pages whose children count "
                    f"disagrees with their children (pages {shown}{more}): Wagtail answers 404 "
                    "for the children of a page it counts as childless.",
                    hint="Run `manage.py fixtree` to count them again.",
                    id="maalem.W010",
                )
            )
    return messages


@register()
def private_files(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The private storage exists and is not a folder the web server publishes."""
    from pathlib import Path

    from django.core.files.storage import FileSystemStorage, storages
    from django.core.files.storage.handler import InvalidStorageError

    from .private_files import SERVE_MODES

    messages: list[CheckMessage] = []
    alias = app_settings.PRIVATE_STORAGE
    if app_settings.PRIVATE_FILES_SERVE not in SERVE_MODES:
        messages.append(
            Error(
                f"{app_settings.name('PRIVATE_FILES_SERVE')} must be one of "
                f"{', '.join(SERVE_MODES)}.",
                id="maalem.E020",
            )
        )
    try:
        storage = storages[alias]
    except InvalidStorageError:
        return [
            *messages,
            Error(
                f'No storage "{alias}" for private files (identity photos, certificates).',
                hint=f'Add "{alias}" to STORAGES: a FileSystemStorage outside MEDIA_ROOT (e.g. '
                "maalem.core.private_files.PrivateFileSystemStorage) or a private bucket.",
                id="maalem.E021",
            ),
        ]
    # An S3-compatible storage (django-storages) hands out presigned URLs only with querystring
    # auth on, and without a custom domain unless that domain signs them (CloudFront).
    signs = getattr(storage, "querystring_auth", True) and (
        not getattr(storage, "custom_domain", None) or getattr(storage, "cloudfront_signer", None)
    )
    if not signs:
        messages.append(
            Error(
                f'The private storage "{alias}" makes plain URLs, which anyone who sees one '
                "can open.",
                hint="Turn querystring_auth on, leave custom_domain unset, and keep the bucket "
                "private.",
                id="maalem.E023",
            )
        )
    if isinstance(storage, FileSystemStorage) and settings.MEDIA_ROOT:
        location = Path(storage.location).resolve()
        media = Path(settings.MEDIA_ROOT).resolve()
        if location == media or media in location.parents or location in media.parents:
            messages.append(
                Error(
                    f'The private storage "{alias}" shares its folder with MEDIA_ROOT, which '
                    "the web server publishes.",
                    hint="Give it a folder of its own, outside MEDIA_ROOT.",
                    id="maalem.E022",
                )
            )
    return messages
