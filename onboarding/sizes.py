"""File sizes in the learner's words: "10 MB", "10 Mo", "10 ميغابايت"."""

from __future__ import annotations

from django.utils.translation import gettext

from lms.courses.templatetags.lms_tags import local_number

MEGABYTE = 1024 * 1024


def file_size_words(size: int) -> str:
    """A size in megabytes (kilobytes under one), with at most one decimal, written the local
    way: whole numbers lose their ".0"."""
    if size >= MEGABYTE:
        return gettext("%(number)s MB") % {"number": _short(size / MEGABYTE)}
    return gettext("%(number)s KB") % {"number": _short(size / 1024)}


def megabyte_words() -> str:
    """The unit, with ``%(number)s`` where the number goes, for scripts that write sizes."""
    return gettext("%(number)s MB")


def _short(value: float) -> str:
    rounded = round(value, 1)
    return str(local_number(int(rounded) if rounded == int(rounded) else rounded))
