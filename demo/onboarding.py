"""Demo sellers at every stage of onboarding, taken there by the real services.

Six more artisans finish the whole learning path (through :mod:`lms.courses.services`, which
issues their certificates); with the onboarding rule requiring the path's courses, each gets a
case, as in production. Each case is then taken to its stage as the learner, the outbox and the
payment provider would take it:

- Hassan (from the learners' demo): ``eligible``, he has not started his application;
- Amina: ``kyc_pending``, a draft saved with ``applications.save_draft``;
- Rachid: ``submitted``: his submission, stopped before the provisioning that follows it;
- Zineb: ``action_required`` once the site runs: she submits, and her payment account step is
  left to the worker, which opens her account at the configured provider (the sandbox, under
  ``make run``). Her national ID ends in 0000, so the sandbox restricts the account until it has
  both sides of her ID card, which she can send from her page: the whole loop runs for real;
- Mustapha: ``manual_review``, his national ID is Latifa's (``applications.submit_application``
  finds the duplicate by its HMAC);
- Latifa and Omar: ``active``: the provider activates their accounts by webhook, and the seller
  profile step publishes their shops on the marketplace.

No network: while the other sellers are built, the payment provider is the in-memory one
(:mod:`onboarding.providers.fake`), and each outbox step runs here as soon as it is queued, by
the code a worker runs; webhooks go through the verification and processing a real one gets. The
queued messages still reach the broker after the commit, where a worker finds their work done.
Each applicant's photo is made as a phone takes it, with EXIF (:mod:`demo.photos`), and stored
by the form's upload path, which re-encodes it without; the seller pages show a copy.
Safe to run again: a learner who already has a case is left as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone

from lms.courses.models import CourseCompletion, CoursePage
from onboarding import account_updates, applications, eligibility, outbox, statemachine, values
from onboarding.models import (
    ApplicantProfile,
    CaseState,
    OnboardingCase,
    OnboardingRule,
    OnboardingStep,
    StepStatus,
)
from onboarding.photos import store_photo
from onboarding.providers import get_backend
from onboarding.providers.base import AccountStatus
from onboarding.providers.fake import InMemoryPaymentsBackend, SignedWebhook

from .crafts import craft_by_code
from .people import HASSAN, DemoUser, complete_course, ensure_user
from .photos import phone_photo
from .site import SOURCE_LANGUAGE, DemoSite

DEMO_PAYMENTS_OPTIONS = {"name": "demo"}
DEMO_PAYMENTS = {
    "BACKEND": "onboarding.providers.fake.InMemoryPaymentsBackend",
    "OPTIONS": DEMO_PAYMENTS_OPTIONS,
}
CONSENT_TEXT = (
    "I agree that Maalem shares my name, national ID number, phone number and payout details "
    "with its payment partner to open my merchant account, and publishes my shop's profile."
)


@dataclass(frozen=True)
class DemoSeller:
    person: DemoUser
    stage: str
    cin: str
    phone: str
    region: str
    shop_name: str
    craft_code: str  # the code of the shop's craft in the crafts taxonomy


def seller(username: str, first: str, last: str, story: str, *details: str) -> DemoSeller:
    stage, cin, phone, region, shop_name, craft_code = details
    person = DemoUser(username, first, last, f"seller: {story}")
    return DemoSeller(person, stage, cin, phone, region, shop_name, craft_code)


S = CaseState
# In the order they are built: Latifa before Mustapha, whose national ID repeats hers.
SELLERS = (
    seller(
        "amina", "Amina", "Benjelloun", "application saved as a draft",
        S.KYC_PENDING, "BE812345", "0661234501", "Fès-Meknès", "Zellige Amina", "zellige",
    ),
    seller(
        "rachid", "Rachid", "El Fassi", "application submitted",
        S.SUBMITTED, "JA456782", "0661234502", "Marrakech-Safi", "Dinanderie Rachid", "copperware",
    ),
    seller(
        "zineb", "Zineb", "Tazi", "the provider needs her ID document",
        S.ACTION_REQUIRED, "C730000", "0661234503", "Souss-Massa", "Bijoux Zineb", "silver-jewellery",
    ),
    seller(
        "latifa", "Latifa", "Berrada", "live on the marketplace",
        S.ACTIVE, "AB262728", "0661234504", "Fès-Meknès", "Tapis Latifa", "carpet-weaving",
    ),
    seller(
        "mustapha", "Mustapha", "Chraibi", "in manual review (national ID already used)",
        S.MANUAL_REVIEW, "AB262728", "0661234505", "Casablanca-Settat", "Cuir Mustapha", "leather-goods",
    ),
    seller(
        "omar", "Omar", "Benkirane", "live on the marketplace",
        S.ACTIVE, "K98765", "0661234506", "Rabat-Salé-Kénitra", "Bois Omar", "wood-carving",
    ),
)  # fmt: skip
SELLER_LEARNERS = tuple(demo_seller.person for demo_seller in SELLERS)


def ensure_rule(site: DemoSite) -> OnboardingRule:
    """The rule requires the learning path's courses, unless an operator has set it already."""
    rule = OnboardingRule.load()
    if not rule.required_courses.exists():
        rule.required_courses.set(site.courses[SOURCE_LANGUAGE].values())
        rule.save()
    return rule


