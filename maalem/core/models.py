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
