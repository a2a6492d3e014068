"""Personal data of applicants: encryption at rest, fingerprints and redaction (the answers are
read and checked in :mod:`onboarding.values`).

The national ID (CIN), the phone number and the bank RIB are stored encrypted (see
:mod:`maalem.core.encryption`); phone numbers follow the kernel's rules (see
:mod:`maalem.core.phones`). To rotate the keys, put a new secret first in ``SALT_KEY``, keep the
old ones after it, and run ``manage.py reencrypt_applicants``; once it has run the old entries
can go.

None of the functions here puts a submitted value in an exception message or a log line: a
validation error says what is wrong with the value, never what the value was.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from maalem.core.encryption import EncryptionKeyMissing, KeyedEncryptedCharField
from maalem.core.masking import mask

from .conf import app_settings
from .values import read_cin

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


# -- Fingerprints ---------------------------------------------------------------------------


def cin_digest(cin: str) -> str:
    """Keyed HMAC-SHA256 of a normalised CIN, to find duplicates without the clear value."""
    key = app_settings.PII_HMAC_KEY
    if not key:
        raise PIIKeyMissing("Set ONBOARDING_PII_HMAC_KEY to fingerprint national ID numbers.")
    return hmac.new(key.encode(), read_cin(cin).encode(), hashlib.sha256).hexdigest()


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
