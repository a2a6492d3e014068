"""Onboarding records: the rule, the cases and their timeline, the applicant, the steps (the
outbox) and the webhooks received. Seller profiles are the marketplace's own records.

A case's ``state`` is written only by :mod:`onboarding.statemachine`; a step's status only by
the outbox (:mod:`onboarding.steps` and :mod:`onboarding.outbox`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from maalem.core.private_files import private_storage, random_name

# Defined beside, kept here so that "from .models import ProviderAnswer" works like the others.
from .answer_models import ProviderAnswer as ProviderAnswer
from .pii import EncryptedPIIField
from .providers.base import Applicant, PayoutMethod
from .webhook_models import WebhookEvent as WebhookEvent


@register_setting(icon="tick-inverse")
class OnboardingRule(ClusterableModel, BaseGenericSetting):
    """Which courses a learner must complete to be offered a seller account.

    One rule for the whole installation, edited by an operator in Settings. Courses are matched
    by translation key, so completing any language version counts.
    """

    required_courses = ParentalManyToManyField(
        "maalem_courses.CoursePage",
        blank=True,
        related_name="+",
        verbose_name=_("required courses"),
        help_text=_(
            "A learner who has completed all of these courses is offered a seller account. "
            "With none selected, nobody is."
        ),
    )

    panels = [FieldPanel("required_courses")]

    class Meta:
        verbose_name = _("onboarding rule")

    def required_course_keys(self) -> set[uuid.UUID]:
        return set(self.required_courses.values_list("translation_key", flat=True))


class CaseState(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    KYC_PENDING = "kyc_pending", _("Filling in the application")
    SUBMITTED = "submitted", _("Submitted")
    PROVISIONING = "provisioning", _("Opening the accounts")
    ACTIVE = "active", _("Active seller")
    MANUAL_REVIEW = "manual_review", _("Manual review")
    ACTION_REQUIRED = "action_required", _("Action required")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FAILED_NEEDS_OPERATOR = "failed_needs_operator", _("Failed, needs an operator")


class OnboardingCase(models.Model):
    """One learner's way from certified learner to paid seller."""

    # A record the workers write many times, not content: no "usage" entry in Wagtail's reference
    # index, which would cost a read and a write at each save once the admin has been loaded.
    wagtail_reference_index_ignore = True

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="onboarding_cases",
        verbose_name=_("learner"),
    )
    state = models.CharField(
        _("state"),
        max_length=32,
        choices=CaseState.choices,
        default=CaseState.ELIGIBLE,
        db_index=True,
        editable=False,
    )
    payment_account_ref = models.CharField(_("payment account"), max_length=100, blank=True)
    payment_account_status = models.CharField(
        _("payment account status"), max_length=20, blank=True
    )
    payment_account_updated_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="the provider's last-change time of the account state applied, to ignore older "
        "snapshots that arrive late",
    )
    requirements = models.JSONField(
        _("missing items"),
        default=list,
        blank=True,
        help_text=_("What the payment provider still needs from the learner."),
    )
    # The provider's QR identifiers of the account ({"gui", "merchant_id"}), kept from when it
    # was last active: what the seller's merchant-presented QR code carries (onboarding.qr).
    merchant_qr = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("onboarding case")
        verbose_name_plural = _("onboarding cases")
        indexes = [models.Index(fields=["updated_at"], name="case_updated_at")]
        constraints = [
            models.UniqueConstraint(fields=["learner"], name="one_onboarding_case_per_learner")
        ]
        permissions = [
            ("review_case", _("Can approve or reject a case in manual review")),
            ("retry_case", _("Can retry a case that needs an operator")),
            ("withdraw_case", _("Can withdraw a case")),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk} ({self.state})"


