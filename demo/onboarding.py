"""Demo sellers at every stage of onboarding, so the funnel and the marketplace are not empty.

Six more artisans finish the whole learning path (through :mod:`lms.courses.services`, which
issues their certificates); with the onboarding rule requiring the path's courses, each gets a
case, as in production. Each case is then taken to its stage with the onboarding services:

- Hassan (from the learners' demo): ``eligible``, he has not started his application;
- Amina: ``kyc_pending``, a draft saved with ``applications.save_draft``;
- Rachid: ``submitted``;
- Zineb: ``action_required``, the provider wants her identity document;
- Mustapha: ``manual_review``, his national ID is Latifa's (``applications.submit_application``
  finds the duplicate by its HMAC);
- Latifa and Omar: ``active``, live sellers on the marketplace.

No network: the demo runs without the payment sandbox. Where the provider would have answered,
the move is a ``statemachine.transition`` by the actor "demo", carrying the account fields as
``provisioning.apply_account`` writes them. No outbox step is created, so no worker will ever call a
provider for these cases. Safe to run again: a learner who already has a case is left as they are.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from lms.courses.models import CourseCompletion, CoursePage
from lms.crafts.models import Craft
from onboarding import applications, eligibility, statemachine, values
from onboarding.models import ApplicantProfile, CaseState, OnboardingCase, OnboardingRule
from onboarding.providers import get_backend
from onboarding.providers.base import AccountStatus

from . import loading

CONSENT_TEXT = (
    "I agree that Maalem shares my name, national ID number, phone number and payout details "
    "with its payment partner to open my merchant account, and publishes my shop's profile."
)


@dataclass(frozen=True)
class DemoSeller:
    person: loading.DemoUser
    stage: str
    cin: str
    phone: str
    region: str
    shop_name: str
    craft_hint: str  # a word of the craft's code, to pick a fitting one when it exists


AMINA = loading.DemoUser("amina", "Amina", "Benjelloun", "seller: application saved as a draft")
RACHID = loading.DemoUser("rachid", "Rachid", "El Fassi", "seller: application submitted")
ZINEB = loading.DemoUser("zineb", "Zineb", "Tazi", "seller: the provider needs her ID document")
MUSTAPHA = loading.DemoUser(
    "mustapha", "Mustapha", "Chraibi", "seller: in manual review (national ID already used)"
)
LATIFA = loading.DemoUser("latifa", "Latifa", "Berrada", "seller: live on the marketplace")
OMAR = loading.DemoUser("omar", "Omar", "Benkirane", "seller: live on the marketplace")

# In the order they are built: Latifa before Mustapha, whose national ID repeats hers.
SELLERS = (
    DemoSeller(
        AMINA,
        CaseState.KYC_PENDING,
        "BE812345",
        "0661234501",
        "Fès-Meknès",
        "Zellige Amina",
        "zellige",
    ),
    DemoSeller(
        RACHID,
        CaseState.SUBMITTED,
        "JA456782",
        "0661234502",
        "Marrakech-Safi",
        "Dinanderie Rachid",
        "metal",
    ),
    DemoSeller(
        ZINEB,
        CaseState.ACTION_REQUIRED,
        "C734567",
        "0661234503",
        "Souss-Massa",
        "Argane Zineb",
        "bijou",
    ),
    DemoSeller(
        LATIFA,
        CaseState.ACTIVE,
        "AB262728",
        "0661234504",
        "Fès-Meknès",
        "Tapis Latifa",
        "tapis",
    ),
    DemoSeller(
        MUSTAPHA,
        CaseState.MANUAL_REVIEW,
        "AB262728",
        "0661234505",
        "Casablanca-Settat",
        "Cuir Mustapha",
        "cuir",
    ),
    DemoSeller(
        OMAR,
        CaseState.ACTIVE,
        "K98765",
        "0661234506",
        "Rabat-Salé-Kénitra",
        "Bois Omar",
        "bois",
    ),
)
SELLER_LEARNERS = tuple(seller.person for seller in SELLERS)


def ensure_rule(site: loading.DemoSite) -> OnboardingRule:
    """The rule requires the learning path's courses, unless an operator has set it already."""
    rule = OnboardingRule.load()
    if not rule.required_courses.exists():
        rule.required_courses.set(site.courses[loading.SOURCE_LANGUAGE].values())
        rule.save()
    return rule


def complete_path(learner: Any, courses: list[CoursePage]) -> None:
    """Finish every course of the path that the learner has not completed yet."""
    done = set(
        CourseCompletion.objects.filter(learner=learner).values_list("course_key", flat=True)
    )
    for course in courses:
        if course.translation_key not in done:
            loading.complete_course(learner, course)


def pick_craft(hint: str) -> Craft | None:
    return (
        Craft.objects.filter(code__icontains=hint).order_by("code").first()
        or Craft.objects.order_by("code").first()
    )


def application(seller: DemoSeller) -> dict[str, Any]:
    return {
        "consent": True,
        "consent_text": CONSENT_TEXT,
        "cin": seller.cin,
        "phone": seller.phone,
        "region": seller.region,
        "shop_name": seller.shop_name,
        "craft": pick_craft(seller.craft_hint),
        "payout_method": "wallet",
    }


