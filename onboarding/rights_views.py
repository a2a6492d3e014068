"""The learner's rights over her own case: taking back her consent herself.

The consent text promises "I can withdraw my consent at any time": the status page links to a
confirmation page here, and the withdrawal happens only when she confirms (a POST). It is the
same move an operator makes (:func:`onboarding.operator_actions.withdraw`), recorded with the
learner as its actor. Plain HTML, no JavaScript needed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from lms.courses.views import learner_required

from .conf import app_settings
from .operator_actions import withdraw
from .statemachine import TERMINAL_STATES, InvalidTransition
from .views import _own_case


@learner_required
@never_cache
def withdraw_consent(request: HttpRequest, case_id: int) -> HttpResponse:
    """GET asks "are you sure?"; POST withdraws the case, which is final."""
    case = _own_case(request, case_id)
    status_url = reverse("onboarding_learner:status", args=[case.pk])
    if case.state in TERMINAL_STATES:
        return redirect(status_url)
    if request.method == "POST":
        try:
            withdraw(case.pk, request.user, "consent withdrawn by the learner")
        except InvalidTransition:
            # Closed meanwhile (rejected by an operator): the status page says what it is now.
            return redirect(status_url)
        return redirect(f"{status_url}?done=withdrawn")
    context = {"case": case, "erase_after_days": app_settings.ERASE_AFTER_DAYS}
    return render(request, "onboarding/learner/withdraw.html", context)
