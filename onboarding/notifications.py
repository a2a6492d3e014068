"""Text messages to the learner at the moments that matter."""

from __future__ import annotations

import logging

from django.utils import translation
from django.utils.translation import gettext as _

from maalem.core.phones import mask_phone
from maalem.core.sms import send_sms

from .models import CaseState, OnboardingCase

logger = logging.getLogger(__name__)


def message_for(state: str) -> str | None:
    """The text sent when a case enters ``state``, or None for the states that send nothing."""
    messages: dict[str, str] = {
        CaseState.ELIGIBLE: _(
            "Congratulations! You can now open your seller account. Sign in to fill in the form."
        ),
        # The same words for both: a learner is not told that their application was flagged.
        CaseState.SUBMITTED: _(
            "We received your seller application. We will text you when your account is open."
        ),
        CaseState.MANUAL_REVIEW: _(
            "We received your seller application. We will text you when your account is open."
        ),
        CaseState.ACTION_REQUIRED: _(
            "Your payment account needs more information. Sign in to see what to do next."
        ),
        CaseState.ACTIVE: _(
            "Your payment account is open and your shop is live on the marketplace."
        ),
        CaseState.REJECTED: _("Your seller application was not accepted. Sign in for details."),
    }
    return messages.get(state)


def notify_learner(case_id: int, state: str) -> bool:
    """Text the learner about their case entering ``state``; return whether a text was sent.

    Only when a phone number is known: before the application there is none, and then nothing
    is sent.
    """
    case = OnboardingCase.objects.filter(pk=case_id).select_related("applicant").first()
    applicant = getattr(case, "applicant", None) if case else None
    if case is None or applicant is None or not applicant.phone:
        return False
    language = getattr(case.learner, "preferred_language", None) or translation.get_language()
    with translation.override(language):
        text = message_for(state)
    if text is None:
        return False
    send_sms(applicant.phone, text)
    logger.info("texted %s about case %s (%s)", mask_phone(applicant.phone), case_id, state)
    return True
