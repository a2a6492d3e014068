"""``{% learnerfragment "name" value ... %}…{% endlearnerfragment %}``: a piece of a learner
page rendered once per page version, language and site, and kept in the web process's memory
(see lms.courses.fragments).

What goes inside must be the same for every learner who reads the page in that language: no
progress, no name, no CSRF token, no message. The values after the name say what else it
depends on; a page counts by its id, its address and its last publication (as Wagtail's
``cache_key``). Admin
previews always render afresh.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.models import Page

from ..fragments import remembered
from ..signal_handlers import page_urls_generation

register = template.Library()


def _key_part(value: Any) -> Any:
    if isinstance(value, Page):
        # What Wagtail's cache_key hashes, without hashing it on every request.
        return ("page", value.pk, value.url_path, value.last_published_at)
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    return str(getattr(value, "pk", value))


class LearnerFragmentNode(template.Node):
    def __init__(self, name: str, nodelist: NodeList, vary_on: list[FilterExpression]) -> None:
        self.name, self.nodelist, self.vary_on = name, nodelist, vary_on

    def render(self, context: template.Context) -> SafeString:
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        key = (
            self.name,
            get_language(),
            page_urls_generation(),
            request.get_host(),
            *(_key_part(value.resolve(context)) for value in self.vary_on),
        )
        return mark_safe(remembered(key, lambda: self.nodelist.render(context)))


@register.tag
def learnerfragment(parser: Parser, token: Token) -> LearnerFragmentNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a quoted name first.")
    nodelist = parser.parse(("endlearnerfragment",))
    parser.delete_first_token()
    return LearnerFragmentNode(
        f"{parser.origin.name if parser.origin else ''}:{bits[1][1:-1]}",
        nodelist,
        [parser.compile_filter(bit) for bit in bits[2:]],
    )
