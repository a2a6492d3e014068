"""Settings objects: one per app, each setting a documented property read at call time.

Every app instantiates :class:`AppSettings` (or a subclass listing its settings) with its own
prefix, so a setting reads ``<PREFIX><NAME>`` from the Django settings when it is used and
``override_settings`` reaches it. The kernel's own settings are named ``MAALEM_<NAME>``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

CONSOLE_SMS_BACKEND = "maalem.core.sms.ConsoleSMSBackend"


class AppSettings:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def name(self, setting: str) -> str:
        """The Django setting's full name, for messages that tell a host what to set."""
        return self.prefix + setting

    def setting(self, name: str, default: Any) -> Any:
        """The value of ``<prefix><name>`` now, or ``default`` when the host did not set it."""
        return getattr(settings, self.prefix + name, default)


class CoreSettings(AppSettings):
    @property
    def PHONE_REGION(self) -> str:
        """Region (ISO 3166 code) in which a number typed without its country code is read, at
        sign-in and in the seller application alike."""
        return str(self.setting("PHONE_REGION", "MA"))

    @property
    def PHONE_REGIONS(self) -> list[str]:
        """Regions (ISO 3166 codes) whose mobile numbers are accepted; by default only
        ``PHONE_REGION``. Codes are sent by SMS: accepting every country would invite SMS
        pumping to premium numbers abroad."""
        regions = self.setting("PHONE_REGIONS", None)
        return [str(r).upper() for r in regions] if regions else [self.PHONE_REGION]

    @property
    def PHONE_HMAC_KEY(self) -> str:
        """Secret key of the keyed HMAC that finds a learner by phone number without the clear
        number, and that hashes sign-in codes. It must never change: every stored digest
        depends on it. Unset, a key derived from ``SECRET_KEY`` stands in (check maalem.W001),
        which ties the learners' phone numbers to a key that is meant to be rotatable."""
        return str(self.setting("PHONE_HMAC_KEY", ""))

    @property
    def SMS_BACKEND(self) -> dict[str, Any]:
        """The backend that sends every text message (sign-in codes, onboarding news): a
        dotted path, or ``{"BACKEND": "dotted.path", "OPTIONS": {...}}``. The default prints
        the message on the console, for development."""
        value = self.setting("SMS_BACKEND", CONSOLE_SMS_BACKEND)
        if isinstance(value, str):
            return {"BACKEND": value, "OPTIONS": {}}
        return {"BACKEND": value["BACKEND"], "OPTIONS": dict(value.get("OPTIONS", {}))}

    @property
    def SITE_NAME(self) -> str | dict[str, str] | None:
        """The site's name on pages, texts and certificates: one name, or ``{language: name}``.
        Unset, each language writes "Maalem" its own way (Arabic: "مْعلّم"); see
        :mod:`maalem.core.brand`."""
        value = self.setting("SITE_NAME", None)
        return dict(value) if isinstance(value, dict) else (str(value) if value else None)

    @property
    def CLIENT_IP_HEADER(self) -> str:
        """The ``request.META`` key that holds the client's address, for every rate limit.
        Behind a reverse proxy, set ``HTTP_X_FORWARDED_FOR``: the last address in it, the one
        the proxy added, is used."""
        return str(self.setting("CLIENT_IP_HEADER", "REMOTE_ADDR"))

    @property
    def SALT_KEYS(self) -> tuple[str, ...]:
        """The encryption package's ``SALT_KEY`` (django-fernet-encrypted-fields), as a tuple:
        the first salt encrypts, all decrypt, so a new one goes first when rotating. Empty
        when unset (check maalem.E001)."""
        salt = getattr(settings, "SALT_KEY", None)
        if not salt:
            return ()
        return tuple(salt) if isinstance(salt, list | tuple) else (str(salt),)

    @property
    def PRIVATE_STORAGE(self) -> str:
        """The ``STORAGES`` alias of private files (identity photos, certificates): a folder
        outside ``MEDIA_ROOT`` or a bucket that is not public. Default ``"private"``."""
        return str(self.setting("PRIVATE_STORAGE", "private"))

    @property
    def PRIVATE_FILES_SERVE(self) -> str:
        """How a private file reaches the user once a view has allowed it: ``"django"`` (the
        default, Django streams it), ``"x-accel-redirect"`` (nginx) or ``"x-sendfile"``
        (Apache, lighttpd). A storage with no local path always answers with a presigned URL."""
        return str(self.setting("PRIVATE_FILES_SERVE", "django"))

    @property
    def PRIVATE_FILES_INTERNAL_PREFIX(self) -> str:
        """With ``"x-accel-redirect"``: the nginx ``internal`` location whose alias is the
        private storage's folder. Default ``"/protected/"``."""
        prefix = str(self.setting("PRIVATE_FILES_INTERNAL_PREFIX", "/protected/"))
        return prefix if prefix.endswith("/") else prefix + "/"

    @property
    def PRIVATE_FILES_URL_EXPIRE(self) -> int:
        """Seconds a presigned URL to a private file lives (S3-compatible storage). Default 60."""
        return int(self.setting("PRIVATE_FILES_URL_EXPIRE", 60))

    @property
    def EXPORT_RETENTION_DAYS(self) -> int:
        """Days a finished export's file is kept for download; then a beat task deletes it and
        the export stays listed as deleted. Default 7."""
        return int(self.setting("EXPORT_RETENTION_DAYS", 7))

    @property
    def EXPORT_PROGRESS_EVERY(self) -> int:
        """Rows an export writes between two updates of its progress. Default 1000."""
        return max(1, int(self.setting("EXPORT_PROGRESS_EVERY", 1000)))


app_settings = CoreSettings("MAALEM_")
