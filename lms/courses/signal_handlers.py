"""Keep the cached page URLs of the learner layout true.

The layout links every page to the catalogue and to the page's translations, and lists a course's
lessons. Those are cached under a generation number that any save, publish, unpublish, move or
deletion of a page bumps, which drops them all at once; so does a save or deletion of a site, as
the site found for each host name is kept too. Pages change rarely; learners read often.

A request that passes itself reads the generation from the cache once, however many cached
addresses and fragments it looks up: with a shared cache each read is a round trip.
"""

from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "lms:page-urls:generation"


def page_urls_generation(request: Any = None) -> int:
    """The current generation; kept on ``request``, when given, for the rest of the request."""
    generation = getattr(request, "_lms_page_urls_generation", None)
    if generation is None:
        generation = int(cache.get_or_set(GENERATION_KEY, 1, None) or 1)
        if request is not None:
            request._lms_page_urls_generation = generation
    return int(generation)


def forget_page_urls(sender: Any = None, **kwargs: Any) -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def forget_page_urls_on_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Connected for every model: a page saved in code (add_child, a migration, an import)
    # sends post_save with its own class as sender, never Page.
    # A view restriction too: lms.courses.models.routing caches whether a page has any.
    # A site too: lms.courses.middleware keeps the site found for each host name.
    if isinstance(instance, (Page, PageViewRestriction, Site)):
        forget_page_urls()


def register() -> None:
    post_save.connect(forget_page_urls_on_save, dispatch_uid="lms-page-urls-saved")
    page_published.connect(forget_page_urls, dispatch_uid="lms-page-urls-published")
    page_unpublished.connect(forget_page_urls, dispatch_uid="lms-page-urls-unpublished")
    post_page_move.connect(forget_page_urls, dispatch_uid="lms-page-urls-moved")
    post_delete.connect(forget_page_urls_on_save, dispatch_uid="lms-page-urls-deleted")
