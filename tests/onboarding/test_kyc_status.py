"""The learner sees where their seller account is, step by step, and what to do next."""

from __future__ import annotations

import html
import re

import pytest
from django.test import RequestFactory
from django.utils import translation

from onboarding.models import OnboardingCase
from onboarding.views import my_learning_section
from tests.builders import make_learner
from tests.i18n import french

from .onboarding_builders import application_url, make_case, status_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]

WAIT_REVIEW = "We are checking your application. Nothing to do: we will send you a text message."
WAIT_OPENING = (
    "Your payment account and your shop are being opened. We will send you a text message."
)
SUPPORT = (
    "Something went wrong on our side. Contact the support team and give them your case "
    "number: %(number)s."
)

# state: (the next action's sentence, the link's words or None, the step in progress)
NEXT_ACTIONS = {
    "eligible": (
        "You have completed the required courses. Fill in the form to open your shop.",
        "Fill in the form",
        "Your application",
    ),
    "kyc_pending": (
        "Your application is saved but not sent yet. Finish it and send it.",
        "Continue the form",
        "Your application",
    ),
    "submitted": (WAIT_REVIEW, None, "Checking"),
    "manual_review": (WAIT_REVIEW, None, "Checking"),
    "provisioning": (WAIT_OPENING, None, "Payment account"),
    "action_required": (
        "The payment provider needs more from you:",
        "Send what is asked",
        "Payment account",
    ),
    "failed_needs_operator": (SUPPORT, None, "Payment account"),
    "active": ("Your payment account is open and your shop is live.", None, None),
}


def section_for(learner) -> str | None:
    request = RequestFactory().get("/fr/learn/")
    request.user = learner
    with translation.override("fr"):
        return my_learning_section(request)


def text_of(fragment: str) -> str:
    # Only ASCII white space collapses: French keeps its narrow no-break space before ":".
    return html.unescape(re.sub(r"[ \t\n\r\f\v]+", " ", re.sub(r"<[^>]+>", " ", fragment)))


@pytest.mark.parametrize("state", NEXT_ACTIONS)
def test_the_my_learning_section_shows_the_next_action_for_each_state(state):
    case = make_case(state=state)
    sentence, link, current = NEXT_ACTIONS[state]

    section = section_for(case.learner)

    assert section is not None
    assert french(sentence, number=case.pk) in text_of(section)
    links = re.findall(r'<a class="button" href="([^"]+)">([^<]+)</a>', section)
    if link:
        target = application_url(case)
        if state == "action_required":
            target = target.replace("/application/", "/action-required/")
        assert links == [(target, french(link))]
    else:
        assert links == []
    in_progress = re.findall(r'<li class="onb-step [a-z]+" aria-current="step">([^<]+)<', section)
    assert in_progress == ([french(current)] if current else [])
    if state == "active":
        assert len(re.findall(r'<li class="onb-step done">', section)) == 5


def test_the_steps_before_the_current_one_are_done_and_those_after_are_to_come():
    case = make_case(state="provisioning")

    section = section_for(case.learner)

    statuses = re.findall(r'<li class="onb-step ([a-z]+)"', section)
    assert statuses == ["done", "done", "done", "current", "todo"]


def test_an_active_payment_account_moves_the_bar_to_the_shop_step():
    case = make_case(state="provisioning")
    OnboardingCase.objects.filter(pk=case.pk).update(payment_account_status="active")

    statuses = re.findall(r'<li class="onb-step ([a-z]+)"', section_for(case.learner))

    assert statuses == ["done", "done", "done", "done", "current"]


def test_what_the_provider_asks_for_is_said_in_plain_words():
    case = make_case(state="action_required")
    OnboardingCase.objects.filter(pk=case.pk).update(
        requirements=["identity_document", "tax_number_xyz"]
    )

    section = text_of(section_for(case.learner))

    assert french("A clear photo of both sides of your national ID card.") in section
    assert french("Another document: the support team will tell you which one.") in section
    assert "identity_document" not in section and "tax_number_xyz" not in section


def test_a_learner_without_a_case_gets_no_section():
    assert section_for(make_learner()) is None


def test_the_status_page_shows_the_same_next_action(client):
    case = make_case(state="failed_needs_operator")
    client.force_login(case.learner)

    page = text_of(client.get(status_url(case)).content.decode())

    assert french(SUPPORT, number=case.pk) in page


def test_my_learning_shows_the_onboarding_section(client):
    case = make_case()
    client.force_login(case.learner)

    page = client.get("/fr/learn/").content.decode()

    assert f'href="{application_url(case)}"' in page
