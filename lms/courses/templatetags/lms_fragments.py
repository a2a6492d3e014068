"""``{% sharedfragment "name" value ... %}…{% endsharedfragment %}``: a piece of a learner page
that every learner sees alike, rendered once and kept in Django's cache.

Most of a lesson page is the same for every learner who reads it in one language: the course
and lesson titles, the lesson's place in its course, the body, the links between lessons, the
header and footer. Rendering those template nodes costs more than the learner's own queries.

The cache key is made of what the fragment shows, so that a change to it is a new key and never
a stale page, in every process, whether the cache is shared or not:

- the values after the name (a page counts by its id, its address and its last publication,
  which a trainer's publish changes; a lesson's title and address by their text);
- the active language, the site, and the page-URL generation that any save, publish, unpublish,
  move or deletion of a page bumps (lms.courses.signal_handlers), read once per request;
- the fragment's own template source and the installed version, so a new release never serves
  the markup of the last one.

What goes inside must hold no learner's state: no progress, no name, no CSRF token, no message.
Admin previews and requests without a ``request`` in the context always render afresh.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.models import Page

from .. import local_cache
from ..signal_handlers import page_urls_generation

register = template.Library()

# As long as the cached page addresses the fragments link to (lms.courses.templatetags.lms_tags).
FRAGMENT_SECONDS = 300

try:
    RELEASE = version("maalem")
except PackageNotFoundError:  # run from a checkout that is not installed
    RELEASE = "checkout"


def _key_part(value: Any) -> str:
    if isinstance(value, Page):
        # What Wagtail's Page.cache_key hashes, without hashing it separately.
        published = value.last_published_at.isoformat() if value.last_published_at else ""
        return f"page:{value.pk}:{value.url_path}:{published}"
    return repr(value)


class SharedFragmentNode(template.Node):
    def __init__(
        self, name: str, nodelist: NodeList, vary_on: list[FilterExpression], source: str
    ) -> None:
        self.name, self.nodelist, self.vary_on = name, nodelist, vary_on
        self.source_digest = hashlib.md5(f"{RELEASE}\n{source}".encode(), usedforsecurity=False)

    def render(self, context: template.Context) -> SafeString:
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        # The site and the generation, once per request: several fragments make a page.
        shared = getattr(request, "_lms_fragment_key", None)
        if shared is None:
            shared = f"{request.get_host()}\x1f{page_urls_generation(request)}"
            request._lms_fragment_key = shared
        digest = self.source_digest.copy()
        parts = [shared, get_language() or "", *map(_key_part, self._values(context))]
        digest.update("\x1f".join(parts).encode())
        key = f"lms:fragment:{self.name}:{digest.hexdigest()}"
        html = local_cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            local_cache.set(key, html, FRAGMENT_SECONDS)
        return mark_safe(html)

    def _values(self, context: template.Context) -> list[Any]:
        return [value.resolve(context) for value in self.vary_on]


@register.tag
def sharedfragment(parser: Parser, token: Token) -> SharedFragmentNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            f"{bits[0]} needs a quoted fragment name, then the values the fragment shows."
        )
    # The tokens still to parse, last first (the parser pops them from the end).
    before: list[Token] = list(parser.tokens)  # type: ignore[arg-type]  # a list once parsing
    nodelist = parser.parse(("endsharedfragment",))
    consumed = before[len(parser.tokens) :]
    source = "".join(f"{t.token_type}:{t.contents}" for t in reversed(consumed))
    parser.delete_first_token()
    return SharedFragmentNode(
        bits[1][1:-1], nodelist, [parser.compile_filter(bit) for bit in bits[2:]], source
    )
