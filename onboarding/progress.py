"""Where a learner's case is on the way to a live shop, and what they should do next: the
progress bar and the next action shown on the status page and in "My learning"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .models import CaseState, OnboardingCase
from .providers import get_backend
from .providers.base import AccountStatus, requirement_label

S = CaseState


# The steps of the progress bar, in order.
STEPS = [
    ("eligible", gettext_lazy("Courses completed")),
    ("form", gettext_lazy("Your application")),
    ("review", gettext_lazy("Checking")),
    ("payment_account", gettext_lazy("Payment account")),
    ("seller_profile", gettext_lazy("Shop live")),
]
# The step each state is at; the steps before it are done.
STEP_OF_STATE: dict[str, str | None] = {
    S.ELIGIBLE: "form",
    S.KYC_PENDING: "form",
    S.SUBMITTED: "review",
    S.MANUAL_REVIEW: "review",
    S.PROVISIONING: "payment_account",
    S.ACTION_REQUIRED: "payment_account",
    S.FAILED_NEEDS_OPERATOR: "payment_account",
    S.REJECTED: "review",
    S.WITHDRAWN: "form",
    S.ACTIVE: None,
}
STOPPED_STATES = {S.ACTION_REQUIRED, S.FAILED_NEEDS_OPERATOR, S.REJECTED, S.WITHDRAWN}


@dataclass
class Step:
    key: str
    label: str
    status: str  # done, current, stopped or todo


@dataclass
class NextAction:
    """What the learner should do now: a sentence, and a link when there is somewhere to go."""

    kind: str  # fill, fix, wait, support, shop, none
    text: str
    link_text: str = ""
    url: str = ""
    details: list[str] = field(default_factory=list)


@dataclass
class Progress:
    case: OnboardingCase
    steps: list[Step]
    next_action: NextAction

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.status == "done")


def progress_of(case: OnboardingCase) -> Progress:
    """Where the case is on the way to a live shop, and the learner's next action."""
    state = case.state
    current = STEP_OF_STATE.get(state)
    if state == S.PROVISIONING and case.payment_account_status == AccountStatus.ACTIVE:
        current = "seller_profile"
    steps = []
    reached = current is None
    for key, label in STEPS:
        if key == current:
            reached = True
            status = "stopped" if state in STOPPED_STATES else "current"
        elif current is None:
            status = "done"
        else:
            status = "todo" if reached else "done"
        steps.append(Step(key, str(label), status))
    return Progress(case=case, steps=steps, next_action=next_action(case))


def next_action(case: OnboardingCase) -> NextAction:
    state = case.state
    form_url = reverse("onboarding_learner:application", args=[case.pk])
    if state == S.ELIGIBLE:
        return NextAction(
            "fill",
            _("You have completed the required courses. Fill in the form to open your shop."),
            _("Fill in the form"),
            form_url,
        )
    if state == S.KYC_PENDING:
        return NextAction(
            "fill",
            _("Your application is saved but not sent yet. Finish it and send it."),
            _("Continue the form"),
            form_url,
        )
    if state in (S.SUBMITTED, S.MANUAL_REVIEW):
        return NextAction(
            "wait",
            _("We are checking your application. Nothing to do: we will send you a text message."),
        )
    if state == S.PROVISIONING:
        return NextAction(
            "wait",
            _(
                "Your payment account and your shop are being opened. We will send you a text message."
            ),
        )
    if state == S.ACTION_REQUIRED:
        return NextAction(
            "fix",
            _("The payment provider needs more from you:"),
            _("Send what is asked"),
            reverse("onboarding_learner:action_required", args=[case.pk]),
            details=requirement_words(case.requirements),
        )
    if state == S.FAILED_NEEDS_OPERATOR:
        return NextAction(
            "support",
            _(
                "Something went wrong on our side. Contact the support team and give them your "
                "case number: %(number)s."
            )
            % {"number": case.pk},
        )
    if state == S.ACTIVE:
        url = shop_url(case)
        return NextAction(
            "shop",
            _("Your payment account is open and your shop is live."),
            _("See your shop") if url else "",
            url,
        )
    if state == S.REJECTED:
        return NextAction(
            "support",
            _(
                "Your application was not accepted. Contact the support team to know why; give "
                "them your case number: %(number)s."
            )
            % {"number": case.pk},
        )
    return NextAction("none", _("You withdrew your application."))


def requirement_words(requirements: Any) -> list[str]:
    words = []
    for code in requirements or []:
        text = requirement_label(str(code))
        if text not in words:
            words.append(text)
    return words


def shop_url(case: OnboardingCase) -> str:
    """The seller's public page, if the marketplace backend can say where it is."""
    return get_backend("marketplace").seller_url(case, get_language() or "") or ""
