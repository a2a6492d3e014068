"""The learner's side of onboarding: the application form, the status page and the "My
learning" section.

Plain HTML forms, no JavaScript needed. Views only check who is asking and call the services in
:mod:`onboarding.workflow`. Case ids appear in URLs; personal data never does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from . import workflow
from .forms import CONSENT_TEXT, KYCForm, store_photo
from .models import ApplicantProfile, CaseState, OnboardingCase
from .providers import get_backend
from .providers.base import AccountStatus, requirement_label

logger = logging.getLogger(__name__)

S = CaseState

# The steps of the progress bar, in order.
STEPS = [
    ("eligible", gettext_lazy("Courses completed")),
    ("form", gettext_lazy("Your application")),
    ("review", gettext_lazy("Checking")),
    ("payment_account", gettext_lazy("Payment account")),
    ("seller_profile", gettext_lazy("Shop live")),
]
# The step each state is at; the steps before it are done.
STEP_OF_STATE = {
    S.ELIGIBLE: "form",
    S.KYC_PENDING: "form",
    S.SUBMITTED: "review",
    S.MANUAL_REVIEW: "review",
    S.PROVISIONING: "payment_account",
    S.ACTION_REQUIRED: "payment_account",
    S.FAILED_NEEDS_OPERATOR: "payment_account",
    S.REJECTED: "review",
    S.WITHDRAWN: "form",
    S.ACTIVE: None,
}
# What the page says after an action, chosen by the ``done`` query parameter of the redirect
# (the confirmation travels in the URL, never any answer).
DONE = {
    "saved": gettext_lazy("Your answers are saved. You can come back to finish later."),
    "sent": gettext_lazy("Your application is sent. Thank you!"),
    "changed": gettext_lazy("Your changes are saved. The support team will check them."),
}
STOPPED_STATES = {S.ACTION_REQUIRED, S.FAILED_NEEDS_OPERATOR, S.REJECTED, S.WITHDRAWN}


@dataclass
class Step:
    key: str
    label: str
    status: str  # done, current, stopped or todo


@dataclass
class NextAction:
    """What the learner should do now: a sentence, and a link when there is somewhere to go."""

    kind: str  # fill, fix, wait, support, shop, none
    text: str
    link_text: str = ""
    url: str = ""
    details: list[str] = field(default_factory=list)


@dataclass
class Progress:
    case: OnboardingCase
    steps: list[Step]
    next_action: NextAction

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.status == "done")


def progress_of(case: OnboardingCase) -> Progress:
    """Where the case is on the way to a live shop, and the learner's next action."""
    state = case.state
    current = STEP_OF_STATE.get(state)
    if state == S.PROVISIONING and case.payment_account_status == AccountStatus.ACTIVE:
        current = "seller_profile"
    steps = []
    reached = current is None
    for key, label in STEPS:
        if key == current:
            reached = True
            status = "stopped" if state in STOPPED_STATES else "current"
        elif current is None:
            status = "done"
        else:
            status = "todo" if reached else "done"
        steps.append(Step(key, str(label), status))
    return Progress(case=case, steps=steps, next_action=next_action(case))


def next_action(case: OnboardingCase) -> NextAction:
    state = case.state
    form_url = reverse("onboarding_learner:application", args=[case.pk])
    if state == S.ELIGIBLE:
        return NextAction(
            "fill",
            _("You have completed the required courses. Fill in the form to open your shop."),
            _("Fill in the form"),
            form_url,
        )
    if state == S.KYC_PENDING:
        return NextAction(
            "fill",
            _("Your application is saved but not sent yet. Finish it and send it."),
            _("Continue the form"),
            form_url,
        )
    if state in (S.SUBMITTED, S.MANUAL_REVIEW):
        return NextAction(
            "wait",
            _("We are checking your application. Nothing to do: we will send you a text message."),
        )
    if state == S.PROVISIONING:
        return NextAction(
            "wait",
            _(
                "Your payment account and your shop are being opened. We will send you a text message."
            ),
        )
    if state == S.ACTION_REQUIRED:
        return NextAction(
            "fix",
            _("The payment provider needs more from you:"),
            _("Check and update your application"),
            form_url,
            details=requirement_words(case.requirements),
        )
    if state == S.FAILED_NEEDS_OPERATOR:
        return NextAction(
            "support",
            _(
                "Something went wrong on our side. Contact the support team and give them your "
                "case number: %(number)s."
            )
            % {"number": case.pk},
        )
    if state == S.ACTIVE:
        url = shop_url(case)
        return NextAction(
            "shop",
            _("Your payment account is open and your shop is live."),
            _("See your shop") if url else "",
            url,
        )
    if state == S.REJECTED:
        return NextAction(
            "support",
            _(
                "Your application was not accepted. Contact the support team to know why; give "
                "them your case number: %(number)s."
            )
            % {"number": case.pk},
        )
    return NextAction("none", _("You withdrew your application."))


