"""Public and learner-facing views: verification, download, and the published keys and status.

The verification page is for anyone holding a printed certificate, so it needs no account and no
JavaScript, and it shows only what the certificate itself shows.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from lms.courses.views import sign_in_page
from maalem.core.private_files import PrivateFile, record_access, serve_private_file
from maalem.core.ratelimit import ip_key

from . import codes, credentials
from .conf import app_settings
from .models import Certificate

PDF_KIND = "certificates.pdf"
VIEW_PERMISSION = "maalem_certificates.view_certificate"


def verify_rate(group: str, request: HttpRequest) -> str:
    return app_settings.VERIFY_RATE


def wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def too_many(request: HttpRequest) -> HttpResponse:
    message = _("Too many verification requests. Please wait a minute and try again.")
    if wants_json(request):
        response: HttpResponse = JsonResponse({"error": message}, status=429)
    else:
        response = render(request, "certificates/message.html", {"message": message}, status=429)
    response["Retry-After"] = "60"
    return response


def not_found(request: HttpRequest, typed: str) -> HttpResponse:
    # The same answer for a mistyped code and an unknown one, whatever the case: nothing to learn.
    if wants_json(request):
        return JsonResponse({"error": "not found"}, status=404)
    # The form again, with the code as typed, so that a slip of the finger is mended in place.
    error = _(
        "No certificate has this code. Check the code printed under the QR code and type it again."
    )
    return render(
        request, "certificates/verify_form.html", {"typed": typed, "error": error}, status=404
    )


def public_facts(certificate: Certificate) -> dict[str, Any]:
    """What the verification page tells anyone: nothing that is not printed on the certificate."""
    return {
        "status": "revoked" if certificate.is_revoked else "valid",
        "learner_name": certificate.learner_name,
        "course": certificate.course_title(),
        "issued_on": timezone.localtime(certificate.issued_at).date().isoformat(),
        "issuer": certificate.issuer_name,
        "code": certificate.display_code,
    }


@require_GET
@ratelimit(key=ip_key, rate=verify_rate, group="certificates.verify", block=False)
def verify(request: HttpRequest, code: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return too_many(request)
    certificate = Certificate.objects.filter(code=codes.normalise(code) or "-").first()
    if certificate is None:
        response = not_found(request, code)
    elif wants_json(request):
        response = JsonResponse(
            public_facts(certificate), json_dumps_params={"ensure_ascii": False}
        )
    else:
        facts = public_facts(certificate)
        facts["issued_on"] = formats.date_format(
            timezone.localtime(certificate.issued_at).date(), "DATE_FORMAT"
        )
        response = render(
            request,
            "certificates/verify.html",
            {"facts": facts, "certificate": certificate, "replacement": _replacement(certificate)},
        )
    patch_vary_headers(response, ["Accept"])
    # A revocation must show at once: no shared cache keeps an old answer.
    patch_cache_control(response, no_cache=True)
    return response


def _replacement(certificate: Certificate) -> Certificate | None:
    return getattr(certificate, "replaced_by", None) if certificate.is_revoked else None


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """Type a code, get its page. A plain GET form, so it works with JavaScript off."""
    typed = request.GET.get("code", "")
    if typed:
        code = codes.normalise(typed)
        if code:
            return redirect("certificates:verify", code=codes.grouped(code))
        return render(
            request,
            "certificates/verify_form.html",
            {"typed": typed, "error": _("A code has 16 letters and digits.")},
            status=400,
        )
    return render(request, "certificates/verify_form.html", {"typed": ""})


def _own_certificate(request: HttpRequest, certificate_id: uuid.UUID) -> Certificate | HttpResponse:
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=sign_in_page)
    # Being staff is not enough: someone else's certificate needs the certificates permission.
    if certificate.learner_id != user.pk and not user.has_perm(VIEW_PERMISSION):
        record_access(request, None, granted=False, kind=PDF_KIND, object_ref=str(certificate.pk))
        # Answered as a certificate that does not exist: its id tells a stranger nothing.
        raise Http404
    return certificate


@require_GET
def download_pdf(request: HttpRequest, certificate_id: uuid.UUID) -> HttpResponseBase:
    certificate = _own_certificate(request, certificate_id)
    if isinstance(certificate, HttpResponse):
        return certificate
    if not certificate.pdf_ready:
        return render(
            request,
            "certificates/message.html",
            {"message": _("Your certificate is being prepared. Come back in a minute.")},
            status=202,
        )
    return serve_private_file(
        request,
        PrivateFile(
            name=certificate.pdf.name or "",
            kind=PDF_KIND,
            object_ref=str(certificate.pk),
            content_type="application/pdf",
            download_name=f"certificate-{certificate.display_code}.pdf",
            attachment=True,
        ),
        storage=certificate.pdf.storage,
    )


@require_GET
def download_credential(request: HttpRequest, certificate_id: uuid.UUID) -> HttpResponse:
    """The Open Badges credential (VC-JWT), for the learner to keep in a wallet."""
    certificate = _own_certificate(request, certificate_id)
    if isinstance(certificate, HttpResponse):
        return certificate
    response = HttpResponse(credentials.credential_jwt(certificate), content_type="application/jwt")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.display_code}.jwt"'
    )
    return response


@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(credentials.jwks())
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def status_list(request: HttpRequest, number: int) -> HttpResponse:
    try:
        token = credentials.status_list_jwt(number)
    except credentials.UnknownStatusList:
        raise Http404 from None
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Access-Control-Allow-Origin"] = "*"
    # Verifiers poll this; a few minutes of caching is the delay a revocation may take to reach
    # them, which the W3C list format expects.
    patch_cache_control(response, public=True, max_age=300)
    return response
