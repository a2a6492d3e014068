"""What the kernel itself holds about a learner: the language she reads the site in."""

from __future__ import annotations

from typing import Any

from .models import LearnerLanguage
from .personal_data import Section


def export(user: Any) -> Section:
    row = LearnerLanguage.objects.filter(user_id=user.pk).first()
    return Section(
        data={
            "username": user.get_username(),
            "first_name": getattr(user, "first_name", ""),
            "last_name": getattr(user, "last_name", ""),
            "email": getattr(user, "email", ""),
            "date_joined": getattr(user, "date_joined", None),
            "language": row.language if row else None,
        }
    )


def erase(user: Any, *, keep_certificates: bool) -> list[str]:
    deleted, _ = LearnerLanguage.objects.filter(user_id=user.pk).delete()
    return ["language"] if deleted else []
