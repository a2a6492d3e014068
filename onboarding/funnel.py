"""The onboarding funnel: how many people reach each stage, from enrolment to live seller.

Each count is one aggregate query (four in all), so the dashboard costs the same with ten learners
as with ten thousand. The learning stages count distinct learners; the onboarding stages count
cases, of which a learner has at most one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, Model, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lms.certificates.models import Certificate
from lms.courses.models import CourseCompletion, Enrolment

from .models import CaseState, CaseTransition, OnboardingCase, OnboardingStep, StepKind
from .providers.base import AccountStatus

STAGES: list[tuple[str, Promise]] = [
    ("enrolled", _("Enrolled")),
    ("completed", _("Completed a course")),
    ("certified", _("Certified")),
    ("eligible", _("Eligible")),
    ("submitted", _("Submitted")),
    ("account_active", _("Account active")),
    ("seller_live", _("Seller live")),
]


@dataclass(frozen=True)
class Stage:
    """One bar of the funnel."""

    key: str
    label: Promise
    count: int
    previous: int | None
    first: int

    @property
    def percent_of_previous(self) -> float | None:
        """Share of the stage before that got here; ``None`` for the first stage or when the
        stage before is empty (there is nothing to convert from)."""
        if self.previous is None or self.previous == 0:
            return None
        return 100 * self.count / self.previous

    @property
    def percent_of_first(self) -> float | None:
        if self.first == 0:
            return None
        return 100 * self.count / self.first


def learners_with(model: type[Model], **filters: object) -> int:
    counted: int = model._default_manager.filter(**filters).aggregate(
        n=Count("learner", distinct=True)
    )["n"]
    return counted


def case_counts() -> dict[str, int]:
    """The onboarding stages, counted in one query over the cases."""
    ever_submitted = Exists(
        CaseTransition.objects.filter(case=OuterRef("pk"), to_state=CaseState.SUBMITTED)
    )
    # The case keeps only the account's current status; an account that was active and is now
    # restricted still reached "active". The seller profile step is created only once the
    # account is active, so its existence records that it got there.
    has_seller_step = Exists(
        OnboardingStep.objects.filter(case=OuterRef("pk"), kind=StepKind.SELLER_PROFILE)
    )
    account_active = Q(payment_account_status=AccountStatus.ACTIVE) | Q(has_seller_step)
    return OnboardingCase.objects.aggregate(
        eligible=Count("pk"),
        submitted=Count("pk", filter=Q(ever_submitted)),
        account_active=Count("pk", filter=account_active),
        seller_live=Count("pk", filter=Q(state=CaseState.ACTIVE)),
    )


def stage_counts() -> dict[str, int]:
    """The number of learners (or cases) at each stage, by stage key."""
    return {
        "enrolled": learners_with(Enrolment),
        "completed": learners_with(CourseCompletion),
        # A revoked certificate no longer certifies anything; its reissue (if any) does.
        "certified": learners_with(Certificate, revoked_at__isnull=True),
        **case_counts(),
    }


def funnel() -> list[Stage]:
    """The stages in order, each with its count and the count of the stage before."""
    counts = stage_counts()
    first = counts[STAGES[0][0]]
    stages: list[Stage] = []
    previous: int | None = None
    for key, label in STAGES:
        stages.append(
            Stage(key=key, label=label, count=counts[key], previous=previous, first=first)
        )
        previous = counts[key]
    return stages
