"""Certificate templates: how certificates look and what they say, edited in the Wagtail admin.

A template's fields are also what a certificate says when no template has been published yet
(:meth:`CertificateTemplate.default_snapshot`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.validators import RegexValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, Orderable, PreviewableMixin, RevisionMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour such as #1d4e89."))
LANGUAGE_CODES = ("ar", "fr", "en")


class CertificateTemplate(DraftStateMixin, RevisionMixin, PreviewableMixin, ClusterableModel):
    """How certificates look and what they say. Edited in the Wagtail admin, with drafts,
    revisions and a PDF preview; a certificate keeps the published revision it was issued with."""

    name = models.CharField(max_length=120, verbose_name=_("name"))
    is_default = models.BooleanField(
        default=True,
        verbose_name=_("use for new certificates"),
        help_text=_("New certificates use the most recently published template that has this."),
    )
    issuer_name = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("issuer"),
        help_text=_("Who issues the certificate. Leave empty to use the site's name."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    partner_logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("partner logo"),
    )
    primary_colour = models.CharField(
        max_length=7,
        default="#1d4e89",
        validators=[colour_validator],
        verbose_name=_("main colour"),
    )
    accent_colour = models.CharField(
        max_length=7,
        default="#b8860b",
        validators=[colour_validator],
        verbose_name=_("accent colour"),
    )
    heading_ar = models.CharField(
        max_length=120, default="شهادة", verbose_name=_("heading (Arabic)")
    )
    heading_fr = models.CharField(
        max_length=120, default="Certificat", verbose_name=_("heading (French)")
    )
    heading_en = models.CharField(
        max_length=120, default="Certificate", verbose_name=_("heading (English)")
    )
    statement_ar = models.CharField(
        max_length=300,
        default="أتمّ(ت) بنجاح الدورة التكوينية",
        verbose_name=_("statement (Arabic)"),
        help_text=_("Printed between the learner's name and the course title."),
    )
    statement_fr = models.CharField(
        max_length=300,
        default="a suivi avec succès la formation",
        verbose_name=_("statement (French)"),
    )
    statement_en = models.CharField(
        max_length=300,
        default="has successfully completed the course",
        verbose_name=_("statement (English)"),
    )

    date_label_ar = models.CharField(
        max_length=60, default="بتاريخ", verbose_name=_("before the date (Arabic)")
    )
    date_label_fr = models.CharField(
        max_length=60, default="Délivré le", verbose_name=_("before the date (French)")
    )
    date_label_en = models.CharField(
        max_length=60, default="Issued on", verbose_name=_("before the date (English)")
    )
    verify_label_ar = models.CharField(
        max_length=120, default="رمز التحقق", verbose_name=_("verification label (Arabic)")
    )
    verify_label_fr = models.CharField(
        max_length=120,
        default="Code de vérification",
        verbose_name=_("verification label (French)"),
    )
    verify_label_en = models.CharField(
        max_length=120, default="Verification code", verbose_name=_("verification label (English)")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("is_default"),
        FieldPanel("issuer_name"),
        FieldRowPanel([FieldPanel("logo"), FieldPanel("partner_logo")], heading=_("Logos")),
        FieldRowPanel(
            [FieldPanel("primary_colour"), FieldPanel("accent_colour")], heading=_("Colours")
        ),
        MultiFieldPanel(
            [FieldPanel("heading_ar"), FieldPanel("heading_fr"), FieldPanel("heading_en")],
            heading=_("Heading"),
        ),
        MultiFieldPanel(
            [FieldPanel("statement_ar"), FieldPanel("statement_fr"), FieldPanel("statement_en")],
            heading=_("Statement"),
        ),
        MultiFieldPanel(
            [FieldPanel(f"date_label_{code}") for code in LANGUAGE_CODES]
            + [FieldPanel(f"verify_label_{code}") for code in LANGUAGE_CODES],
            heading=_("Labels"),
        ),
        InlinePanel("signatories", label=_("Signatories"), max_num=3),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def default_snapshot(cls) -> dict[str, Any]:
        """What a certificate says when no template has been published yet: the wording and
        colours a new template starts with, which the fields above define."""
        return cls().snapshot()

    def snapshot(self) -> dict[str, Any]:
        """Everything a certificate needs from this template, as plain JSON."""
        return {
            "name": self.name,
            "issuer_name": self.issuer_name,
            "logo_id": self.logo_id,
            "partner_logo_id": self.partner_logo_id,
            "primary_colour": self.primary_colour,
            "accent_colour": self.accent_colour,
            "heading": {code: getattr(self, f"heading_{code}") for code in LANGUAGE_CODES},
            "statement": {code: getattr(self, f"statement_{code}") for code in LANGUAGE_CODES},
            "date_label": {code: getattr(self, f"date_label_{code}") for code in LANGUAGE_CODES},
            "verify_label": {
                code: getattr(self, f"verify_label_{code}") for code in LANGUAGE_CODES
            },
            "signatories": [
                {
                    "name": signatory.name,
                    "role": {code: getattr(signatory, f"role_{code}") for code in LANGUAGE_CODES},
                    "signature_id": signatory.signature_id,
                }
                for signatory in self.signatories.all()
            ],
        }

    @property
    def preview_modes(self) -> list[tuple[str, StrOrPromise]]:
        return [("", _("PDF"))]

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        # The admin's preview panel shows the PDF itself, so an editor sees exactly what a
        # learner will print, Arabic shaping included.
        from ..rendering import sample_pdf

        response = HttpResponse(sample_pdf(self.snapshot()), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="certificate-preview.pdf"'
        return response


class CertificateSignatory(Orderable):
    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(max_length=120, verbose_name=_("name"))
    role_ar = models.CharField(max_length=120, blank=True, verbose_name=_("role (Arabic)"))
    role_fr = models.CharField(max_length=120, blank=True, verbose_name=_("role (French)"))
    role_en = models.CharField(max_length=120, blank=True, verbose_name=_("role (English)"))
    signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signature image"),
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("role_ar"), FieldPanel("role_fr"), FieldPanel("role_en")]),
        FieldPanel("signature"),
    ]
