"""Operators approve, reject, retry and withdraw cases from the case page, each with its own
permission, each through the workflow and recorded in the timeline."""

import pytest
from django.contrib.messages import get_messages
from django.utils import translation
from django.utils.html import escape

from onboarding import applications, provisioning
from onboarding.admin_views.actions import ACTIONS, CaseActionView
from onboarding.models import OnboardingCase, OnboardingStep

from .onboarding_builders import application, make_case, operator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "fast_passwords")]

CASES = "/admin/onboarding/cases/"


def case_in_review() -> OnboardingCase:
    """A real duplicate: the second application with the same national ID goes to review."""
    for _ in range(2):
        case = make_case()
        applications.submit_application(case.pk, application(), case.learner)
    case.refresh_from_db()
    assert case.state == "manual_review"
    return case


def failed_case() -> tuple[OnboardingCase, OnboardingStep]:
    """A case whose payment account step used up its attempts."""
    case = make_case()
    applications.submit_application(case.pk, application(), case.learner)
    step = case.steps.get(kind="payment_account")
    OnboardingStep.objects.filter(pk=step.pk).update(
        status="failed", attempts=step.max_attempts, next_attempt_at=None, last_error="HTTP 503"
    )
    provisioning.give_up(case.pk, reason="Payment account: gave up after 5 attempts: HTTP 503")
    case.refresh_from_db()
    assert case.state == "failed_needs_operator"
    return case, step


def action_url(case: OnboardingCase, action: str) -> str:
    return f"{CASES}{case.pk}/{action}/"


def test_approving_a_case_in_manual_review_starts_provisioning_and_records_the_reason(
    client, django_capture_on_commit_callbacks
):
    case = case_in_review()
    reviewer = operator("view_onboardingcase", "review_case")
    client.force_login(reviewer)
    page = client.get(f"{CASES}inspect/{case.pk}/").content.decode()
    assert action_url(case, "approve") in page
    assert client.get(action_url(case, "approve")).status_code == 200

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(action_url(case, "approve"), {"reason": "same person, new card"})

    assert response.status_code == 302
    assert response.url == f"{CASES}inspect/{case.pk}/"
    case.refresh_from_db()
    assert case.state == "provisioning"
    approved = case.transitions.get(from_state="manual_review")
    assert (approved.to_state, approved.actor, approved.reason) == (
        "submitted",
        reviewer,
        "same person, new card",
    )
    assert case.steps.get(kind="payment_account").status == "pending"
    assert callbacks  # the step is enqueued once the approval has committed


def test_the_confirmation_page_says_what_the_action_does_and_where_the_reason_goes(client):
    case = case_in_review()
    client.force_login(operator("view_onboardingcase", "withdraw_case"))

    response = client.get(action_url(case, "withdraw"))

    page = response.content.decode()
    with translation.override(response.context["LANGUAGE_CODE"]):
        does = escape(str(ACTIONS["withdraw"].help))
        recorded = escape(str(CaseActionView.reason_help_text))
    assert page.count(does) == 1 and recorded in page
    assert 'class="button no"' in page  # withdrawing is final
    assert f'href="{CASES}inspect/{case.pk}/"' in page  # cancel goes back to the case


def test_an_action_needs_a_reason(client):
    case = case_in_review()
    client.force_login(operator("view_onboardingcase", "review_case"))

    response = client.post(action_url(case, "approve"), {"reason": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    case.refresh_from_db()
    assert case.state == "manual_review"


@pytest.mark.parametrize(
    ("action", "codename", "expected"),
    [("reject", "review_case", "rejected"), ("withdraw", "withdraw_case", "withdrawn")],
)
def test_rejecting_and_withdrawing_a_case_in_review_end_it(client, action, codename, expected):
    case = case_in_review()
    client.force_login(operator("view_onboardingcase", codename))

    client.post(action_url(case, action), {"reason": "asked by the learner"})

    case.refresh_from_db()
    assert case.state == expected
    assert case.transitions.last().reason == "asked by the learner"


def test_retrying_a_failed_case_re_arms_its_failed_step(client, django_capture_on_commit_callbacks):
    case, step = failed_case()
    client.force_login(operator("view_onboardingcase", "retry_case"))
    assert action_url(case, "retry") in client.get(f"{CASES}inspect/{case.pk}/").content.decode()

    with django_capture_on_commit_callbacks() as callbacks:
        client.post(action_url(case, "retry"), {"reason": "provider back up"})

    case.refresh_from_db()
    step.refresh_from_db()
    assert case.state == "provisioning"
    assert (step.status, step.attempts) == ("pending", 0)
    assert step.next_attempt_at is not None
    assert callbacks


@pytest.mark.parametrize(
    ("action", "granted"),
    [
        ("approve", ["retry_case", "withdraw_case"]),
        ("reject", ["retry_case", "withdraw_case"]),
        ("retry", ["review_case", "withdraw_case"]),
        ("withdraw", ["review_case", "retry_case"]),
    ],
)
def test_an_action_is_hidden_and_refused_without_its_permission(client, action, granted):
    case, _step = failed_case() if action == "retry" else (case_in_review(), None)
    client.force_login(operator("view_onboardingcase", *granted))

    page = client.get(f"{CASES}inspect/{case.pk}/").content.decode()
    response = client.post(action_url(case, action), {"reason": "let me"})

    assert action_url(case, action) not in page
    assert response.status_code == 403
    before = case.state
    case.refresh_from_db()
    assert case.state == before


def test_an_action_the_workflow_refuses_is_shown_as_an_error_message(client):
    case = make_case(state="active")
    client.force_login(operator("view_onboardingcase", "review_case"))
    assert (
        action_url(case, "approve") not in client.get(f"{CASES}inspect/{case.pk}/").content.decode()
    )

    response = client.post(action_url(case, "approve"), {"reason": "try anyway"})

    assert response.status_code == 302
    errors = [str(message) for message in get_messages(response.wsgi_request)]
    assert len(errors) == 1 and "active" in errors[0] and "manual_review" in errors[0]
    case.refresh_from_db()
    assert case.state == "active"
