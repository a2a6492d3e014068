"""Sign-in records are deleted once past ``LMS_ACCOUNTS_SIGN_IN_CODES_KEPT_DAYS``."""

from __future__ import annotations

from datetime import datetime

from maalem.core.retention import cutoff

from .conf import app_settings
from .models import SignInCode


def purge_sign_in_codes(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete the codes expired longer ago than the retention period; returns how many."""
    expired = SignInCode.objects.filter(
        expires_at__lt=cutoff(app_settings.SIGN_IN_CODES_KEPT_DAYS, now)
    )
    if dry_run:
        return expired.count()
    deleted, _ = expired.delete()
    return deleted


def purge_expired(*, dry_run: bool = False) -> dict[str, int]:
    return {"sign_in_codes": purge_sign_in_codes(dry_run=dry_run)}
