"""Certificates, and the record of what staff did to them.

A certificate is a snapshot: the learner's name, the course titles and the template's wording are
copied onto it when it is issued, so editing a course or a template later changes no certificate
already in someone's hands.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from maalem.core.private_files import private_storage, random_name

from .. import codes
from ..conf import app_settings


def certificate_upload_to(certificate: Certificate, filename: str) -> str:
    """A random name in the private storage: not the date, the id or the learner's name."""
    return random_name("certificates", "pdf")


class Certificate(models.Model):
    """Proof that a learner completed a course. Issued only by :mod:`lms.certificates.issuing`."""

    # A record the workers write many times, not content: no "usage" entry in Wagtail's reference
    # index, which would cost a read and a write at each save once the admin has been loaded.
    wagtail_reference_index_ignore = True

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    completion = models.ForeignKey(
        "maalem_courses.CourseCompletion",
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("completion"),
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("learner"),
    )
    course_key = models.UUIDField(db_index=True, help_text="translation_key of the course page")
    course_titles = models.JSONField(
        default=dict, verbose_name=_("course title"), help_text="language code -> title"
    )
    learner_name = models.CharField(max_length=300, verbose_name=_("name as printed"))
    code = models.CharField(
        max_length=codes.LENGTH, unique=True, editable=False, verbose_name=_("verification code")
    )
    issued_at = models.DateTimeField(default=timezone.now, verbose_name=_("issued at"))
    template_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("template revision"),
    )
    template_snapshot = models.JSONField(default=dict)
    # Private: served only by the download view, to the learner or staff allowed to see it.
    pdf = models.FileField(
        upload_to=certificate_upload_to,
        storage=private_storage,
        max_length=255,
        blank=True,
        verbose_name=_("PDF"),
    )
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    status_list = models.PositiveSmallIntegerField(default=1)
    status_index = models.PositiveIntegerField()
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    revoked_reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason"))

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        permissions = [("revoke_certificate", "Can revoke and reissue certificates")]
        # The admin listing sorts by it, newest first, over every certificate ever issued.
        indexes = [models.Index(fields=["issued_at"], name="certificate_issued_at")]
        constraints = [
            # One certificate per completion; a reissue is the only other one, and it points
            # at the certificate it replaces.
            models.UniqueConstraint(
                fields=["completion"],
                condition=models.Q(replaces__isnull=True),
                name="one_certificate_per_completion",
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_certificate_per_status_entry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_name} · {self.course_title()}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def pdf_ready(self) -> bool:
        return bool(self.pdf) and self.pdf_rendered_at is not None

    @property
    def display_code(self) -> str:
        return codes.grouped(self.code)

    @property
    def issuer_name(self) -> str:
        return self.template_snapshot.get("issuer_name") or app_settings.ISSUER_NAME

    def course_title(self, language: str | None = None) -> str:
        """The course title as issued, in ``language`` (the active one by default) if the
        course had that translation, else in the site's default language, else in any."""
        language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
        for code in (language, settings.LANGUAGE_CODE[:2]):
            if self.course_titles.get(code):
                return self.course_titles[code]
        return next(iter(self.course_titles.values()), "")

    def verification_path(self) -> str:
        """The verification page in the active language, for links on the learner's pages."""
        return reverse("certificates:verify", kwargs={"code": self.display_code})

    def verification_url(self) -> str:
        """The verification page's full address, as the QR code prints it and the credential
        names it. It is the same wherever it is built, in a request or in a worker: always in
        ``LMS_CERTIFICATES_URL_LANGUAGE``, never in whatever language happens to be active."""
        with translation.override(app_settings.URL_LANGUAGE):
            return app_settings.BASE_URL + self.verification_path()

    def get_pdf_context(self) -> dict[str, Any]:
        """Override point: extra context for the PDF template, merged over the default one."""
        return {}


class CertificateEvent(models.Model):
    """Who did what to a certificate, and why. Rows are only ever added."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("issued")
        REVOKED = "revoked", _("revoked")
        REISSUED = "reissued", _("reissued")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices, verbose_name=_("action"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("when"))

    class Meta:
        verbose_name = _("certificate event")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
