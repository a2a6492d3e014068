"""The applicant's photo, served to the learner herself or to an operator allowed to see cases,
through :func:`maalem.core.private_files.serve_private_file` (which writes the access row).
Link to it with :func:`onboarding.photos.photo_url`."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from lms.courses.views import sign_in_page
from maalem.core.private_files import record_access, serve_private_file

from .models import ApplicantProfile, OnboardingCase
from .photos import PHOTO_KIND, may_see_photo, served_photo


@require_GET
def case_photo(request: HttpRequest, case_id: int) -> HttpResponseBase:
    case = get_object_or_404(OnboardingCase, pk=case_id)
    if not may_see_photo(request.user, case):
        record_access(request, None, granted=False, kind=PHOTO_KIND, object_ref=str(case.pk))
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=sign_in_page)
        raise Http404  # someone else's case answers as one that does not exist
    name = ApplicantProfile.objects.filter(case=case).values_list("photo", flat=True).first()
    if not name:
        raise Http404
    return serve_private_file(request, served_photo(case, name))
