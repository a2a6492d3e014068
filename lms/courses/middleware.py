from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language_from_path
from wagtail.models import Site

from maalem.core.languages import remember_request_language

from . import local_cache
from .signal_handlers import page_urls_generation

SITE_SECONDS = 60 * 60


class RememberLanguageMiddleware:
    """Remember the language of the last page a visitor read, in Django's language cookie.

    Pages carry their language in the URL (/ar/, /fr/, /en/). Storing it means that the next
    visit to the bare address, or a shared link without a prefix, opens in the language the
    learner chose, not the one their phone's browser happens to announce. A signed-in learner's
    language is remembered on her account too, for the texts and certificates sent to her.

    An admin preview renders the page through this middleware too, on a made-up request for the
    page's address: that is a trainer looking at a page, not a choice of language, so it is not
    remembered (it would switch the trainer's whole admin to the page's language). Nor are the
    requests a page makes by itself (its service worker, its scripts' fetches, which browsers mark
    with ``Sec-Fetch-Dest``): a previewed page makes them in its own language too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "is_dummy", False):  # Wagtail's preview and moderation requests
            return response
        if request.headers.get("Sec-Fetch-Dest", "document") != "document":
            return response
        language = get_language_from_path(request.path_info)
        if language and response.status_code < 400:
            remember_request_language(request, language)
        if (
            language
            and response.status_code < 400
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                samesite="Lax",
            )
        return response


class KnownSiteMiddleware:
    """Find the request's Wagtail site without a query, once this process has found it.

    Wagtail looks the site up (one query, compiled anew) for every request that routes a page,
    builds a page address or reads a site setting, and keeps it only on that request. This keeps
    it, per host name and port, under the page-URL generation, which any change to a page or a
    site bumps (lms.courses.signal_handlers). Only for the pages, whose addresses start with a
    language (/ar/, /fr/, /en/), on host names ALLOWED_HOSTS accepts; any other request (the
    admin, the API, the health checks, which must answer without the cache) is left to Wagtail,
    which looks the site up as before if it needs it.

    Only with a cache every process shares (``MAALEM_SHARED_CACHE``, config/caches.py): with
    one per process, a page published by a worker or another web process bumps the generation
    in that process alone, and the site kept here, with its root page's count of children as it
    was, would answer 404 for the new page. Without one it removes itself from the chain.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not getattr(settings, "MAALEM_SHARED_CACHE", False):
            raise MiddlewareNotUsed("the cache is not shared by every process")
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not get_language_from_path(request.path_info):
            return self.get_response(request)
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        key = f"lms:site:{page_urls_generation(request)}:{host}:{request.get_port()}"
        site = local_cache.get(key)
        if site is None:
            site = Site.find_for_request(request)
            if site is not None:
                local_cache.set(key, site, SITE_SECONDS)
        request._wagtail_site = site  # type: ignore[attr-defined]
        return self.get_response(request)
