"""Who may become a seller: the onboarding rule, and opening the case when it is met."""

from __future__ import annotations

from typing import Any

from lms.courses.models import CourseCompletion

from .applications import open_case
from .models import OnboardingCase, OnboardingRule


def missing_courses(learner: Any) -> set[Any] | None:
    """Translation keys of the required courses the learner has not completed.

    ``None`` when the rule requires no course at all: then nobody is eligible, so that an
    installation does not open cases before an operator has set the rule.
    """
    required = OnboardingRule.load().required_course_keys()
    if not required:
        return None
    completed = set(
        CourseCompletion.objects.filter(learner=learner, course_key__in=required).values_list(
            "course_key", flat=True
        )
    )
    return required - completed


def is_eligible(learner: Any) -> bool:
    missing = missing_courses(learner)
    return missing is not None and not missing


def open_case_if_eligible(learner: Any) -> OnboardingCase | None:
    """Open the learner's onboarding case if they meet the rule; return their case, if any.

    Called each time a certificate is issued, possibly twice at once: there is never more than
    one case per learner.
    """
    existing = OnboardingCase.objects.filter(learner=learner).first()
    if existing is not None:
        return existing
    if not is_eligible(learner):
        return None
    case, _created = open_case(learner, reason="completed the required courses")
    return case
