"""The kernel's records: the language each learner reads, who was handed which private file,
and when, and the exports staff asked for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .private_files import private_storage


class LearnerLanguage(models.Model):
    """The language a learner last read the site in. Texts and certificates speak it, so a
    message sent from a worker, far from any request, reaches her in her language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="learner_language",
        verbose_name=_("learner"),
    )
    language = models.CharField(_("language"), max_length=15)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learner's language")
        verbose_name_plural = _("learners' languages")

    def __str__(self) -> str:
        return f"language of user {self.user_id}: {self.language}"


class PrivateFileAccess(models.Model):
    """One request for a private file (an identity photo, a certificate), granted or refused.

    Rows are only ever added. They name the file by its kind, the record it belongs to and its
    random stored name: never a person's name, number or anything they typed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    kind = models.CharField(_("kind of file"), max_length=50)
    object_ref = models.CharField(_("belongs to"), max_length=64)
    name = models.CharField(_("stored name"), max_length=255, blank=True)
    granted = models.BooleanField(_("granted"))
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("private file access")
        verbose_name_plural = _("private file accesses")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "object_ref"], name="private_access_by_object")]

    def __str__(self) -> str:
        verdict = "granted" if self.granted else "refused"
        return f"{self.kind} {self.object_ref}: {verdict} to user {self.user_id or '-'}"


class ErasureRecord(models.Model):
    """That an account was erased at its owner's request: when, and which kinds of data went.

    It names no one: the pseudonym is random and is also what her kept certificates print.
    """

    pseudonym = models.CharField(_("pseudonym"), max_length=32, unique=True)
    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True)
    kinds = models.JSONField(_("what was erased"), default=list)
    certificates_kept = models.BooleanField(_("certificates kept under the pseudonym"))

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")

    def __str__(self) -> str:
        return f"erasure {self.pseudonym}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Deleted after its retention period")


class Export(models.Model):
    """A report's export, written by a worker and downloaded from the admin's "Exports" page.

    It keeps what the staff member was looking at (the report's URL name and its query-string
    parameters, which the worker applies again through the report's own view, as that member),
    how far the writing has gone, and the file in the private storage. When the file is deleted
    after ``MAALEM_EXPORT_RETENTION_DAYS``, the row stays: who exported what, and when.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    report = models.CharField(_("report"), max_length=100)
    parameters = models.JSONField(_("filters"), default=dict, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    language = models.CharField(_("language"), max_length=15, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    rows_estimate = models.PositiveIntegerField(_("rows expected"), null=True, blank=True)
    file = models.FileField(_("file"), storage=private_storage, max_length=255, blank=True)
    download_name = models.CharField(_("file name"), max_length=150, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The run that holds the export, and when it last wrote: a second delivery of the task waits
    # while this is recent, and takes over once it is not (the first worker died).
    run_token = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="export_by_user"),
            models.Index(fields=["status", "finished_at"], name="export_by_status"),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.report} ({self.format}): {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def percent(self) -> int | None:
        if not self.rows_estimate:
            return None
        return min(100, self.rows_written * 100 // self.rows_estimate)
