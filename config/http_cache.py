"""Cache headers for the public pages, so that a CDN or a caching proxy in front of the web
machines can answer anonymous visitors without reaching Django.

A page of a type in ``MAALEM_PUBLIC_CACHE_PAGE_TYPES`` (the catalogue, a course, the sellers'
index, a seller) is marked ``Cache-Control: public, max-age=0, s-maxage=MAALEM_PUBLIC_CACHE_MAX_AGE``
when an anonymous visitor reads it and the answer sets no cookie: the shared cache keeps it, and
is purged when the page changes, while a phone asks again each time, so a seller taken down is
gone from every screen at once. That holds unless the answer sets a cookie: a page with a form sets the CSRF
cookie, and the first page read in a language sets the language cookie. Otherwise, and always for a
signed-in visitor, the page is marked ``private``: it may hold her name or her progress. The
answer varies on ``Cookie``, so a cache that honours ``Vary`` never hands an anonymous copy to a
signed-in learner; wagtail.contrib.frontend_cache purges a page when it is published or
unpublished (see docs/deploy.md).

It is the outermost middleware, to see the cookies that every other one adds.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers


def public_page_type(response: HttpResponse) -> bool:
    context = getattr(response, "context_data", None) or {}
    page = context.get("page") if isinstance(context, dict) else None
    label = getattr(getattr(page, "_meta", None), "label_lower", None)
    return label in settings.MAALEM_PUBLIC_CACHE_PAGE_TYPES


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.has_header("Cache-Control") or not public_page_type(response):
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        max_age = settings.MAALEM_PUBLIC_CACHE_MAX_AGE
        if signed_in or response.cookies or not max_age:
            patch_cache_control(response, private=True)
        else:
            patch_cache_control(response, public=True, max_age=0, s_maxage=max_age)
        patch_vary_headers(response, ["Cookie"])
        return response
