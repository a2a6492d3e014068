"""Encryption at rest for personal data (phone numbers, national IDs), shared by every app.

Values are encrypted with django-fernet-encrypted-fields, whose keys come from ``SECRET_KEY``
(plus ``SECRET_KEY_FALLBACKS``) and each entry of ``SALT_KEY``: the first pair encrypts, every
pair decrypts, so a new salt goes first when rotating.
"""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from encrypted_fields.fields import EncryptedCharField

from .conf import app_settings


class EncryptionKeyMissing(ImproperlyConfigured):
    pass


@functools.lru_cache(maxsize=8)
def _derive_keys(secret_keys: tuple[str, ...], salt_keys: tuple[str, ...]) -> MultiFernet:
    # The package's own derivation (PBKDF2 of the secret key salted with each SALT_KEY entry),
    # so its fields and these read each other's rows. PBKDF2 is slow on purpose: the result is
    # cached per key configuration, not per field.
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
    salt_keys = app_settings.SALT_KEYS
    if not salt_keys:
        raise EncryptionKeyMissing("Set SALT_KEY (a list of secrets) to encrypt personal data.")
    secret_keys = (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))
    return _derive_keys(tuple(secret_keys), salt_keys)


class KeyedEncryptedCharField(EncryptedCharField):
    """The package's encrypted ``CharField``, with its keys read when they are used.

    The package caches its keys on the field for the life of the process, so a rotation would
    need a restart and ``override_settings`` would not reach them; here they follow the settings.
    """

    @property
    def f(self) -> MultiFernet:
        return current_fernet()

    @property
    def keys(self) -> list[bytes]:
        raise AttributeError(f"{type(self).__name__} derives its keys in current_fernet()")
