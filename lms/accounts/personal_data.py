"""What accounts hold about a learner: the number she signs in with and the codes sent to it."""

from __future__ import annotations

from typing import Any

from maalem.core.personal_data import Section

from .models import LearnerPhone, SignInCode


def _digest(user: Any) -> str | None:
    row = LearnerPhone.objects.filter(user_id=user.pk).first()
    return row.phone_digest if row else None


def export(user: Any) -> Section:
    row = LearnerPhone.objects.filter(user_id=user.pk).first()
    codes = SignInCode.objects.filter(phone_digest=row.phone_digest) if row else []
    return Section(
        data={
            "phone": str(row.phone) if row and row.phone else None,
            "phone_since": row.created_at if row else None,
            "sign_in_codes": [
                {"sent_at": code.created_at, "expires_at": code.expires_at, "used_at": code.used_at}
                for code in codes
            ],
        }
    )


def erase(user: Any, *, keep_certificates: bool) -> list[str]:
    digest = _digest(user)
    if digest is None:
        return []
    SignInCode.objects.filter(phone_digest=digest).delete()
    LearnerPhone.objects.filter(user_id=user.pk).delete()
    return ["phone", "sign_in_codes"]
