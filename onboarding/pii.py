"""Personal data of applicants: validation, encryption at rest, fingerprints and redaction.

The national ID (CIN), the phone number and the bank RIB are stored encrypted (see
:mod:`maalem.core.encryption`); phone numbers follow the kernel's rules (see
:mod:`maalem.core.phones`). To rotate the keys, put a new secret first in ``SALT_KEY``, keep the
old ones after it, and call :func:`reencrypt_profiles`; once it has run the old entries can go.

None of the functions here puts a submitted value in an exception message or a log line: a
validation error says what is wrong with the value, never what the value was.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maalem.core.encryption import EncryptionKeyMissing, KeyedEncryptedCharField
from maalem.core.masking import mask

from .conf import app_settings

CIN_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")
RIB_LENGTH = 24

# Keys of a provider's answer that may echo an applicant's personal data. Their values are
# replaced before the answer is stored or logged.
PERSONAL_KEYS = frozenset(
    {
        "national_id",
        "cin",
        "phone",
        "phone_number",
        "mobile",
        "msisdn",
        "rib",
        "iban",
        "account_number",
        "name",
        "full_name",
        "first_name",
        "last_name",
        "email",
        "address",
        "date_of_birth",
        "birth_date",
    }
)
REDACTED = "[redacted]"


class PIIKeyMissing(EncryptionKeyMissing):
    pass


# -- Encryption at rest ---------------------------------------------------------------------


class EncryptedPIIField(KeyedEncryptedCharField):
    """An encrypted piece of an applicant's personal data (see :mod:`maalem.core.encryption`)."""


def reencrypt_profiles(batch_size: int = 500) -> int:
    """Re-save every applicant's encrypted fields with the first key; return how many.

    Run it after putting a new key first in ``SALT_KEY``. Reading decrypts with whichever key
    matches, saving encrypts with the new one.
    """
    from .models import ApplicantProfile

    names = [
        f.name for f in ApplicantProfile._meta.get_fields() if isinstance(f, EncryptedPIIField)
    ]
    count = 0
    for profile in ApplicantProfile.objects.order_by("pk").iterator(chunk_size=batch_size):
        profile.save(update_fields=names)
        count += 1
    return count


# -- Fingerprints ---------------------------------------------------------------------------


def cin_digest(cin: str) -> str:
    """Keyed HMAC-SHA256 of a normalised CIN, to find duplicates without the clear value."""
    key = app_settings.PII_HMAC_KEY
    if not key:
        raise PIIKeyMissing("Set ONBOARDING_PII_HMAC_KEY to fingerprint national ID numbers.")
    return hmac.new(key.encode(), normalise_cin(cin).encode(), hashlib.sha256).hexdigest()


# -- Validation -----------------------------------------------------------------------------


def normalise_cin(value: str) -> str:
    """The CIN in upper case without spaces; 1 or 2 letters, then up to 6 digits.

    There is no published official format, so this accepts what cards carry and never infers
    anything (such as a region) from the letters.
    """
    cin = re.sub(r"[\s\-]", "", str(value or "")).upper()
    if not cin:
        raise ValidationError(_("Enter your national ID card number."), code="required")
    if not CIN_PATTERN.match(cin):
        raise ValidationError(
            _("A national ID number is 1 or 2 letters followed by up to 6 digits, like BE471203."),
            code="invalid_cin",
        )
    return cin


def rib_key(first_22_digits: str) -> str:
    """The 2-digit key of a RIB's bank code (3), city code (3) and account number (16).

    The key makes the whole 24-digit number a multiple of 97: it is 97 minus the remainder of
    the 22 digits followed by "00" divided by 97, so it runs from 01 to 97.
    """
    return f"{97 - (int(first_22_digits) * 100) % 97:02d}"


def validate_rib(value: str) -> str:
    """The RIB as 24 digits (spaces removed), after checking its length and its key."""
    rib = re.sub(r"[\s\-]", "", str(value or ""))
    if not rib:
        raise ValidationError(_("Enter the 24 digits of your bank RIB."), code="required")
    if not rib.isdigit() or len(rib) != RIB_LENGTH:
        raise ValidationError(
            _("A RIB has exactly 24 digits, without letters."), code="invalid_rib_length"
        )
    if rib_key(rib[:22]) != rib[22:]:
        raise ValidationError(
            _("This RIB is not valid: its last two digits do not match. Check every digit."),
            code="invalid_rib_key",
        )
    return rib


# -- Redaction ------------------------------------------------------------------------------


def mask_cin(cin: str) -> str:
    """A national ID number shown back to its owner: ``AB123456`` → ``AB****56``.

    Enough to recognise one's own card, not enough to reuse it.
    """
    text = str(cin or "")
    return mask(text, start=2, end=2) if len(text) > 4 else mask(text, start=1)


def mask_rib(rib: str) -> str:
    """A RIB shown back to its owner: every digit hidden but the last four."""
    return mask(re.sub(r"\D", "", rib or ""), end=4)


def redact(data: Any) -> Any:
    """A copy of ``data`` (a provider's JSON answer) with personal values replaced."""
    if isinstance(data, dict):
        return {
            key: REDACTED if str(key).lower() in PERSONAL_KEYS else redact(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [redact(item) for item in data]
    return data
