"""The learner's side of onboarding: the application form, the status page and the "My
learning" section.

Plain HTML forms, no JavaScript needed. Views only check who is asking and call the services in
:mod:`onboarding.applications`. Case ids appear in URLs; personal data never does.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from lms.courses.views import learner_required

from .applications import EDITABLE_STATES, save_draft, submit_application
from .eligibility import open_case_if_eligible
from .forms import CONSENT_TEXT, KYCForm
from .learner_panels import learner_case
from .models import ApplicantProfile, CaseState, OnboardingCase
from .photos import store_photo
from .progress import progress_of
from .qr import case_qr
from .road import road_for
from .statemachine import TERMINAL_STATES
from .upload_limit import limit_photo_upload, refused_upload

S = CaseState

# What the page says after an action, chosen by the ``done`` query parameter of the redirect
# (the confirmation travels in the URL, never any answer).
DONE = {
    "saved": gettext_lazy("Your answers are saved. You can come back to finish later."),
    "sent": gettext_lazy("Your application is sent. Thank you!"),
    "changed": gettext_lazy("Your changes are saved. The support team will check them."),
    "withdrawn": gettext_lazy("Your consent is withdrawn. Your application is stopped."),
}


def _own_case(request: HttpRequest, case_id: int) -> OnboardingCase:
    case = get_object_or_404(OnboardingCase, pk=case_id)
    if case.learner_id != request.user.pk:
        # Someone else's case answers as one that does not exist: case numbers reveal nothing,
        # not even how many cases there are.
        raise Http404
    return case


@limit_photo_upload
@learner_required
@never_cache
def application(request: HttpRequest, case_id: int) -> HttpResponse:
    """The application form: fill in, save for later, send.

    Never cached: a refused national ID, phone number or RIB comes back in the page for the
    learner to correct, and must not stay in a shared cache or the phone's history.
    """
    case = _own_case(request, case_id)
    status_url = reverse("onboarding_learner:status", args=[case.pk])
    if case.state == S.ACTION_REQUIRED:
        return redirect("onboarding_learner:action_required", case.pk)
    if case.state not in EDITABLE_STATES:
        return redirect(status_url)
    profile = ApplicantProfile.objects.filter(case=case).first()
    if request.method != "POST":
        return _render_form(request, case, KYCForm(profile=profile))

    refused = refused_upload(request)
    if refused is not None:
        # The photo was too big to be received: nothing was read, so nothing is saved.
        form = KYCForm(profile=profile)
        form.errors["photo"] = form.error_class(refused.messages)
        return _render_form(request, case, form, status=413)

    submitting = request.POST.get("action") == "submit"
    form = KYCForm(request.POST, request.FILES, profile=profile, submitting=submitting)
    valid = form.is_valid()
    photo = None
    if "photo" not in form.errors and form.cleaned_data.get("photo"):
        photo = store_photo(case, form.cleaned_data["photo"], request.user)

    if valid and submitting and case.state != S.ACTION_REQUIRED:
        try:
            submit_application(case.pk, form.application(photo), request.user)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            return redirect(f"{status_url}?done=sent")

    # A draft, a form with mistakes, or changes asked for by the provider: keep every valid
    # answer, so nothing typed on a slow phone is lost.
    save_draft(case.pk, form.draft_values(photo), request.user)
    if form.errors:
        profile = ApplicantProfile.objects.filter(case=case).first()
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


@learner_required
def status(request: HttpRequest, case_id: int) -> HttpResponse:
    """Where the learner's case is, and what they have to do next."""
    case = _own_case(request, case_id)
    context = {
        "progress": progress_of(case),
        "done": DONE.get(request.GET.get("done", "")),
        "can_withdraw": case.state not in TERMINAL_STATES,
        "merchant_qr": case_qr(case),
    }
    return render(request, "onboarding/learner/status.html", context)


@learner_required
def my_status(request: HttpRequest) -> HttpResponse:
    """The way to a seller account: the learner's own case, or the courses that open one.

    A learner who meets the rule but has no case yet (the rule changed after they completed
    the courses) gets it here.
    """
    case = open_case_if_eligible(request.user)
    if case is not None:
        return redirect("onboarding_learner:status", case.pk)
    return render(
        request, "onboarding/learner/road.html", {"road": road_for(request.user, request)}
    )


def my_learning_section(request: HttpRequest) -> SafeString | None:
    """The "My learning" section: the seller account's progress and the next action.

    Registered by the host on the ``lms_my_learning_sections`` Wagtail hook. Nothing is shown
    to a learner who has no case (they have not met the onboarding rule).
    """
    if not request.user.is_authenticated:
        return None
    case = learner_case(request)
    if case is None:
        return None
    return render_to_string(
        "onboarding/learner/my_learning_section.html",
        {"progress": progress_of(case)},
        request=request,
    )