def complete_path(learner: Any, courses: list[CoursePage]) -> None:
    """Finish every course of the path that the learner has not completed yet."""
    done = set(
        CourseCompletion.objects.filter(learner=learner).values_list("course_key", flat=True)
    )
    for course in courses:
        if course.translation_key not in done:
            complete_course(learner, course)


def application(demo_seller: DemoSeller) -> dict[str, Any]:
    return {
        "consent": True,
        "consent_text": CONSENT_TEXT,
        "cin": demo_seller.cin,
        "phone": demo_seller.phone,
        "region": demo_seller.region,
        "shop_name": demo_seller.shop_name,
        "craft": craft_by_code(demo_seller.craft_code),
        "payout_method": "wallet",
    }


@contextmanager
def demo_payment_provider() -> Iterator[InMemoryPaymentsBackend]:
    """The in-memory payment provider in place of the configured one, for the demo's build."""
    providers = {**getattr(settings, "ONBOARDING_PROVIDERS", {}), "payments": DEMO_PAYMENTS}
    with override_settings(ONBOARDING_PROVIDERS=providers):
        yield InMemoryPaymentsBackend(**DEMO_PAYMENTS_OPTIONS)


class Seller:
    """One demo seller's case, moved by the services a learner, a worker and a webhook use."""

    def __init__(self, site: DemoSite, provider: InMemoryPaymentsBackend, case: Any) -> None:
        self.site = site
        self.provider = provider
        self.case = case

    def save_application(self, demo_seller: DemoSeller) -> None:
        """The learner's whole application, validated, saved as the form's draft is."""
        answers = values.Application.read(application(demo_seller)).profile_values()
        draft = {name: answers[name] for name in applications.DRAFT_FIELDS if name in answers}
        if not ApplicantProfile.objects.filter(case=self.case).exclude(photo="").exists():
            # Through the upload path the form uses: re-encoded, its EXIF left behind.
            upload = phone_photo(demo_seller.shop_name)
            draft["photo"] = store_photo(self.case, upload, self.case.learner)
        applications.save_draft(self.case.pk, draft, self.case.learner)
        ApplicantProfile.objects.filter(case=self.case).update(
            consent_text=answers["consent_text"], consented_at=timezone.now()
        )

    def send(self, demo_seller: DemoSeller) -> None:
        """The learner sends the application, photo included; its steps wait for a worker."""
        self.save_application(demo_seller)
        photo = ApplicantProfile.objects.get(case=self.case).photo.name
        answers = {**application(demo_seller), "photo": photo}
        applications.submit_application(self.case.pk, answers, self.case.learner)

    def submit(self, demo_seller: DemoSeller) -> None:
        """The learner sends the application; the payment account step runs."""
        self.send(demo_seller)
        self.run_steps()

    def provider_sets_account(self, status: str, requirements: list[str]) -> None:
        """The provider moves the account; its webhook is verified, stored and applied."""
        ref = OnboardingCase.objects.get(pk=self.case.pk).payment_account_ref
        webhook: SignedWebhook = self.provider.set_account(ref, status, requirements)
        event = get_backend("payments").parse_webhook(webhook.body, webhook.headers)
        stored, _created = account_updates.record_webhook("payments", event)
        outcome = account_updates.process_webhook(stored.pk)
        if outcome != "processed":
            self.site.notes.append(f"Webhook for {self.username()}: {outcome}.")
        self.run_steps()

    def run_steps(self) -> None:
        """Run the case's queued steps here and now, as a worker would."""
        queued = OnboardingStep.objects.filter(case=self.case, status=StepStatus.PENDING)
        for step in list(queued.order_by("pk")):
            outcome = outbox.run_step(step.pk)
            if outcome != "succeeded":
                self.site.notes.append(f"{step.kind} step of {self.username()}: {outcome}.")

    def username(self) -> str:
        return str(self.case.learner.get_username())


