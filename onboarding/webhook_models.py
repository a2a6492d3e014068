"""The provider's notifications as received: stored by event id before they are processed
(:mod:`onboarding.webhooks`, :mod:`onboarding.account_updates`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.Model):
    """A provider's notification, stored by its event id before it is processed, so a
    duplicate delivery is recognised and acknowledged without being processed twice."""

    provider = models.CharField(max_length=30)
    event_id = models.CharField(max_length=100)
    type = models.CharField(max_length=50)
    account_ref = models.CharField(max_length=100, blank=True)
    created = models.BigIntegerField(help_text="the provider's timestamp")
    payload = models.JSONField(default=dict, blank=True, help_text="with personal data removed")
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)  # an unknown account's wait

    class Meta:
        verbose_name = _("webhook event")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="one_webhook_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.type} {self.event_id}"
