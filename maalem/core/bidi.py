"""Numbers and codes inside right-to-left text: phone numbers, ID numbers, RIBs, examples.

In an Arabic sentence, "06 12 34 56 78" is several left-to-right runs separated by spaces, which
take the sentence's direction: the browser shows "78 56 34 12 06", and may break the line in
the middle. :func:`isolate_ltr` wraps each such value in ``<bdi dir="ltr">``, which the learner
stylesheet keeps on one line, so it reads as typed in every language.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

# What needs isolating: groups of digits ("06 12 34 56 78", "230-780"), a number with its
# country code ("+212"), letters then digits ("BE471203") and long numbers (a RIB, a code). A
# lone short number ("24 digits") reads the same in either direction and is left as it is.
LTR_VALUE = re.compile(r"\+?\d+(?:[ .\-/]\d+)+|\+\d+|\b[A-Za-z]{1,3}\d+[\dA-Za-z]*|\d{5,}")
ISOLATED = re.compile(r"<bdi[^>]*>.*?</bdi>", re.S)


def isolate_ltr(text: Any) -> SafeString:
    """``text`` escaped (unless already safe), with each number or code in ``<bdi dir="ltr">``."""
    escaped = str(conditional_escape(text))
    isolated = [match.span() for match in ISOLATED.finditer(escaped)]
    parts = []
    position = 0
    for value in LTR_VALUE.finditer(escaped):
        if _inside_markup(escaped, value.start()) or any(
            start <= value.start() < end for start, end in isolated
        ):
            continue
        parts.append(escaped[position : value.start()])
        parts.append(format_html('<bdi dir="ltr">{}</bdi>', mark_safe(value.group())))
        position = value.end()
    parts.append(escaped[position:])
    return mark_safe("".join(parts))


def _inside_markup(text: str, index: int) -> bool:
    """Whether ``index`` is inside a tag or an entity (``&#x27;``) rather than in the text."""
    before = text[:index]
    in_tag = before.rfind("<") > before.rfind(">")
    in_entity = before.rfind("&") > max(before.rfind(";"), before.rfind(" "))
    return in_tag or in_entity
