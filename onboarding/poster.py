"""The seller's QR poster: an A6 page in Arabic and French to stick on her stall.

Laid out by WeasyPrint with the certificates' Amiri font (from PyPI), so the Arabic is shaped
the same on every machine. The code on it is the static one of :mod:`onboarding.qr`: the buyer
scans it and types the amount.
"""

from __future__ import annotations

import threading

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from lms.certificates.rendering import font_face_css
from maalem.core.text import without_bidi_controls

from .models import ApplicantProfile, OnboardingCase
from .qr import SellerQR, merchant_qr, split_name
from .qr_tables import REGION_SEATS

# WeasyPrint's font handling is not meant for two renders at once in one process.
_render_lock = threading.Lock()


def _column(language: str, craft: object | None, city: str) -> dict[str, str]:
    with translation.override(language):
        return {
            "language": language,
            "direction": "rtl" if language == "ar" else "ltr",
            "scan": translation.gettext("Scan to pay"),
            "how": translation.gettext("with the app of your bank or of your mobile wallet"),
            "amount": translation.gettext("You type the amount yourself."),
            "craft": getattr(craft, f"name_{language}", "") if craft is not None else "",
            "city": city,
        }


def poster_html(case: OnboardingCase, applicant: ApplicantProfile, code: SellerQR) -> str:
    latin_city, arabic_city = REGION_SEATS.get(applicant.region, (code.qr.city, ""))
    name, arabic_name = split_name(applicant.shop_name)
    craft = applicant.craft
    context = {
        "fonts": font_face_css(),
        "shop_name": without_bidi_controls(applicant.shop_name).strip() or name,
        "arabic_name": arabic_name,
        "latin_name": name,
        "qr": code.svg_data_uri(),
        # Right to left, the Arabic column comes first in reading order, on the right.
        "columns": [
            _column("ar", craft, arabic_city or latin_city),
            _column("fr", craft, latin_city),
        ],
    }
    return render_to_string("onboarding/poster/poster.html", context)


def poster_pdf(case: OnboardingCase) -> bytes | None:
    """The poster of ``case`` as PDF bytes, or None while it has no QR code."""
    applicant = ApplicantProfile.objects.filter(case=case).select_related("craft__chain").first()
    code = merchant_qr(case, applicant)
    if code is None or applicant is None:
        return None
    html = poster_html(case, applicant, code)
    with _render_lock:
        pdf: bytes = HTML(string=html).write_pdf(pdf_tags=True)
    return pdf
