import datetime
from decimal import Decimal
from functools import lru_cache
from numbers import Number
from typing import Any

from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from django import template
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.templatetags.static import static
from django.urls import translate_url
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info, ngettext
from wagtail.models import Locale, Page

from lms.conf import app_settings
from maalem.core.brand import site_name

from .. import local_cache
from ..navigation import NavigationLink, navigation_links
from ..panels import learner_panels
from ..signal_handlers import page_urls_generation

register = template.Library()

# Short enough that a web process with its own local cache is never stale for long.
PAGE_URLS_CACHE_SECONDS = 300


def page_urls_by_language(page: Page, request: Any) -> dict[str, str]:
    """Where each language's link goes from ``page``: its live translation; else the address
    the page itself gives for that language (``url_in_language(language, request)``, for a
    page that every language serves, such as a seller's); else its nearest ancestor that has
    a live translation in that language; else that language's home."""
    codes = [code for code, _name in settings.LANGUAGES]
    urls: dict[str, str] = {}
    for translation in page.get_translations(inclusive=True).live().select_related("locale"):
        url = translation.get_url(request)
        if url:
            urls[translation.locale.language_code] = url
    own = getattr(page, "url_in_language", None)
    for code in codes:
        if code not in urls and callable(own) and (url := own(code, request)):
            urls[code] = url
    missing = [code for code in codes if code not in urls]
    if missing:
        ancestors = page.get_ancestors().filter(depth__gt=1)
        keys = list(ancestors.values_list("translation_key", flat=True))
        nearest = (
            Page.objects.live()
            .filter(translation_key__in=keys, locale__language_code__in=missing)
            .select_related("locale")
            .order_by("-depth")
        )
        for ancestor in nearest:
            url = ancestor.get_url(request)
            urls.setdefault(ancestor.locale.language_code, url or "")
    return {code: urls.get(code) or f"/{code}/" for code in codes}


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """A link per interface language to this same place in that language.

    On a Wagtail page the link goes to the page in that language, or to the nearest place
    that exists in it (see :func:`page_urls_by_language`); elsewhere it is the same URL with
    its language prefix swapped. Page addresses are cached until a page is published,
    unpublished, moved or deleted.
    """
    request = context["request"]
    page = context.get("page")
    current = context.get("LANGUAGE_CODE")
    urls: dict[str, str] = {}
    if isinstance(page, Page) and page.pk and not getattr(request, "is_preview", False):
        key = f"lms:language-urls:{page_urls_generation(request)}:{request.get_host()}:{page.pk}"
        urls = local_cache.get(key)
        if urls is None:
            urls = page_urls_by_language(page, request)
            local_cache.set(key, urls, PAGE_URLS_CACHE_SECONDS)
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


# Moroccan conventions where Babel (CLDR) has them: "نونبر" rather than "نوفمبر", for example.
BABEL_LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en"}

# Icons that point along the reading direction, mirrored in right-to-left pages.
DIRECTIONAL_ICONS = frozenset({"back", "next", "sign-in", "sign-out"})


@lru_cache(maxsize=16)
def _babel_locale(language: str) -> BabelLocale:
    code = BABEL_LOCALES.get(language, language)
    try:
        return BabelLocale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return BabelLocale.parse(BABEL_LOCALES.get(language.split("-")[0], "en"))


def babel_locale() -> BabelLocale:
    """The Babel locale for the active interface language."""
    return _babel_locale(get_language() or settings.LANGUAGE_CODE)


def _is_number(value: Any) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


@register.filter
def local_number(value: Any) -> Any:
    """A number written the local way (grouping, decimal sign); anything else as it is."""
    if not _is_number(value):
        return value
    return format_decimal(value, locale=babel_locale())


@register.filter
def local_percent(value: Any) -> Any:
    """A percentage given as 0-100, written the local way: "80 %" in French, "80%" in English."""
    if not _is_number(value):
        return value
    if isinstance(value, int) and 0 <= value <= 100:
        # Every learner page shows a whole percentage: Babel's formatting, once per language.
        return _whole_percent(get_language() or settings.LANGUAGE_CODE, value)
    return format_percent(Decimal(str(value)) / 100, locale=babel_locale())


@lru_cache(maxsize=1024)
def _whole_percent(language: str, value: int) -> str:
    return format_percent(Decimal(value) / 100, locale=_babel_locale(language))


@register.filter
def local_date(value: Any, length: str = "long") -> Any:
    """A date, or the local-time date of a datetime, in the words of the active language."""
    if isinstance(value, datetime.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    if not isinstance(value, datetime.date):
        return value
    return format_date(value, format=length, locale=babel_locale())


@register.filter
def minutes(value: int) -> str:
    return ngettext("%(n)s min", "%(n)s min", value) % {"n": local_number(value)}


@register.filter
def unpunctuated(value: Any) -> str:
    """``value`` without its closing punctuation, for a label that a colon follows: "Paid?:"
    doubles the punctuation."""
    return str(value).rstrip(" .:;?!\u061f\u060c\u202f")


@register.simple_tag(name="site_name")
def site_name_tag() -> str:
    """The site's name as the page's language writes it ("مْعلّم" in Arabic)."""
    return site_name()


@register.simple_tag
def icon(name: str) -> str:
    """An icon from the shared sprite, hidden from screen readers: a visible label goes with it."""
    return _icon_html(str(name))


@lru_cache(maxsize=64)
def _icon_html(name: str) -> str:
    # The sprite's static address is fixed for the life of the process: build each icon once.
    flip = " icon-flip" if name in DIRECTIONAL_ICONS else ""
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        flip,
        static("lms/icons.svg"),
        name,
    )


@register.simple_tag(takes_context=True)
def catalogue_url(context: dict[str, Any]) -> str:
    """URL of the course catalogue in the active language (any language if untranslated).

    Every learner page links to it, so it is cached (see lms.courses.signal_handlers).
    """
    from ..models import CourseIndexPage

    request = context["request"]
    key = f"lms:catalogue-url:{page_urls_generation(request)}:{request.get_host()}:{get_language()}"
    url = local_cache.get(key)
    if url is None:
        catalogues = CourseIndexPage.objects.live()
        try:
            catalogue = catalogues.filter(locale=Locale.get_active()).first()
        except Locale.DoesNotExist:  # a site with no content language set up yet
            catalogue = None
        catalogue = catalogue or catalogues.first()
        url = catalogue.get_url(request) if catalogue else "/"
        local_cache.set(key, url, PAGE_URLS_CACHE_SECONDS)
    return url


@register.simple_tag(takes_context=True)
def extra_navigation_links(context: dict[str, Any]) -> list[NavigationLink]:
    """The links other apps add to the learner navigation (see lms.courses.navigation)."""
    return navigation_links(context["request"])


@register.simple_tag(takes_context=True)
def panels_for(context: dict[str, Any], page: Any = None) -> SafeString:
    """The panels other apps add to this page (see lms.courses.panels), one after the other."""
    # Each panel is HTML its app rendered from a template, escaped there.
    return mark_safe("".join(learner_panels(context["request"], page)))


@register.simple_tag
def sign_in_url(next_url: str = "") -> str:
    """Where learners sign in (``LMS_SIGN_IN_URL``), coming back to ``next_url`` if given."""
    if not next_url:
        return resolve_url(app_settings.SIGN_IN_URL)
    return redirect_to_login(next_url, login_url=app_settings.SIGN_IN_URL)["Location"]


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping[key]``, or an empty tuple when either is missing."""
    if not mapping:
        return ()
    return mapping.get(key, ())
