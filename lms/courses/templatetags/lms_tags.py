from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """A link per interface language to this same place in that language.

    On a Wagtail page the link goes to the page's translation, or to that language's home when
    the page has none; elsewhere it is the same URL with its language prefix swapped.
    """
    request = context["request"]
    page = context.get("page")
    current = context.get("LANGUAGE_CODE")
    links = []
    translations: dict[str, Page] = {}
    if isinstance(page, Page) and page.pk:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    for code, _name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request)
        elif isinstance(page, Page) and page.pk:
            url = f"/{code}/"
        else:
            url = translate_url(request.get_full_path(), code)
        info = get_language_info(code)
        links.append(
            {"code": code, "name": info["name_local"], "url": url, "current": code == current}
        )
    return links


@register.filter
def minutes(value: int) -> str:
    from django.utils.translation import ngettext

    return ngettext("%(n)d min", "%(n)d min", value) % {"n": value}


@register.simple_tag(takes_context=True)
def catalogue_url(context: dict[str, Any]) -> str:
    """URL of the course catalogue in the active language (any language if untranslated)."""
    from ..models import CourseIndexPage

    request = context["request"]
    catalogues = CourseIndexPage.objects.live()
    catalogue = catalogues.filter(locale=Locale.get_active()).first() or catalogues.first()
    return catalogue.get_url(request) if catalogue else "/"


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping[key]``, or an empty tuple when either is missing."""
    if not mapping:
        return ()
    return mapping.get(key, ())
