"""A withdrawn case's merchant account is closed at the payment provider, exactly once.

Against the real sandbox process: the close step runs through the outbox with its fixed
idempotency key, and the sandbox serves the account as closed afterwards.
"""

from __future__ import annotations

import pytest

from onboarding import operator_actions, outbox
from onboarding.models import OnboardingStep, StepKind, StepStatus
from onboarding.providers import get_backend

from .onboarding_builders import make_case
from .test_outbox_webhooks import opened_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "eager_tasks")]


def test_a_withdrawal_closes_the_account_at_the_provider(
    provider, django_capture_on_commit_callbacks
):
    case = opened_account()
    ref = case.payment_account_ref
    assert get_backend("payments").get_account(ref).status == "pending"

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
