"""The road to selling as a panel of the learner pages of lms.courses.

Registered on the ``lms_learner_panels`` hook (see :mod:`lms.courses.panels`) by
``onboarding/wagtail_hooks.py``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import OnboardingCase
from .road import road_for


def learner_case(request: HttpRequest) -> OnboardingCase | None:
    """The signed-in learner's case, or None; asked once per request, as "My learning" needs it
    both for this panel and for the "My seller account" section."""
    if not request.user.is_authenticated:
        return None
    if not hasattr(request, "_onboarding_case"):
        request._onboarding_case = (  # type: ignore[attr-defined]
            OnboardingCase.objects.filter(learner=request.user).first()
        )
    case: OnboardingCase | None = request._onboarding_case  # type: ignore[attr-defined]
    return case


def road_panel(request: HttpRequest, page: Any = None) -> SafeString | None:
    """On "My learning" (``page`` is None): the required courses and the learner's progress
    along them, until their case is open (the "My seller account" section takes over then).
    On a course page: the same, if that course is one of the required courses."""
    user = request.user
    on_my_learning = page is None
    if on_my_learning and not user.is_authenticated:
        return None
    case = learner_case(request)
    if on_my_learning and case is not None:
        return None
    road = road_for(user, request)
    if road is None or (not on_my_learning and not road.includes(page)):
        return None
    return render_to_string(
        "onboarding/learner/road_panel.html",
        {"road": road, "case": case, "this_course": page, "signed_in": user.is_authenticated},
        request=request,
    )
