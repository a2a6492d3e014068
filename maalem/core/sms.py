"""Text messages, through one swappable backend for every app.

``MAALEM_SMS_BACKEND`` names the backend: a dotted path, or
``{"BACKEND": "dotted.path", "OPTIONS": {...}}``; the options go to its constructor. It is
resolved on every call, so ``override_settings`` works. A backend subclasses
:class:`SMSBackend` and raises :class:`SMSNotSent` when the message could not be handed over.
Sign-in codes and onboarding news both go through :func:`send_sms`.

A message to a learner goes through :func:`text_learner`, which writes it in her language
(:func:`maalem.core.languages.language_of`) and finds her number: the one given, or else the one
she signs in with, which the app that keeps it makes known with :func:`register_phone_finder`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO

from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.module_loading import import_string

from .conf import app_settings
from .languages import language_of
from .phones import mask_phone


class SMSBackendMisconfigured(ImproperlyConfigured):
    pass


class SMSNotSent(Exception):
    """The provider did not accept the message; it may be tried again later."""


class SMSBackend:
    """Base of every SMS backend; a host's gateway subclasses it and implements :meth:`send`."""

    def __init__(self, **options: Any) -> None:
        self.options = options

    def send(self, phone: str, text: str) -> None:
        """Send ``text`` to ``phone`` (E.164). Never log either in clear."""
        raise NotImplementedError


class ConsoleSMSBackend(SMSBackend):
    """Development: the message is printed on the console instead of sent.

    The number is masked down to its last two digits; the text is printed whole, since reading
    a sign-in code is the point.
    """

    def __init__(self, stream: TextIO | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.stream = stream

    def send(self, phone: str, text: str) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"SMS to {mask_phone(phone)}: {text}\n")
        stream.flush()


# Messages kept by InMemorySMSBackend, oldest first: (phone, text) pairs.
outbox: list[tuple[str, str]] = []


class InMemorySMSBackend(SMSBackend):
    """Tests: messages are appended to ``maalem.core.sms.outbox``, like Django's locmem mail."""

    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


def get_sms_backend() -> SMSBackend:
    """The configured backend, built anew from the settings."""
    config = app_settings.SMS_BACKEND
    setting = app_settings.name("SMS_BACKEND")
    try:
        backend_class = import_string(config["BACKEND"])
    except ImportError as error:
        raise SMSBackendMisconfigured(
            f"{setting}: cannot import {config['BACKEND']!r}: {error}"
        ) from error
    if not (isinstance(backend_class, type) and issubclass(backend_class, SMSBackend)):
        raise SMSBackendMisconfigured(
            f"{setting}: {config['BACKEND']!r} is not a subclass of maalem.core.sms.SMSBackend."
        )
    try:
        return backend_class(**config["OPTIONS"])
    except TypeError as error:
        raise SMSBackendMisconfigured(f"{setting}: wrong OPTIONS: {error}") from error


def send_sms(phone: str, text: str) -> None:
    """Send ``text`` to ``phone`` (E.164); raises :class:`SMSNotSent` if the provider refuses."""
    get_sms_backend().send(phone, text)


PhoneFinder = Callable[[Any], str | None]
_phone_finders: list[PhoneFinder] = []


def register_phone_finder(finder: PhoneFinder) -> None:
    """Make known where a learner's number is kept: ``finder(user)`` returns it, or None.

    The app that signs learners in by phone registers one when it is ready; a host that keeps
    numbers elsewhere registers its own."""
    if finder not in _phone_finders:
        _phone_finders.append(finder)


def phone_of(user: Any) -> str | None:
    """The learner's number, from the first finder that knows it."""
    for finder in _phone_finders:
        phone = finder(user)
        if phone:
            return phone
    return None


def text_learner(user: Any, message: Callable[[], str], phone: str | None = None) -> str | None:
    """Send the learner ``message()``, written in her language, to ``phone`` or else to the
    number she signs in with. Returns the number texted, or None when no number is known."""
    phone = phone or phone_of(user)
    if not phone:
        return None
    with translation.override(language_of(user)):
        text = message()
    send_sms(phone, text)
    return phone
