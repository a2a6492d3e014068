"""The learner's "Your data" pages: download everything held about her, or erase her account.

The download is a zip built in a temporary file (:func:`maalem.core.personal_data.write_zip`),
served as an attachment and never stored under ``MEDIA_URL``; each download is recorded as a
private file access, naming the account by its id only. Erasing asks first, on its own page:
only the POST of that page erases (:func:`maalem.core.personal_data.erase_user`), then signs
her out. Every app contributes through the kernel's registry; these views import none.
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from maalem.core import personal_data
from maalem.core.models import PrivateFileAccess

logger = logging.getLogger(__name__)

EXPORT_NAME = "my-data.zip"


class EraseForm(forms.Form):
    remove_certificates = forms.BooleanField(
        required=False,
        label=_("Also remove my certificates"),
        help_text=_(
            "If you leave this unticked, your certificates stay valid and show a pseudonym "
            "instead of your name."
        ),
    )
    understood = forms.BooleanField(
        required=True,
        label=_("I understand that my account is erased for good"),
        error_messages={
            "required": _("Tick this box to confirm that you want to erase your account.")
        },
    )


@login_required
@never_cache
@require_GET
def your_data(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/your_data.html")


@login_required
@never_cache
@require_GET
def download(request: HttpRequest) -> FileResponse:
    user: Any = request.user
    archive = personal_data.write_zip(user)
    PrivateFileAccess.objects.create(
        user=user, kind="data_export", object_ref=str(user.pk), granted=True
    )
    logger.info("user %s downloaded their data", user.pk)
    response = FileResponse(archive, as_attachment=True, filename=EXPORT_NAME)
    response["Content-Type"] = "application/zip"
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    """GET asks "are you sure?" with the certificates' choice; the POST erases."""
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user: Any = request.user
        personal_data.erase_user(
            user.pk, keep_certificates=not form.cleaned_data["remove_certificates"]
        )
        logout(request)
        return redirect("maalem_rights:erased")
    return render(request, "accounts/erase.html", {"form": form})


@never_cache
@require_GET
def erased(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/erased.html")
