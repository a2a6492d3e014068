"""The seller's QR poster (PDF), for the seller herself or an operator allowed to see cases.

Its address holds only the case number; anyone else gets the 404 of a case that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from lms.courses.views import sign_in_page

from .models import OnboardingCase
from .photos import may_see_photo
from .poster import poster_pdf


@require_GET
def qr_poster(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(OnboardingCase, pk=case_id)
    if not may_see_photo(request.user, case):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=sign_in_page)
        raise Http404
    pdf = poster_pdf(case)
    if pdf is None:  # the account cannot be paid (yet, or any more)
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="qr-poster-{case.pk}.pdf"'
    patch_cache_control(response, private=True, no_store=True)
    return response
