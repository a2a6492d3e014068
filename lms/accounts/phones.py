"""Learners' phone numbers: validation, encryption at rest, the keyed digest, and masking.

A number is stored encrypted with django-fernet-encrypted-fields, whose keys come from
``SECRET_KEY`` (plus ``SECRET_KEY_FALLBACKS``) and each entry of ``SALT_KEY``: the first pair
encrypts, every pair decrypts. To find a learner by number, the app compares a keyed HMAC of the
number (``phone_digest``), never the clear value. No function here puts a number in an exception
message or a log line.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re

import phonenumbers
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from .conf import app_settings


class PhoneKeyMissing(ImproperlyConfigured):
    pass


@functools.lru_cache(maxsize=8)
def _derive_keys(secret_keys: tuple[str, ...], salt_keys: tuple[str, ...]) -> MultiFernet:
    # The package's own derivation (PBKDF2 of the secret key salted with each SALT_KEY entry),
    # so its fields and these read each other's rows. PBKDF2 is slow on purpose: the result is
    # cached per key configuration.
    keys = []
    for secret_key in secret_keys:
        for salt_key in salt_keys:
            kdf = PBKDF2HMAC(
                algorithm=hashes.SHA256(), length=32, salt=salt_key.encode(), iterations=100_000
            )
            keys.append(Fernet(base64.urlsafe_b64encode(kdf.derive(secret_key.encode()))))
    return MultiFernet(keys)


def current_fernet() -> MultiFernet:
    """The keys in force now: the first encrypts, all of them decrypt."""
    salt = getattr(settings, "SALT_KEY", None)
    if not salt:
        raise PhoneKeyMissing("Set SALT_KEY (a list of secrets) to encrypt phone numbers.")
    salt_keys = tuple(salt) if isinstance(salt, list | tuple) else (salt,)
    secret_keys = (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))
    return _derive_keys(tuple(secret_keys), salt_keys)


class EncryptedPhoneField(EncryptedCharField):
    """The package's encrypted ``CharField``, with its keys read when they are used.

    The package caches its keys on the field for the life of the process, so a key rotation
    would need a restart and ``override_settings`` would not reach them.
    """

    @property  # type: ignore[override]
    def f(self) -> MultiFernet:
        return current_fernet()

    @property  # type: ignore[override]
    def keys(self) -> list[bytes]:
        raise AttributeError("EncryptedPhoneField derives its keys in current_fernet()")


def hmac_key() -> bytes:
    key = app_settings.PHONE_HMAC_KEY
    if key:
        return key.encode()
    # Development fallback only; check accounts.W001 says why it must not reach production.
    return hashlib.sha256(b"lms.accounts.phone-digest:" + settings.SECRET_KEY.encode()).digest()


def phone_digest(phone: str) -> str:
    """Keyed HMAC-SHA256 of a number in E.164 form: how the app finds a learner by number."""
    return hmac.new(hmac_key(), phone.encode(), hashlib.sha256).hexdigest()


def normalise_phone(value: str) -> str:
    """A mobile number in E.164 form (``+212612345678``).

    A number without a country code is read in ``LMS_ACCOUNTS_PHONE_REGION``. Landlines are
    refused: they cannot receive the code by SMS.
    """
    text = str(value or "").strip()
    if not text:
        raise ValidationError(_("Enter your mobile phone number."), code="required")
    try:
        number = phonenumbers.parse(text, app_settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("This is not a phone number. Write it like 06 12 34 56 78."), code="invalid"
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This phone number does not exist. Check the digits."), code="invalid"
        )
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(
            _("Enter a mobile number: this one is a landline."), code="not_mobile"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(phone: str) -> str:
    """A number as people in its country write it (``06 12 34 56 78``), for the learner."""
    number = phonenumbers.parse(phone, None)
    if phonenumbers.region_code_for_number(number) == app_settings.PHONE_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def example_phone() -> str:
    """A made-up mobile number of the configured region, written the local way, as a hint."""
    number = phonenumbers.example_number_for_type(
        app_settings.PHONE_REGION, phonenumbers.PhoneNumberType.MOBILE
    )
    if number is None:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def mask_phone(phone: str) -> str:
    """A number with every digit hidden but the last two, for the console and logs."""
    digits = re.sub(r"\D", "", phone or "")
    return "*" * max(len(digits) - 2, 0) + digits[-2:]
