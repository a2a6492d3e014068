"""Links that other apps add to the learner navigation, without this app knowing them.

An app registers a function under :data:`NAVIGATION_LINKS_HOOK` with ``wagtail.hooks``. It is
called with the request on every learner page and returns a :class:`NavigationLink`, or ``None``
when it has nowhere to send this visitor (a marketplace with no page yet, say).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from wagtail import hooks

NAVIGATION_LINKS_HOOK = "lms_navigation_links"


@dataclass(frozen=True)
class NavigationLink:
    """A place in the learner navigation: its words, its address and an icon of icons.svg.

    ``description`` says in a sentence what the place is for, where there is room for it (a
    host's home page, for example).
    """

    label: str
    url: str
    icon: str
    description: str = ""


def navigation_links(request: HttpRequest) -> list[NavigationLink]:
    return [link for hook in hooks.get_hooks(NAVIGATION_LINKS_HOOK) if (link := hook(request))]
