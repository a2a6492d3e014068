"""Phone numbers, the one set of rules for every app: reading, display, the keyed digest, masking.

A number is read in ``MAALEM_PHONE_REGION`` when it is typed without its country code, at
sign-in and in the seller application alike, and kept in E.164 form. It is stored encrypted
(:class:`EncryptedPhoneField`); to find a learner by number, the apps compare a keyed HMAC of it
(:func:`phone_digest`), never the clear value. No function here puts a number in an exception
message or a log line: :func:`mask_phone` is how a number appears in logs and on the console.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping

import phonenumbers
from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .conf import app_settings
from .encryption import KeyedEncryptedCharField
from .masking import mask


class EncryptedPhoneField(KeyedEncryptedCharField):
    """An encrypted phone number (see :mod:`maalem.core.encryption`)."""


def hmac_key() -> bytes:
    """The key of the phone digest and of the sign-in code hashes."""
    key = app_settings.PHONE_HMAC_KEY
    if key:
        return key.encode()
    # Development fallback only; check maalem.W001 says why it must not reach production.
    return hashlib.sha256(b"maalem.phone-digest:" + settings.SECRET_KEY.encode()).digest()


def phone_digest(phone: str) -> str:
    """Keyed HMAC-SHA256 of a number in E.164 form: how the app finds a learner by number."""
    return hmac.new(hmac_key(), phone.encode(), hashlib.sha256).hexdigest()


def normalise_phone(value: str) -> str:
    """A mobile number in E.164 form (``+212612345678``).

    A number without a country code is read in ``MAALEM_PHONE_REGION``. Landlines are refused:
    they cannot receive SMS nor carry a mobile wallet.
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
    if phonenumbers.region_code_for_number(number) not in app_settings.PHONE_REGIONS:
        raise ValidationError(
            _("Enter a mobile number from %(countries)s.") % {"countries": accepted_countries()},
            code="other_country",
        )
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(
            _("Enter a mobile number: this one is a landline."), code="not_mobile"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def accepted_countries() -> str:
    """The accepted regions in the current language with their codes: "Morocco (+212)"."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    names: Mapping[str, str]
    try:
        names = Locale.parse(translation.to_locale(language)).territories
    except (ValueError, UnknownLocaleError):
        names = {}
    return ", ".join(
        f"{names.get(region, region)} (+{phonenumbers.country_code_for_region(region)})"
        for region in app_settings.PHONE_REGIONS
    )


def display_phone(phone: str) -> str:
    """A number as people in its country write it (``06 12 34 56 78``), for its owner."""
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


def mask_phone(phone: str | None) -> str:
    """A number with every digit hidden but the last two, for logs, the console and operators."""
    return mask(re.sub(r"\D", "", phone or ""), end=2)
