"""The certificate PDF: HTML from a Django template, laid out by WeasyPrint.

The fonts and the stylesheet are parsed once per process and reused for every certificate; only
the HTML changes between two renders. The font is Amiri from PyPI (``fontpkg-amiri``), so the
Arabic is shaped the same on every machine, whatever fonts the system has.
"""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import fontpkg_amiri
import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from maalem.core.languages import language_of, stored_language

from .conf import app_settings
from .models import Certificate, CertificateTemplate

STYLESHEET = Path(__file__).parent / "templates" / "certificates" / "pdf" / "certificate.css"
PDF_OPTIONS: dict[str, Any] = {
    # Archivable (PDF/A-3b) and tagged, so screen readers get the text in reading order.
    "pdf_variant": "pdf/a-3b",
    "pdf_tags": True,
}
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
SAMPLE_CODE = "0" * 16

# WeasyPrint's font configuration is not meant for two renders at once; a Celery worker renders
# one certificate at a time anyway, and the admin preview is rare.
_render_lock = threading.Lock()


def font_face_css() -> str:
    files = fontpkg_amiri.ROOT / "files"
    faces = []
    for weight, style, name in (
        (400, "normal", "Amiri-Regular.ttf"),
        (700, "normal", "Amiri-Bold.ttf"),
    ):
        faces.append(
            f'@font-face {{ font-family: "Amiri"; font-weight: {weight}; font-style: {style}; '
            f'src: url("{(files / name).as_uri()}"); }}'
        )
    return "\n".join(faces)


def stylesheet_text() -> str:
    return font_face_css() + "\n" + STYLESHEET.read_text()


@dataclass
class SharedStyle:
    css: CSS
    fonts: FontConfiguration


@lru_cache(maxsize=1)
def shared_style() -> SharedStyle:
    """The parsed stylesheet and the loaded fonts, once per process."""
    fonts = FontConfiguration()
    return SharedStyle(css=CSS(string=stylesheet_text(), font_config=fonts), fonts=fonts)


def qr_data_uri(url: str) -> str:
    # Error level M survives a crease or a thumb over a corner of a printed certificate.
    return segno.make(url, error="m", micro=False).svg_data_uri(border=0, dark="#000")


def image_data_uri(image_id: int | None, spec: str = "max-600x240|format-png") -> str:
    """A template image (logo, signature) inlined as PNG, or "" when it was deleted since."""
    if not image_id:
        return ""
    from wagtail.images import get_image_model

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return ""
    try:
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode()


def _issue_date(certificate: Certificate, language: str) -> str:
    day = timezone.localtime(certificate.issued_at).date()
    if language in RTL_LANGUAGES:
        return day.strftime("%d/%m/%Y")
    from django.utils.formats import date_format

    with translation.override(language):
        return date_format(day, "j F Y")


def printed_snapshot(certificate: Certificate) -> dict[str, Any]:
    """The certificate's template wording, with a new template's for anything it lacks."""
    return {**CertificateTemplate.default_snapshot(), **certificate.template_snapshot}


def _column(certificate: Certificate, snapshot: dict[str, Any], language: str) -> dict[str, Any]:
    # The labels are the template's wording, not gettext: what is printed is decided by whoever
    # edits the template, and stays as it was when the certificate was issued.
    labels = {
        "issued_on": snapshot["date_label"].get(language, ""),
        "code": snapshot["verify_label"].get(language, ""),
    }
    return {
        "language": language,
        "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
        "heading": snapshot["heading"].get(language, ""),
        "statement": snapshot["statement"].get(language, ""),
        "course": certificate.course_title(language),
        "date": _issue_date(certificate, language),
        "labels": labels,
    }


def printed_languages(certificate: Certificate) -> tuple[str, str]:
    """The two languages of the PDF, the learner's own first (the one she reads the site in);
    in the configured order when she reads neither."""
    first, second = app_settings.PDF_LANGUAGES
    learner_language = language_of(certificate.learner_id) if certificate.learner_id else None
    if learner_language == second:
        return second, first
    return first, second


def printed_verification_url(certificate: Certificate) -> str:
    """The address of the QR code: the verification page in the learner's language, which she
    and whoever she shows it to read; ``URL_LANGUAGE`` when her language is not known."""
    language = stored_language(certificate.learner_id) if certificate.learner_id else None
    with translation.override(language or app_settings.URL_LANGUAGE):
        return app_settings.BASE_URL + certificate.verification_path()


def certificate_context(certificate: Certificate) -> dict[str, Any]:
    snapshot = printed_snapshot(certificate)
    first, second = printed_languages(certificate)
    verify_url = printed_verification_url(certificate)
    with translation.override(first):
        issuer = certificate.issuer_name
    context = {
        "certificate": certificate,
        "document_language": first,
        "document_direction": "rtl" if first in RTL_LANGUAGES else "ltr",
        # In reading order: a right-to-left document puts the first language on the right.
        "columns": [
            _column(certificate, snapshot, first),
            _column(certificate, snapshot, second),
        ],
        "title": f"{snapshot['heading'].get(first, '')} · "
        f"{certificate.course_title(first)} · {certificate.learner_name}",
        "issuer": issuer,
        "primary_colour": snapshot["primary_colour"],
        "accent_colour": snapshot["accent_colour"],
        "logo": image_data_uri(snapshot["logo_id"]),
        "partner_logo": image_data_uri(snapshot["partner_logo_id"]),
        "signatories": [
            {
                "name": signatory.get("name", ""),
                "role": " · ".join(
                    role
                    for role in (
                        signatory.get("role", {}).get(first, ""),
                        signatory.get("role", {}).get(second, ""),
                    )
                    if role
                ),
                "signature": image_data_uri(
                    signatory.get("signature_id"), "max-400x160|format-png"
                ),
            }
            for signatory in snapshot["signatories"]
        ],
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url),
        "code": certificate.display_code,
    }
    context.update(certificate.get_pdf_context())
    return context


def certificate_html(certificate: Certificate, inline_styles: bool = False) -> str:
    """The certificate as HTML. With ``inline_styles`` the fonts and stylesheet are in the page
    itself, which is what any HTML-to-PDF tool needs; our own renderer passes them separately."""
    context = certificate_context(certificate)
    context["inline_styles"] = stylesheet_text() if inline_styles else ""
    return render_to_string("certificates/pdf/certificate.html", context)


def html_to_pdf(html: str) -> bytes:
    style = shared_style()
    with _render_lock:
        return HTML(string=html, base_url=str(STYLESHEET.parent)).write_pdf(
            stylesheets=[style.css], font_config=style.fonts, **PDF_OPTIONS
        )


def render_pdf(certificate: Certificate) -> bytes:
    return html_to_pdf(certificate_html(certificate))


def sample_certificate(snapshot: dict[str, Any]) -> Certificate:
    """An unsaved certificate that shows off a template: an Arabic name, both titles."""
    return Certificate(
        learner_name="فاطمة الزهراء بنعلي",
        course_titles={
            "ar": "البيع عبر الإنترنت بالهاتف",
            "fr": "Vendre en ligne avec son téléphone",
            "en": "Selling online with your phone",
        },
        code=SAMPLE_CODE,
        issued_at=timezone.now(),
        template_snapshot=snapshot,
        status_index=0,
    )


def sample_pdf(snapshot: dict[str, Any]) -> bytes:
    return render_pdf(sample_certificate(snapshot))
