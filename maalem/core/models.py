"""The kernel's records: the language each learner reads, and who was handed which private
file, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
