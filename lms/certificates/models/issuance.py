"""What issuing needs beyond the certificates: the status lists their entries are taken from,
and the completions still waiting for their certificate."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_seed() -> str:
    return secrets.token_hex(16)


class StatusList(models.Model):
    """One W3C Bitstring Status List. Entries are handed out in the order of a keyed permutation
    of its slots (:mod:`lms.certificates.permutation`): ``allocated`` counts those taken, and a new
    list is opened when one is full. Written only by :mod:`lms.certificates.status_lists`."""

    number = models.PositiveIntegerField(unique=True)
    size = models.PositiveIntegerField(help_text="slots in the list, fixed when it is opened")
    seed = models.CharField(max_length=64, default=new_seed, editable=False)
    allocated = models.PositiveIntegerField(default=0)
    holds_older = models.BooleanField(
        default=False, help_text="certificates held entries before the list was opened"
    )
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("status list")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(allocated__lte=F("size")), name="status_list_allocated_within_size"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.allocated}/{self.size})"

    @property
    def is_full(self) -> bool:
        return self.allocated >= self.size


class PendingIssuance(models.Model):
    """A completion whose certificate is not issued yet: written when the completion is announced,
    deleted in the transaction that issues the certificate. Retried with a growing delay by
    :mod:`lms.certificates.pending`; after the last attempt it waits for an operator."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        GAVE_UP = "gave_up", _("needs an operator")

    completion = models.OneToOneField(
        "maalem_courses.CourseCompletion",
        on_delete=models.CASCADE,
        related_name="pending_certificate",
        verbose_name=_("completion"),
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.WAITING, verbose_name=_("status")
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    next_attempt_at = models.DateTimeField(default=timezone.now, verbose_name=_("next attempt"))
    last_error = models.CharField(max_length=300, blank=True, verbose_name=_("last error"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("waiting since"))

    class Meta:
        verbose_name = _("certificate waiting to be issued")
        verbose_name_plural = _("certificates waiting to be issued")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="pending_certificate_due")
        ]

    def __str__(self) -> str:
        return f"{self.completion_id} ({self.get_status_display()})"
