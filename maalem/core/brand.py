"""The site's name, written the way each language writes it.

Arabic pages, texts and certificates say "مْعلّم", not "Maalem" in Latin letters. A host renames
the site with ``MAALEM_SITE_NAME``: one name for every language, or ``{language: name}``; a
language it does not list gets the catalogue's translation of "Maalem".
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import pgettext

from .conf import app_settings


def site_name(language: str | None = None) -> str:
    """The site's name in ``language``, by default the active one."""
    with translation.override(language or translation.get_language()):
        configured = app_settings.SITE_NAME
        if isinstance(configured, str) and configured:
            return configured
        if isinstance(configured, dict):
            active = translation.get_language() or ""
            for code in (active, active.split("-")[0]):
                if configured.get(code):
                    return str(configured[code])
        return pgettext("site name", "Maalem")