def kyc_pending(seller: Seller, demo_seller: DemoSeller) -> None:
    # A draft: some fields filled in, the national ID not yet.
    draft = {
        "phone": values.read_phone(demo_seller.phone),
        "region": demo_seller.region,
        "shop_name": demo_seller.shop_name,
        "craft": craft_by_code(demo_seller.craft_code),
        "photo": store_photo(seller.case, phone_photo(demo_seller.shop_name)),
    }
    applications.save_draft(seller.case.pk, draft, seller.case.learner)


def submitted(seller: Seller, demo_seller: DemoSeller) -> None:
    # A real submission goes on to provisioning in the same transaction. Rachid's case stops
    # between the two, to show what a learner sees while the application is checked.
    seller.save_application(demo_seller)
    statemachine.transition(
        seller.case.pk,
        S.SUBMITTED,
        actor=seller.case.learner,
        actor_label="learner",
        reason="application submitted",
    )


def action_required(seller: Seller, demo_seller: DemoSeller) -> None:
    # Her account must exist at the provider the running site talks to, so that her answers
    # reach it: the worker opens it there, and the provider asks for her ID card.
    seller.send(demo_seller)


def manual_review(seller: Seller, demo_seller: DemoSeller) -> None:
    # The real submission: it finds the duplicate national ID and stops before any provider.
    seller.send(demo_seller)


def active(seller: Seller, demo_seller: DemoSeller) -> None:
    seller.submit(demo_seller)
    seller.provider_sets_account(AccountStatus.ACTIVE, [])


STAGES: dict[str, Callable[[Seller, DemoSeller], None]] = {
    S.KYC_PENDING: kyc_pending,
    S.SUBMITTED: submitted,
    S.ACTION_REQUIRED: action_required,
    S.MANUAL_REVIEW: manual_review,
    S.ACTIVE: active,
}


def ensure_sellers(site: DemoSite) -> list[OnboardingCase]:
    """Cases at each stage for the demo sellers and Hassan; returns the sellers' cases."""
    ensure_rule(site)
    path = list(site.courses[SOURCE_LANGUAGE].values())
    hassan = ensure_user(HASSAN)
    complete_path(hassan, path)
    eligibility.open_case_if_eligible(hassan)
    cases = []
    with demo_payment_provider() as provider:
        for demo_seller in SELLERS:
            learner = ensure_user(demo_seller.person)
            existing = OnboardingCase.objects.filter(learner=learner).first()
            if existing is not None:
                cases.append(existing)
                continue
            complete_path(learner, path)
            case = eligibility.open_case_if_eligible(learner)
            if case is None:
                site.notes.append(f"{learner.get_username()} is not eligible: check the rule.")
                continue
            if case.state == S.ELIGIBLE:
                STAGES[demo_seller.stage](Seller(site, provider, case), demo_seller)
            cases.append(OnboardingCase.objects.get(pk=case.pk))
    return cases
