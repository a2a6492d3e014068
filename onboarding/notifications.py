"""Text messages to the learner at the moments that matter."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from maalem.core.phones import mask_phone
from maalem.core.sms import text_learner

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

    At the number of the application, or before there is one (a case opens ``eligible``, before
    the form) at the number she signs in with. Written in the language she reads the site in.
    """
    case = OnboardingCase.objects.filter(pk=case_id).select_related("learner", "applicant").first()
    if case is None or message_for(state) is None:
        return False
    applicant = getattr(case, "applicant", None)
    phone = text_learner(
        case.learner,
        lambda: message_for(state) or "",
        phone=(applicant.phone if applicant is not None else None) or None,
    )
    if phone is None:
        logger.info("no number to text about case %s (%s)", case_id, state)
        return False
    logger.info("texted %s about case %s (%s)", mask_phone(phone), case_id, state)
    return True
