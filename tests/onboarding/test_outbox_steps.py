from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding import applications, operator_actions, outbox, sweeper
from onboarding.models import OnboardingStep

from .onboarding_builders import application, make_case, phone_appears_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys")]


def submitted_step(**overrides) -> OnboardingStep:
    case = make_case()
    applications.submit_application(case.pk, application(**overrides), case.learner)
    return OnboardingStep.objects.get(case=case, kind="payment_account")


def test_submitting_an_application_queues_the_payment_account_step():
    step = submitted_step()
    assert step.case.state == "provisioning"
    assert (step.status, step.attempts, step.max_attempts) == ("pending", 0, 8)
    assert step.next_attempt_at <= timezone.now()


def test_only_one_of_two_claims_on_the_same_step_wins():
    step = submitted_step()
    first, second = outbox.claim(step.pk), outbox.claim(step.pk)
    assert first is not None and second is None
    step.refresh_from_db()
    assert (step.status, step.attempts) == ("running", 1)
    assert step.lease_until > timezone.now()


def test_a_provider_answer_marks_the_step_done_with_its_reference_and_the_same_key_is_reused(
    provider,
):
    step = submitted_step()
    assert outbox.run_step(step.pk) == "succeeded"
    assert outbox.run_step(step.pk) == "already succeeded"

    step.refresh_from_db()
    assert step.status == "succeeded"
    assert step.external_ref.startswith("acct_")
    assert step.last_response["id"] == step.external_ref
    assert not phone_appears_in(step.last_response)
    case = step.case
    case.refresh_from_db()
    assert (case.payment_account_ref, case.payment_account_status) == (step.external_ref, "pending")
    assert provider.stats()["accounts_by_case"] == {str(case.pk): 1}


def test_a_provider_outage_schedules_a_retry_with_backoff(provider, settings):
    settings.ONBOARDING_RETRY_BACKOFF = 2
    settings.ONBOARDING_RETRY_BACKOFF_MAX = 60
    step = submitted_step()
    provider.faults(fail_next=1, fail_status=503)

    before = timezone.now()
    assert outbox.run_step(step.pk) == "failed, will retry"

    step.refresh_from_db()
    assert (step.status, step.attempts) == ("failed", 1)
    assert "503" in step.last_error
    # First retry: between half and all of ONBOARDING_RETRY_BACKOFF (2 s).
    wait = (step.next_attempt_at - before).total_seconds()
    assert 0.9 <= wait <= 2.5
    assert outbox.run_step(step.pk) == "not claimed"  # not due yet


def test_backoff_doubles_and_is_capped(settings):
    settings.ONBOARDING_RETRY_BACKOFF = 5
    settings.ONBOARDING_RETRY_BACKOFF_MAX = 30
    assert 10 <= outbox.backoff(3) <= 20
    assert 15 <= outbox.backoff(10) <= 30


def test_the_last_failed_attempt_hands_the_case_to_an_operator(provider, settings):
    settings.ONBOARDING_MAX_ATTEMPTS = 2
    step = submitted_step()
    provider.faults(fail_next=5, fail_status=502)

    assert outbox.run_step(step.pk) == "failed, will retry"
    OnboardingStep.objects.filter(pk=step.pk).update(next_attempt_at=timezone.now())
    assert outbox.run_step(step.pk) == "failed, will retry"

    step.refresh_from_db()
    case = step.case
    case.refresh_from_db()
    assert (step.status, step.attempts, step.next_attempt_at) == ("failed", 2, None)
    assert case.state == "failed_needs_operator"
    assert "gave up after 2 attempts" in case.transitions.last().reason
    assert outbox.run_step(step.pk) == "not claimed"


def test_a_request_the_provider_refuses_for_good_goes_to_an_operator_at_once(provider):
    step = submitted_step()
    provider.faults(fail_next=1, fail_status=422)

    assert outbox.run_step(step.pk) == "rejected"

    step.case.refresh_from_db()
    assert step.case.state == "failed_needs_operator"
    assert "refused by the provider" in step.case.transitions.last().reason


def test_a_step_of_a_withdrawn_case_is_parked_without_calling_the_provider(provider):
    step = submitted_step()
    operator_actions.withdraw(step.case_id, step.case.learner, "changed my mind")

    assert outbox.run_step(step.pk) == "parked"
    step.refresh_from_db()
    assert (step.status, step.attempts, step.next_attempt_at) == ("failed", 0, None)
    assert provider.stats()["accounts_created"] == 0


@pytest.mark.usefixtures("eager_tasks")
def test_the_sweeper_gives_a_step_whose_worker_died_to_another_worker(provider):
    step = submitted_step()
    # A worker claimed it, then died: the row says running, with a lease already over.
    OnboardingStep.objects.filter(pk=step.pk).update(
        status="running",
        attempts=1,
        lease_until=timezone.now() - timedelta(seconds=1),
        enqueued_at=None,
    )
    fresh = submitted_step(cin="CD654321")
    OnboardingStep.objects.filter(pk=fresh.pk).update(
        status="running", attempts=1, lease_until=timezone.now() + timedelta(minutes=1)
    )

    counts = sweeper.sweep()

    assert counts["steps"] == 1
    step.refresh_from_db()
    fresh.refresh_from_db()
    assert (step.status, step.attempts) == ("succeeded", 2)
    assert fresh.status == "running"
    assert provider.stats()["accounts_by_case"] == {str(step.case_id): 1}
