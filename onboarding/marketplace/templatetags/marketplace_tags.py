from __future__ import annotations

from django import template

from ..prices import price_text

register = template.Library()


@register.filter
def dirhams(centimes: int | None) -> str:
    """A price kept in centimes, written the way the reader's language writes dirhams."""
    return price_text(centimes)
