"""Hiding personal data when it is shown or logged: one rule for every masker."""

from __future__ import annotations


def mask(value: str | None, *, start: int = 0, end: int = 0) -> str:
    """``value`` with every character hidden but the first ``start`` and the last ``end``.

    A value too short to hide anything that way is hidden whole: showing its ends would show
    all of it.
    """
    text = str(value or "")
    if len(text) <= start + end:
        return "*" * len(text)
    return text[:start] + "*" * (len(text) - start - end) + text[len(text) - end :]
