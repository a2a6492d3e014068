"""A withdrawn case's merchant account is closed at the payment provider, exactly once.

Against the real sandbox process: the close step runs through the outbox with its fixed
idempotency key, and the sandbox serves the account as closed afterwards.
"""

from __future__ import annotations

import html
import logging

import pytest
from django.utils import timezone

from onboarding import operator_actions, outbox
from onboarding.models import OnboardingStep, StepKind, StepStatus
from onboarding.providers import get_backend

from .onboarding_builders import make_case, operator
from .test_outbox_webhooks import opened_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "eager_tasks")]


def test_a_withdrawal_closes_the_account_at_the_provider(
    provider, django_capture_on_commit_callbacks
):
    case = opened_account()
    ref = case.payment_account_ref
    # Pending, or already active: the sandbox settles a new account after a second.
    assert get_backend("payments").get_account(ref).status in {"pending", "active"}

    with django_capture_on_commit_callbacks(execute=True):
        operator_actions.withdraw(case.pk, case.learner, "")

    assert get_backend("payments").get_account(ref).status == "closed"
    step = OnboardingStep.objects.get(case=case, kind=StepKind.CLOSE_ACCOUNT)
    assert (step.status, step.attempts) == (StepStatus.SUCCEEDED, 1)
    case.refresh_from_db()
    assert (case.state, case.payment_account_status) == ("withdrawn", "closed")
    # The worker's message delivered again: nothing is sent twice.
    assert outbox.run_step(step.pk) == "already succeeded"
    closed = [event for event in provider.events() if event["status"] == "closed"]
    assert len(closed) == 1


def test_closing_is_idempotent_at_the_provider(provider):
    case = opened_account()
    payments = get_backend("payments")

    first = payments.close_account(case.payment_account_ref, "close-key")
    again = payments.close_account(case.payment_account_ref, "close-key")
    other_key = payments.close_account(case.payment_account_ref, "another-key")

    assert first.status == again.status == other_key.status == "closed"
    assert [event["status"] for event in provider.events()].count("closed") == 1


def test_a_case_without_an_account_has_nothing_to_close(
    provider, django_capture_on_commit_callbacks
):
    case = make_case(state="kyc_pending")

    with django_capture_on_commit_callbacks(execute=True):
        operator_actions.withdraw(case.pk, case.learner, "")

    assert not OnboardingStep.objects.filter(case=case, kind=StepKind.CLOSE_ACCOUNT).exists()


def test_a_close_the_provider_keeps_failing_is_retried_then_shown_to_operators(
    provider, settings, client, caplog, django_capture_on_commit_callbacks
):
    settings.ONBOARDING_MAX_ATTEMPTS = 2
    case = opened_account()
    ref = case.payment_account_ref
    provider.faults(fail_next=2, fail_status=503)

    with django_capture_on_commit_callbacks(execute=True):
        operator_actions.withdraw(case.pk, case.learner, "")

    step = OnboardingStep.objects.get(case=case, kind=StepKind.CLOSE_ACCOUNT)
    assert (step.status, step.attempts) == (StepStatus.FAILED, 1)
    assert "503" in step.last_error and step.next_attempt_at is not None
    # The retry is due: the outbox runs it, and it fails too, on the last attempt.
    OnboardingStep.objects.filter(pk=step.pk).update(next_attempt_at=timezone.now())
    with caplog.at_level(logging.ERROR, logger="onboarding"):
        outbox.run_step(step.pk)

    step.refresh_from_db()
    assert (step.status, step.attempts, step.next_attempt_at) == (StepStatus.FAILED, 2, None)
    assert get_backend("payments").get_account(ref).status != "closed"
    case.refresh_from_db()
    assert case.state == "withdrawn"  # withdrawal is final; the failure is told, not undone
    last = case.transitions.latest("pk")
    assert (last.from_state, last.to_state) == ("withdrawn", "withdrawn")
    assert last.reason.startswith("needs an operator: ")
    assert "gave up after 2 attempts" in last.reason
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert [str(case.pk) in record.getMessage() for record in errors] == [True]
    client.force_login(operator("view_onboardingcase"))
    page = client.get(f"/admin/onboarding/cases/inspect/{case.pk}/").content.decode()
    assert "needs an operator: " in html.unescape(page)
