"""Serving course pages in fewer queries than Wagtail's generic page routing takes.

Every lesson request walks the catalogue, the course and the lesson, and checks the view
restrictions of the lesson and its ancestors. Wagtail does each step with generic queries (a
child page, then its specific row; the ancestors, then their restrictions). A course page knows
its children are lessons, and whether a page is restricted only changes when a page or a
restriction does, so these steps are cut to one query each, or to none.
"""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from .. import local_cache
from ..signal_handlers import page_urls_generation

# As long as the other page addresses of the learner layout (see lms.courses.templatetags).
RESTRICTIONS_CACHE_SECONDS = 300


class CoursePageRouting(Page):
    """Routes to children of one known type in one query, and caches "no view restriction"."""

    # The page type every child of this page has (its ``subpage_types``).
    child_page_model: type[Page] | None = None

    class Meta:
        abstract = True

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        # The generation this request reads (once), for get_view_restrictions(), which Wagtail
        # calls without the request.
        self._lms_page_urls_generation = page_urls_generation(request)
        model = self.child_page_model
        if path_components and model is not None:
            child = model.objects.child_of(self).filter(slug=path_components[0]).first()
            if child is not None:
                # What Page.route does, without fetching the specific page a second time.
                child._cached_parent_obj = self
                child._lms_page_urls_generation = self._lms_page_urls_generation
                return child.route(request, path_components[1:])
        # Another type of child (added in code), or none: Wagtail's own routing and 404.
        return super().route(request, path_components)

    def get_view_restrictions(self) -> models.QuerySet[PageViewRestriction]:
        """Wagtail's restrictions of this page and its ancestors, without a query when there
        are none (almost always). Cached until a page or a restriction changes."""
        if not self.pk:
            return super().get_view_restrictions()
        generation = getattr(self, "_lms_page_urls_generation", None) or page_urls_generation()
        key = f"lms:restricted:{generation}:{self.pk}"
        restricted = local_cache.get(key)
        if restricted is None:
            restricted = super().get_view_restrictions().exists()
            local_cache.set(key, restricted, RESTRICTIONS_CACHE_SECONDS)
        if restricted:
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()
