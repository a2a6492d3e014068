"""The in-memory payment provider drives a case through the real outbox step and webhook endpoint."""

from __future__ import annotations

import pytest

from onboarding import applications, outbox
from onboarding.models import OnboardingCase, OnboardingStep
from onboarding.providers.fake import InMemoryPaymentsBackend

from .onboarding_builders import application, make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "eager_tasks")]

URL = "/onboarding/webhooks/payments/"


@pytest.fixture
def provider(in_memory_provider: InMemoryPaymentsBackend) -> InMemoryPaymentsBackend:
    return in_memory_provider


def submitted_case() -> OnboardingCase:
    case = make_case()
    applications.submit_application(case.pk, application(), case.learner)
    step = OnboardingStep.objects.get(case=case)
    assert outbox.run_step(step.pk) == "succeeded"
    return OnboardingCase.objects.get(pk=case.pk)


def test_the_payment_step_opens_a_pending_account_with_the_steps_key(provider):
    case = submitted_case()

    assert (case.state, case.payment_account_status) == ("provisioning", "pending")
    step = case.steps.get(kind="payment_account")
    applicant = case.applicant.as_provider_applicant()
    again = provider.open_account(applicant, str(step.idempotency_key))
    assert case.payment_account_ref == step.external_ref == again.ref


def test_its_webhook_posted_to_the_endpoint_moves_the_case(
    client, provider, django_capture_on_commit_callbacks
):
    case = submitted_case()
    webhook = provider.set_account(case.payment_account_ref, "restricted", ["identity_document"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, webhook.body, content_type="application/json", headers=webhook.headers
        )

    assert response.status_code == 200
    case.refresh_from_db()
    assert (case.state, case.requirements) == ("action_required", ["identity_document"])
    assert case.transitions.last().actor_label == "provider webhook"


def test_a_webhook_signed_with_another_secret_is_refused_at_the_endpoint(client, provider):
    case = submitted_case()
    stranger = InMemoryPaymentsBackend(name=provider.name, webhook_secrets=["whsec_stranger"])
    webhook = stranger.set_account(case.payment_account_ref, "active")

    response = client.post(
        URL, webhook.body, content_type="application/json", headers=webhook.headers
    )

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.state == "provisioning"
