"""Panels that other apps add to learner pages, without this app knowing them.

An app registers a function under :data:`LEARNER_PANELS_HOOK` with ``wagtail.hooks``. It is
called with the request and the page being shown: a :class:`~lms.courses.models.CoursePage`
on a course page, or ``None`` on "My learning". It returns HTML (a ``SafeString``, usually from
``render_to_string``) to show near the top of that page, or ``None`` to show nothing.

A panel is for what the learner should know before reading on, such as which courses lead
somewhere (onboarding shows the courses that open a seller account). Keep it short: it is read
on a small phone, and it must work without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString
from wagtail import hooks

LEARNER_PANELS_HOOK = "lms_learner_panels"


def learner_panels(request: HttpRequest, page: Any = None) -> list[SafeString]:
    """The panels every registered app has for this request and page, in hook order."""
    return [
        panel for hook in hooks.get_hooks(LEARNER_PANELS_HOOK) if (panel := hook(request, page))
    ]
