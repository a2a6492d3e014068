"""What a learner sends back when the payment provider asks for more: one row per document or
set of corrections, each sent by its own outbox step (:mod:`onboarding.answers`).

The content (an ID card's photo, a corrected RIB) is personal: it is kept encrypted, only until
the provider has it, then erased. Rows name the case and the requirement, never the person.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from maalem.core.encryption import current_fernet

CHANGES = "changes"


class ProviderAnswer(models.Model):
    """A document (``kind`` is a :class:`onboarding.providers.base.DocumentKind` value) or
    corrections (``kind`` is ``"changes"``) for the provider's requirement ``requirement``."""

    case = models.ForeignKey(
        "maalem_onboarding.OnboardingCase",
        on_delete=models.CASCADE,
        related_name="provider_answers",
    )
    step = models.OneToOneField(
        "maalem_onboarding.OnboardingStep", on_delete=models.CASCADE, related_name="answer"
    )
    requirement = models.CharField(_("requirement"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30)
    content_type = models.CharField(max_length=50, blank=True)
    size = models.PositiveIntegerField(default=0)
    # Fernet token of the content; emptied once the provider has it.
    sealed = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer to the payment provider")

    def __str__(self) -> str:
        return f"{self.kind} for {self.requirement} of case {self.case_id}"

    def seal(self, content: bytes) -> None:
        self.size = len(content)
        self.sealed = current_fernet().encrypt(content).decode("ascii")

    def content(self) -> bytes:
        if not self.sealed:
            raise ValueError(f"answer {self.pk} was sent and erased")
        return current_fernet().decrypt(self.sealed.encode("ascii"))

    def seal_changes(self, changes: dict[str, str]) -> None:
        self.seal(json.dumps(changes).encode())

    def changes(self) -> dict[str, Any]:
        data = json.loads(self.content())
        return data if isinstance(data, dict) else {}

    @property
    def is_document(self) -> bool:
        return self.kind != CHANGES