def save_application(case: OnboardingCase, seller: DemoSeller, learner: Any) -> None:
    """The learner's whole application, validated, saved as the form's draft is."""
    cleaned = applications.clean_application(application(seller))
    values = {name: cleaned[name] for name in applications.DRAFT_FIELDS if name in cleaned}
    applications.save_draft(case.pk, values, learner)
    ApplicantProfile.objects.filter(case=case).update(
        consent_text=cleaned["consent_text"], consented_at=timezone.now()
    )


def account_fields(case: OnboardingCase, status: str, requirements: list[str]) -> dict[str, Any]:
    """The case's account fields as ``provisioning.apply_account`` writes them from the provider."""
    return {
        "payment_account_ref": case.payment_account_ref or f"acct_demo{case.pk:06d}",
        "payment_account_status": status,
        "payment_account_updated": int(time.time()),
        "requirements": requirements,
    }


def demo_move(case: OnboardingCase, to: str, reason: str, **changes: Any) -> OnboardingCase:
    return statemachine.transition(
        case.pk, to, actor_label="demo", reason=reason, changes=changes or None
    )


def to_submitted(case: OnboardingCase, seller: DemoSeller, learner: Any) -> OnboardingCase:
    save_application(case, seller, learner)
    return statemachine.transition(
        case.pk,
        CaseState.SUBMITTED,
        actor=learner,
        actor_label="demo",
        reason="application submitted",
    )


def to_provisioning(case: OnboardingCase, seller: DemoSeller, learner: Any) -> OnboardingCase:
    case = to_submitted(case, seller, learner)
    return demo_move(
        case,
        CaseState.PROVISIONING,
        "opening the payment account",
        **account_fields(case, AccountStatus.PENDING, []),
    )


def kyc_pending(case: OnboardingCase, seller: DemoSeller, learner: Any) -> OnboardingCase:
    # A draft: some fields filled in, the national ID not yet.
    applications.save_draft(
        case.pk,
        {
            "phone": values.read_phone(seller.phone),
            "region": seller.region,
            "shop_name": seller.shop_name,
            "craft": pick_craft(seller.craft_hint),
        },
        learner,
    )
    return OnboardingCase.objects.get(pk=case.pk)


def action_required(case: OnboardingCase, seller: DemoSeller, learner: Any) -> OnboardingCase:
    case = to_provisioning(case, seller, learner)
    return demo_move(
        case,
        CaseState.ACTION_REQUIRED,
        "the payment provider needs: identity_document",
        **account_fields(case, AccountStatus.RESTRICTED, ["identity_document"]),
    )


def manual_review(case: OnboardingCase, seller: DemoSeller, learner: Any) -> OnboardingCase:
    # The real submission: it finds the duplicate national ID and stops before any provider.
    return applications.submit_application(case.pk, application(seller), learner)


def active(case: OnboardingCase, seller: DemoSeller, learner: Any) -> OnboardingCase:
    case = to_provisioning(case, seller, learner)
    return demo_move(
        case,
        CaseState.ACTIVE,
        "payment account active and seller profile live",
        **account_fields(case, AccountStatus.ACTIVE, []),
    )


STAGES: dict[str, Callable[[OnboardingCase, DemoSeller, Any], OnboardingCase]] = {
    CaseState.KYC_PENDING: kyc_pending,
    CaseState.SUBMITTED: to_submitted,
    CaseState.ACTION_REQUIRED: action_required,
    CaseState.MANUAL_REVIEW: manual_review,
    CaseState.ACTIVE: active,
}


def publish_sellers(site: loading.DemoSite) -> int:
    """Put every active demo case on the marketplace through the configured backend."""
    cases = OnboardingCase.objects.filter(
        state=CaseState.ACTIVE,
        learner__username__in=[person.username for person in SELLER_LEARNERS],
    ).order_by("pk")
    published = 0
    for case in cases:
        try:
            with transaction.atomic():
                get_backend("marketplace").create_or_update_seller(case)
        except Exception as error:  # noqa: BLE001 (another engineer's backend may be unfinished)
            site.notes.append(
                f"Seller profile of {case.learner.get_username()} not published: "
                f"{type(error).__name__}: {error}"
            )
            continue
        published += 1
    return published


def ensure_sellers(site: loading.DemoSite) -> list[OnboardingCase]:
    """Cases at each stage for the demo sellers and Hassan; returns the sellers' cases."""
    ensure_rule(site)
    path = list(site.courses[loading.SOURCE_LANGUAGE].values())
    hassan = loading.ensure_user(loading.HASSAN)
    complete_path(hassan, path)
    eligibility.open_case_if_eligible(hassan)
    cases = []
    for seller in SELLERS:
        learner = loading.ensure_user(seller.person)
        existing = OnboardingCase.objects.filter(learner=learner).first()
        if existing is not None:
            cases.append(existing)
            continue
        complete_path(learner, path)
        case = eligibility.open_case_if_eligible(learner)
        if case is None:
            site.notes.append(f"{seller.person.username} is not eligible: check the rule.")
            continue
        if case.state == CaseState.ELIGIBLE:
            case = STAGES[seller.stage](case, seller, learner)
        cases.append(case)
    publish_sellers(site)
    return cases
