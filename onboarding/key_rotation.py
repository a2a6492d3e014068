"""Rewriting applicants' encrypted fields with the newest key, after a key rotation."""

from __future__ import annotations

from .models import ApplicantProfile
from .pii import EncryptedPIIField


def reencrypt_profiles(batch_size: int = 500) -> int:
    """Re-save every applicant's encrypted fields with the first key; return how many.

    Run it after putting a new key first in ``SALT_KEY``. Reading decrypts with whichever key
    matches, saving encrypts with the new one.
    """
    names = [
        f.name for f in ApplicantProfile._meta.get_fields() if isinstance(f, EncryptedPIIField)
    ]
    count = 0
    for profile in ApplicantProfile.objects.order_by("pk").iterator(chunk_size=batch_size):
        profile.save(update_fields=names)
        count += 1
    return count
