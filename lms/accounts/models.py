from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maalem.core.phones import EncryptedPhoneField, phone_digest


def phone_of_learner(user: Any) -> str | None:
    """The number ``user`` signs in with, for :func:`maalem.core.sms.phone_of`."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return None
    row = LearnerPhone.objects.filter(user_id=user_id).first()
    return str(row.phone) if row is not None and row.phone else None


class LearnerPhone(models.Model):
    """The mobile number a learner signs in with: one per account, one account per number."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learner_phone",
        verbose_name=_("learner"),
    )
    phone = EncryptedPhoneField(_("phone number"), max_length=32)
    # Unique, so two accounts can never share a number; derived from ``phone`` on every save.
    phone_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("learner phone number")
        verbose_name_plural = _("learner phone numbers")

    def __str__(self) -> str:
        return f"phone of user {self.user_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.phone_digest = phone_digest(self.phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_digest"}
        super().save(*args, **kwargs)


class SignInCode(models.Model):
    """A one-time code sent by SMS. Its id is what the learner's session remembers.

    The code itself is only kept as a keyed hash; the number is kept encrypted, to create the
    account of a new learner once the code is right.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    phone = EncryptedPhoneField(max_length=32)
    phone_digest = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")

    def __str__(self) -> str:
        return f"sign-in code {self.pk}"
