"""Cases that share a national ID, side by side on the case page.

A second application with a national ID already used goes to manual review (see
:func:`onboarding.applications.submit_application`); duplicates are found by the keyed HMAC of the
ID (``cin_digest``), never by decrypting every application. An operator who may decide (approve or
reject) sees the cases together: masked ID, the learner's name, the shop, the photo, the dates and
the states. Others only see which cases they are.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .. import pii
from ..models import ApplicantProfile, OnboardingCase

REVIEW_PERMISSION = "maalem_onboarding.review_case"


def learner_name(learner: Any) -> str:
    return str(learner.get_full_name() or learner.get_username())


def side(applicant: ApplicantProfile) -> dict[str, Any]:
    """One column of the comparison: what an operator compares, personal data masked."""
    case = applicant.case
    return {
        "case": case,
        "applicant": applicant,
        "masked_cin": pii.mask_cin(applicant.cin or ""),
        "name": learner_name(case.learner),
        # Served by the private photo view, which checks the permission and records the access.
        "photo_url": reverse("onboarding_learner:case_photo", args=[case.pk])
        if applicant.photo
        else "",
    }


def same_national_id(applicant: ApplicantProfile | None) -> list[ApplicantProfile]:
    """The other cases' applications with the same national ID, oldest case first (one query)."""
    if applicant is None or not applicant.cin_digest:
        return []
    return list(
        ApplicantProfile.objects.filter(cin_digest=applicant.cin_digest)
        .exclude(case_id=applicant.case_id)
        .select_related("case__learner", "craft")
        .order_by("case__created_at", "case_id")
    )


def comparison(
    case: OnboardingCase, applicant: ApplicantProfile | None, user: Any
) -> dict[str, Any]:
    """The context of the case page's "same national ID" section; empty when there are none."""
    others = same_national_id(applicant)
    if not others or applicant is None:
        return {"duplicates": []}
    may_compare = bool(user.has_perm(REVIEW_PERMISSION))
    applicant.case = case
    return {
        "duplicates": [other.case for other in others],
        "comparison": [side(applicant), *(side(other) for other in others)] if may_compare else [],
    }
