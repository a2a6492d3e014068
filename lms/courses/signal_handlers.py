"""Keep the cached page URLs of the learner layout true.

The layout links every page to the catalogue and to the page's translations, and lists a course's
lessons. Those are cached under a generation number that any save, publish, unpublish, move or
deletion of a page bumps, which drops them all at once. Pages change rarely; learners read often.

A request reads the generation from the cache once and keeps it until it ends, however many
cached addresses and fragments it looks up. A new generation starts from a random number, so a
cache that was cleared or restarted never brings back a number whose entries some process still
keeps in its own memory (see lms.courses.fragments).
"""

import secrets
import threading
from typing import Any

from django.core.cache import cache
from django.core.signals import request_finished, request_started, setting_changed
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "lms:page-urls:generation"


# The generation the current request has read, per thread (one request at a time per thread).
_request = threading.local()


def _new_generation() -> int:
    return secrets.randbits(48) + 1


def page_urls_generation() -> int:
    generation = getattr(_request, "generation", None)
    if generation is None:
        generation = int(cache.get_or_set(GENERATION_KEY, _new_generation, None) or 1)
        if getattr(_request, "serving", False):
            _request.generation = generation
    return int(generation)


def forget_page_urls(sender: Any = None, **kwargs: Any) -> None:
    _request.generation = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _new_generation(), None)


def _request_started(sender: Any = None, **kwargs: Any) -> None:
    _request.serving, _request.generation = True, None


def _request_finished(sender: Any = None, **kwargs: Any) -> None:
    # Outside a request (a task, a command, a test's own code) every call asks the cache.
    _request.serving, _request.generation = False, None


def forget_page_urls_on_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Connected for every model: a page saved in code (add_child, a migration, an import)
    # sends post_save with its own class as sender, never Page.
    # A view restriction too: lms.courses.models.routing caches whether a page has any.
    if isinstance(instance, (Page, PageViewRestriction)):
        forget_page_urls()


def forget_fragments_on_setting_change(sender: Any = None, **kwargs: Any) -> None:
    # A template, a language or the site's name may have changed (override_settings in tests).
    from .fragments import forget_fragments

    forget_fragments()


def register() -> None:
    setting_changed.connect(
        forget_fragments_on_setting_change, dispatch_uid="lms-fragments-setting-changed"
    )
    request_started.connect(_request_started, dispatch_uid="lms-page-urls-request-started")
    request_finished.connect(_request_finished, dispatch_uid="lms-page-urls-request-finished")
    post_save.connect(forget_page_urls_on_save, dispatch_uid="lms-page-urls-saved")
    page_published.connect(forget_page_urls, dispatch_uid="lms-page-urls-published")
    page_unpublished.connect(forget_page_urls, dispatch_uid="lms-page-urls-unpublished")
    post_page_move.connect(forget_page_urls, dispatch_uid="lms-page-urls-moved")
    post_delete.connect(forget_page_urls_on_save, dispatch_uid="lms-page-urls-deleted")
