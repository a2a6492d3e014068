"""The learner's answer when the payment provider asks for more: the page of an
``action_required`` case.

It shows what the provider asks, in the learner's words, with one input per item
(:func:`onboarding.answers.controls_for`): a photo for a document, a field for a detail to
correct. What is sent is kept by :func:`onboarding.answers.send_answers` and sent by the worker;
the case moves on when the provider says it is satisfied. Plain HTML, no JavaScript needed.
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps

from lms.courses.views import learner_required

from . import answers
from .form_fields import PersonalValueInput, PhotoField
from .models import CaseState, OnboardingCase
from .progress import progress_of
from .values import read_phone, read_rib

# Longest side of a document photo as it is sent: every word of an ID card stays readable.
DOCUMENT_SIDE = 2000

READERS = {"rib": read_rib, "phone": read_phone}


class AnswerForm(forms.Form):
    """One input per control; at least one must be filled in."""

    def __init__(self, controls: list[answers.Control], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.controls = controls
        for control in controls:
            if control.is_file:
                self.fields[control.name] = PhotoField(label=control.label, required=False)
            else:
                self.fields[control.name] = forms.CharField(
                    label=control.label, required=False, max_length=150, widget=PersonalValueInput
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for control in self.controls:
            value = data.get(control.name)
            reader = READERS.get(control.kind)
            if value and not control.is_file and reader is not None:
                try:
                    data[control.name] = reader(value)
                except ValidationError as error:
                    self.add_error(control.name, error)
        if not self.errors and not any(data.get(control.name) for control in self.controls):
            raise ValidationError(_("Send at least one of the items asked for."), code="empty")
        return data

    def photos(self) -> dict[str, answers.Photo]:
        return {
            control.name: reencoded(self.cleaned_data[control.name])
            for control in self.controls
            if control.is_file and self.cleaned_data.get(control.name)
        }

    def details(self) -> dict[str, str]:
        return {
            control.name: str(self.cleaned_data[control.name]).strip()
            for control in self.controls
            if not control.is_file and self.cleaned_data.get(control.name)
        }

    def error_links(self) -> list[tuple[str, str, str]]:
        return [
            (f"id_{name}", str(self.fields[name].label), str(errors[0]))
            for name, errors in self.errors.items()
            if name in self.fields
        ]


def reencoded(upload: UploadedFile) -> answers.Photo:
    """The photo decoded and written again as JPEG: upright, no EXIF (no place, no phone model),
    nothing appended, no larger than an ID card needs."""
    upload.seek(0)
    with PILImage.open(upload) as image:
        upright = ImageOps.exif_transpose(image).convert("RGB")
    upright.thumbnail((DOCUMENT_SIDE, DOCUMENT_SIDE))
    buffer = io.BytesIO()
    upright.save(buffer, "JPEG", quality=85, optimize=True)
    return answers.Photo(buffer.getvalue(), "image/jpeg")


@learner_required
def action_required(request: HttpRequest, case_id: int) -> HttpResponse:
    """What the provider asks for, and the form that sends it."""
    case = get_object_or_404(OnboardingCase, pk=case_id, learner=request.user)
    status_url = reverse("onboarding_learner:status", args=[case.pk])
    if case.state != CaseState.ACTION_REQUIRED:
        return redirect(status_url)
    controls = answers.controls_for(case.requirements)
    form = AnswerForm(controls)
    if request.method == "POST":
        form = AnswerForm(controls, request.POST, request.FILES)
        if form.is_valid():
            answers.send_answers(case.pk, request.user, form.photos(), form.details())
            return redirect(f"{request.path}?done=sent")
    progress = progress_of(case)
    sent = answers.answers_since_asked(case)
    context = {
        "case": case,
        "form": form,
        "progress": progress,
        "asked": progress.next_action.details,
        "sent": [(answer, _label_of(answer, controls)) for answer in sent],
        "done": request.method == "GET" and request.GET.get("done") == "sent",
        "has_photo": any(control.is_file for control in controls),
    }
    return render(request, "onboarding/learner/action_required.html", context)


def _label_of(answer: Any, controls: list[answers.Control]) -> str:
    for control in controls:
        if control.kind == answer.kind and control.requirement == answer.requirement:
            return str(control.label)
    return str(_("Your corrections")) if not answer.is_document else str(answer.kind)
