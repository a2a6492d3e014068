"""Listens to lms.certificates, and to the case's own state changes for notifications."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from lms.certificates.signals import certificate_issued

from . import eligibility
from .models import OnboardingRule
from .road import forget_required_courses
from .signals import case_state_changed

# The required courses that learner pages show are cached (onboarding.road): a change to the
# rule, or to which courses it requires, drops them.
post_save.connect(forget_required_courses, sender=OnboardingRule, dispatch_uid="onboarding.rule")
post_delete.connect(
    forget_required_courses, sender=OnboardingRule, dispatch_uid="onboarding.rule_deleted"
)
m2m_changed.connect(
    forget_required_courses,
    sender=OnboardingRule.required_courses.through,
    dispatch_uid="onboarding.rule_courses",
)


@receiver(certificate_issued, dispatch_uid="onboarding.open_case_on_certificate")
def open_case_on_certificate(sender: Any, learner: Any, **kwargs: Any) -> None:
    eligibility.open_case_if_eligible(learner)


@receiver(case_state_changed, dispatch_uid="onboarding.notify_on_state_change")
def notify_on_state_change(sender: Any, case: Any, to_state: str, **kwargs: Any) -> None:
    from . import notifications
    from .tasks import notify_learner

    # Sent after the commit already; the text goes out from a worker, never from the request.
    if notifications.message_for(to_state) is not None:
        notify_learner.delay(case.pk, to_state)