class CaseTransition(models.Model):
    """One line of a case's timeline."""

    case = models.ForeignKey(OnboardingCase, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("from"), max_length=32, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=32, choices=CaseState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(
        _("by what"), max_length=50, help_text=_('Who or what, e.g. "system" or "sweeper".')
    )
    reason = models.CharField(_("why"), max_length=255)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("case transition")
        ordering = ["at", "pk"]
        # The funnel counts the cases that ever reached a state from this index alone.
        indexes = [models.Index(fields=["to_state", "case"], name="case_transition_reached")]

    def __str__(self) -> str:
        return f"{self.from_state or '-'} → {self.to_state}"


def applicant_photo_name(profile: ApplicantProfile, filename: str) -> str:
    """A random name: the client's file name is never kept (it may say who, or be ``x.html``)."""
    return random_name("onboarding/photos", "jpg")


class ApplicantProfile(models.Model):
    """What the learner told us to open their accounts. The national ID, the phone number and
    the RIB are encrypted at rest; ``cin_digest`` finds duplicates without decrypting."""

    case = models.OneToOneField(OnboardingCase, on_delete=models.CASCADE, related_name="applicant")
    # Blank and null while the application is a draft (the package stores an empty value as
    # NULL); submitting requires both.
    cin = EncryptedPIIField(_("national ID number"), max_length=500, blank=True, null=True)
    cin_digest = models.CharField(max_length=64, db_index=True, editable=False, blank=True)
    phone = EncryptedPIIField(_("mobile number"), max_length=500, blank=True, null=True)
    artisan_register_number = models.CharField(
        _("national artisan register number"), max_length=50, blank=True
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    craft = models.ForeignKey(
        "maalem_crafts.Craft",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("craft"),
    )
    shop_name = models.CharField(_("shop name"), max_length=120, blank=True)
    # A private file, never a Wagtail image: see onboarding.photos.
    photo = models.FileField(
        _("photo"),
        storage=private_storage,
        upload_to=applicant_photo_name,
        max_length=255,
        blank=True,
        editable=False,
    )
    payout_method = models.CharField(
        _("payout method"), max_length=10, choices=PayoutMethod.choices, blank=True
    )
    # null: the package stores an empty value as NULL.
    rib = EncryptedPIIField(_("bank RIB"), max_length=500, blank=True, null=True)
    wallet_phone = EncryptedPIIField(
        _("mobile wallet number"),
        max_length=500,
        blank=True,
        null=True,
        help_text=_("Empty: the wallet is on the mobile number."),
    )
    consent_text = models.TextField(_("consent text"), blank=True)
    consented_at = models.DateTimeField(_("consented at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("applicant profile")

    def __str__(self) -> str:
        # Never the national ID or the phone: this shows up in the admin and in logs.
        return f"Applicant of case {self.case_id}"

    def as_provider_applicant(self) -> Applicant:
        """What the payment provider needs to open the account, decrypted."""
        learner = self.case.learner
        name = learner.get_full_name() or learner.get_username()
        return Applicant(
            reference=str(self.case_id),
            name=name,
            national_id=self.cin or "",
            phone=self.phone or "",
            shop_name=self.shop_name or name,
            payout_method=self.payout_method or PayoutMethod.WALLET,
            # Empty wallet number: the wallet is on the mobile number.
            payout_phone=(self.wallet_phone or self.phone or "")
            if self.payout_method != PayoutMethod.BANK
            else "",
            rib=(self.rib or "") if self.payout_method == PayoutMethod.BANK else "",
            artisan_register_number=self.artisan_register_number,
            region=self.region,
            craft=self.craft.code if self.craft is not None else "",
        )

    @property
    def region_name(self) -> str:
        """The region in the active language (it is stored under its untranslated name)."""
        return gettext(self.region) if self.region else ""


class StepKind(models.TextChoices):
    PAYMENT_ACCOUNT = "payment_account", _("Payment account")
    SELLER_PROFILE = "seller_profile", _("Seller profile")
    # One step per answer to the provider's requests (see ProviderAnswer): there may be many.
    DOCUMENT = "document", _("Document for the provider")
    ACCOUNT_CHANGES = "account_changes", _("Corrections for the provider")
    CLOSE_ACCOUNT = "close_account", _("Closing of the payment account")  # after a withdrawal


SINGLE_STEP_KINDS = [StepKind.PAYMENT_ACCOUNT, StepKind.SELLER_PROFILE, StepKind.CLOSE_ACCOUNT]


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class OnboardingStep(models.Model):
    """One external effect of a case, kept as an outbox row until it has succeeded.

    A failed step with a ``next_attempt_at`` is retried then; without one it has given up.
    ``enqueued_at``: when its message becomes due, until a worker claims it (the sweeper's cue).
    """

    case = models.ForeignKey(OnboardingCase, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("attempts allowed"))
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)
    external_ref = models.CharField(_("provider reference"), max_length=100, blank=True)
    last_response = models.JSONField(_("last answer"), default=dict, blank=True)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    # Fixed at creation and sent on every attempt: the provider tells a retry from a new request.
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("onboarding step")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(kind__in=SINGLE_STEP_KINDS),
                name="one_step_of_each_kind_per_case",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="onboarding_step_due")]

    def __str__(self) -> str:
        return f"{self.kind} of case {self.case_id} ({self.status})"
