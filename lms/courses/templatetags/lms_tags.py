from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info
from wagtail.models import Locale, Page

from ..signal_handlers import page_urls_generation

register = template.Library()

# Short enough that a web process with its own local cache is never stale for long.
PAGE_URLS_CACHE_SECONDS = 300


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """A link per interface language to this same place in that language.

    On a Wagtail page the link goes to the page's translation, or to that language's home when
    the page has none; elsewhere it is the same URL with its language prefix swapped. Page
    translations are cached until a page is published, unpublished, moved or deleted.
    """
    request = context["request"]
    page = context.get("page")
    current = context.get("LANGUAGE_CODE")
    if isinstance(page, Page) and page.pk and not getattr(request, "is_preview", False):
        key = f"lms:translations:{page_urls_generation()}:{request.get_host()}:{page.pk}"
        urls = cache.get(key)
        if urls is None:
            urls = {
                translation.locale.language_code: translation.get_url(request)
                for translation in page.get_translations(inclusive=True)
                .live()
                .select_related("locale")
            }
            cache.set(key, urls, PAGE_URLS_CACHE_SECONDS)
    else:
        urls = {}
    links = []
    for code, _name in settings.LANGUAGES:
        if code in urls:
            url = urls[code]
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
    """URL of the course catalogue in the active language (any language if untranslated).

    Every learner page links to it, so it is cached (see lms.courses.signal_handlers).
    """
    from ..models import CourseIndexPage

    request = context["request"]
    key = f"lms:catalogue-url:{page_urls_generation()}:{request.get_host()}:{get_language()}"
    url = cache.get(key)
    if url is None:
        catalogues = CourseIndexPage.objects.live()
        try:
            catalogue = catalogues.filter(locale=Locale.get_active()).first()
        except Locale.DoesNotExist:  # a site with no content language set up yet
            catalogue = None
        catalogue = catalogue or catalogues.first()
        url = catalogue.get_url(request) if catalogue else "/"
        cache.set(key, url, PAGE_URLS_CACHE_SECONDS)
    return url


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping[key]``, or an empty tuple when either is missing."""
    if not mapping:
        return ()
    return mapping.get(key, ())
