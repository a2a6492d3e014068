"""The learner's language, remembered on the learner.

A page knows its language from its address; a text message or a certificate rendered by a
worker does not. :func:`remember_language` stores the language of the pages a learner reads (at
sign-in, and whenever she reads a page in another language); :func:`language_of` gives it back
to whatever speaks to her later.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

SESSION_KEY = "maalem.core.language"


def supported_language(language: str | None) -> str | None:
    """``language`` as one of ``LANGUAGES`` spells it, or None if the site does not speak it."""
    if not language:
        return None
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return None


def default_language() -> str:
    return supported_language(settings.LANGUAGE_CODE) or str(settings.LANGUAGES[0][0])


def remember_language(user: Any, language: str | None) -> bool:
    """Store ``language`` as the learner's; return whether it changed. Writes only on a change."""
    from .models import LearnerLanguage

    code = supported_language(language)
    if code is None or user is None or not getattr(user, "pk", None):
        return False
    if LearnerLanguage.objects.filter(user_id=user.pk).exclude(language=code).update(language=code):
        return True
    _row, created = LearnerLanguage.objects.get_or_create(
        user_id=user.pk, defaults={"language": code}
    )
    return created


def remember_request_language(request: HttpRequest, language: str | None) -> None:
    """Remember the language of the page a signed-in learner reads.

    The session keeps the last language stored, so reading pages in the same language costs no
    query; only a switch writes."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not language:
        return
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_KEY) == language:
        return
    remember_language(user, language)
    if session is not None:
        session[SESSION_KEY] = language


def stored_language(user: Any) -> str | None:
    """The language the learner (the account or its id) last read the site in, if known."""
    from .models import LearnerLanguage

    user_id = getattr(user, "pk", user)
    if not user_id:
        return None
    stored = LearnerLanguage.objects.filter(user_id=user_id).values_list("language", flat=True)
    return supported_language(stored.first())


def language_of(user: Any) -> str:
    """The learner's language (``user`` is the account or its id): the one she last read the
    site in, else the site's default."""
    return stored_language(user) or default_language()