def requirement_words(requirements: Any) -> list[str]:
    words = []
    for code in requirements or []:
        text = requirement_label(str(code))
        if text not in words:
            words.append(text)
    return words


def shop_url(case: OnboardingCase) -> str:
    """The seller's public page, if the marketplace backend can say where it is."""
    return get_backend("marketplace").seller_url(case, get_language() or "") or ""


def _own_case(request: HttpRequest, case_id: int) -> OnboardingCase:
    case = get_object_or_404(OnboardingCase, pk=case_id)
    if case.learner_id != request.user.pk:
        # The same answer whether or not the case exists would hide more, but a learner only
        # ever has links to their own case; a 403 says clearly that this one is not theirs.
        raise PermissionDenied
    return case


@login_required
def application(request: HttpRequest, case_id: int) -> HttpResponse:
    """The application form: fill in, save for later, send."""
    case = _own_case(request, case_id)
    status_url = reverse("onboarding_learner:status", args=[case.pk])
    if case.state not in workflow.EDITABLE_STATES:
        return redirect(status_url)
    profile = ApplicantProfile.objects.filter(case=case).select_related("photo").first()
    if request.method != "POST":
        return _render_form(request, case, KYCForm(profile=profile))

    submitting = request.POST.get("action") == "submit"
    form = KYCForm(request.POST, request.FILES, profile=profile, submitting=submitting)
    valid = form.is_valid()
    photo = None
    if "photo" not in form.errors and form.cleaned_data.get("photo"):
        photo = store_photo(case, form.cleaned_data["photo"], request.user)

    if valid and submitting and case.state != S.ACTION_REQUIRED:
        try:
            workflow.submit_application(case.pk, form.application(photo), request.user)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            return redirect(f"{status_url}?done=sent")

    # A draft, a form with mistakes, or changes asked for by the provider: keep every valid
    # answer, so nothing typed on a slow phone is lost.
    workflow.save_draft(case.pk, form.draft_values(photo), request.user)
    if form.errors:
        profile = ApplicantProfile.objects.filter(case=case).select_related("photo").first()
        form.profile = profile
        return _render_form(request, case, form, status=200)
    if case.state == S.ACTION_REQUIRED and submitting:
        return redirect(f"{status_url}?done=changed")
    return redirect(f"{request.path}?done=saved")


def _render_form(
    request: HttpRequest, case: OnboardingCase, form: KYCForm, status: int = 200
) -> HttpResponse:
    form.describe_fields()
    context = {
        "done": DONE.get(request.GET.get("done", "")) if request.method == "GET" else None,
        "case": case,
        "form": form,
        "masked": form.masked(),
        "consent_text": CONSENT_TEXT,
        "progress": progress_of(case),
        "fields_with_errors": [
            (form[name], errors, form.error_target(name))
            for name, errors in form.errors.items()
            if name in form.fields
        ],
    }
    return render(request, "onboarding/learner/application.html", context, status=status)


@login_required
def status(request: HttpRequest, case_id: int) -> HttpResponse:
    """Where the learner's case is, and what they have to do next."""
    case = _own_case(request, case_id)
    context = {"progress": progress_of(case), "done": DONE.get(request.GET.get("done", ""))}
    return render(request, "onboarding/learner/status.html", context)


@login_required
def my_status(request: HttpRequest) -> HttpResponse:
    """The signed-in learner's own case, without knowing its number."""
    case = get_object_or_404(OnboardingCase, learner=request.user)
    return redirect("onboarding_learner:status", case.pk)


def my_learning_section(request: HttpRequest) -> SafeString | None:
    """The "My learning" section: the seller account's progress and the next action.

    Registered by the host on the ``lms_my_learning_sections`` Wagtail hook. Nothing is shown
    to a learner who has no case (they have not met the onboarding rule).
    """
    if not request.user.is_authenticated:
        return None
    case = OnboardingCase.objects.filter(learner=request.user).first()
    if case is None:
        return None
    return render_to_string(
        "onboarding/learner/my_learning_section.html",
        {"progress": progress_of(case)},
        request=request,
    )
