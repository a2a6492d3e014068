"""Sending sign-in codes by SMS, through a swappable backend.

``LMS_ACCOUNTS_SMS_BACKEND`` names the backend: a dotted path, or
``{"BACKEND": "dotted.path", "OPTIONS": {...}}``; the options go to its constructor. It is
resolved on every call, so ``override_settings`` works. A backend implements
``send(phone, text)`` (the same shape as onboarding's SMS providers, so one provider can serve
both) and raises :class:`SMSNotSent` when the message could not be handed over.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .conf import app_settings
from .phones import mask_phone


class SMSBackendMisconfigured(ImproperlyConfigured):
    pass


class SMSNotSent(Exception):
    """The provider did not accept the message; the learner may try again later."""


class SMSBackend:
    def __init__(self, **options: Any) -> None:
        self.options = options

    def send(self, phone: str, text: str) -> None:
        """Send ``text`` to ``phone`` (E.164). Never log either in clear."""
        raise NotImplementedError


class ConsoleSMSBackend(SMSBackend):
    """Development: the message is printed on the console instead of sent.

    The number is masked down to its last two digits; the text, with its code, is printed
    whole, since reading the code is the point.
    """

    def __init__(self, stream: TextIO | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.stream = stream

    def send(self, phone: str, text: str) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"SMS to {mask_phone(phone)}: {text}\n")
        stream.flush()


# Messages kept by InMemorySMSBackend, newest last: (phone, text) pairs.
outbox: list[tuple[str, str]] = []


class InMemorySMSBackend(SMSBackend):
    """Tests: messages are appended to ``lms.accounts.sms.outbox``, like Django's locmem mail."""

    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


def get_sms_backend() -> Any:
    config = app_settings.SMS_BACKEND
    try:
        backend_class = import_string(config["BACKEND"])
    except ImportError as error:
        raise SMSBackendMisconfigured(
            f"LMS_ACCOUNTS_SMS_BACKEND: cannot import {config['BACKEND']!r}: {error}"
        ) from error
    # Duck-typed rather than a subclass check, so one provider class can serve other apps too.
    if not callable(getattr(backend_class, "send", None)):
        raise SMSBackendMisconfigured(
            f"LMS_ACCOUNTS_SMS_BACKEND: {config['BACKEND']!r} has no send(phone, text) method."
        )
    return backend_class(**config["OPTIONS"])


def send_sms(phone: str, text: str) -> None:
    get_sms_backend().send(phone, text)
