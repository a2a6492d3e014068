"""The onboarding funnel: how many people reach each stage, from enrolment to live seller.

Each count is one aggregate query (five in all), so the dashboard costs the same with ten learners
as with ten thousand. The learning stages count distinct learners; the onboarding stages count
cases, of which a learner has at most one. A case counts in every stage it ever reached, read
from its timeline, not only in the one where it is now: a seller whose account is restricted
later still got that far. The report caches the counts for a minute (:func:`cached_funnel`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Model, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lms.certificates.models import Certificate
from lms.courses.models import CourseCompletion, Enrolment

from .models import CaseState, CaseTransition, OnboardingCase, StepKind
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


# The states a case reaches only once its application has been sent: straight on (submitted), or
# held for an operator first (manual review, e.g. a duplicate national ID).
SUBMITTED_STATES = frozenset(
    {
        CaseState.SUBMITTED,
        CaseState.MANUAL_REVIEW,
        CaseState.PROVISIONING,
        CaseState.ACTION_REQUIRED,
        CaseState.ACTIVE,
        CaseState.FAILED_NEEDS_OPERATOR,
    }
)

#: How long the report may show counts already read.
CACHE_SECONDS = 60
CACHE_KEY = "onboarding:funnel:counts"


def case_counts() -> dict[str, int]:
    """The onboarding stages: one aggregate over the timeline (indexed by state and case) and
    one over the cases joined to their seller profile step."""
    reached: dict[str, int] = CaseTransition.objects.aggregate(
        # Every case's first line opens it as eligible.
        eligible=Count("case", distinct=True),
        submitted=Count("case", distinct=True, filter=Q(to_state__in=SUBMITTED_STATES)),
        seller_live=Count("case", distinct=True, filter=Q(to_state=CaseState.ACTIVE)),
    )
    # The case keeps only the account's current status; an account that was active and is now
    # restricted still reached "active". The seller profile step is created only once the
    # account is active, so its existence records that it got there.
    account_active: int = (
        OnboardingCase.objects.filter(
            Q(payment_account_status=AccountStatus.ACTIVE) | Q(steps__kind=StepKind.SELLER_PROFILE)
        )
        .order_by()
        .aggregate(n=Count("pk", distinct=True))["n"]
    )
    return {**reached, "account_active": account_active}


def stage_counts() -> dict[str, int]:
    """The number of learners (or cases) at each stage, by stage key."""
    return {
        "enrolled": learners_with(Enrolment),
        "completed": learners_with(CourseCompletion),
        # A revoked certificate no longer certifies anything; its reissue (if any) does.
        "certified": learners_with(Certificate, revoked_at__isnull=True),
        **case_counts(),
    }


def cached_stage_counts() -> dict[str, int]:
    """:func:`stage_counts`, read at most once a minute: the report is opened often and the
    counts move slowly."""
    counts: dict[str, int] | None = cache.get(CACHE_KEY)
    if counts is None:
        counts = stage_counts()
        cache.set(CACHE_KEY, counts, CACHE_SECONDS)
    return counts


def funnel(counts: dict[str, int] | None = None) -> list[Stage]:
    """The stages in order, each with its count and the count of the stage before."""
    counts = stage_counts() if counts is None else counts
    first = counts[STAGES[0][0]]
    stages: list[Stage] = []
    previous: int | None = None
    for key, label in STAGES:
        stages.append(
            Stage(key=key, label=label, count=counts[key], previous=previous, first=first)
        )
        previous = counts[key]
    return stages


def cached_funnel() -> list[Stage]:
    return funnel(cached_stage_counts())
