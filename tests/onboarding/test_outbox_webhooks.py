import json
import time
from datetime import UTC, datetime

import pytest

from onboarding import applications, outbox, provisioning
from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import OnboardingStep, WebhookEvent
from onboarding.providers.base import PaymentAccount, Requirement
from onboarding.providers.signatures import signature_header

from .onboarding_builders import application, make_case
from .sandbox_process import running_sandbox

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "eager_tasks")]

URL = "/onboarding/webhooks/payments/"


def at(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


@pytest.fixture(scope="module")
def sandbox_server():
    # Accounts stay pending until the test moves them, as the provider's back office would.
    with running_sandbox(activation_delay=600) as running:
        yield running


def opened_account():
    case = make_case()
    applications.submit_application(case.pk, application(), case.learner)
    step = OnboardingStep.objects.get(case=case)
    assert outbox.run_step(step.pk) == "succeeded"
    case.refresh_from_db()
    return case


def post_event(client, secret, account_ref, status, event_id="evt_1", timestamp=None):
    body = json.dumps(
        {
            "id": event_id,
            "type": "account.updated",
            "created": int(time.time()),
            "data": {"account": {"id": account_ref, "status": status}},
        }
    ).encode()
    signature = signature_header(secret, event_id, timestamp or int(time.time()), body)
    return client.post(
        URL,
        body,
        content_type="application/json",
        headers={"Webhook-Id": event_id, "Webhook-Signature": signature},
    )


def test_the_case_follows_the_account_the_provider_serves_not_the_webhooks_claim(
    client, provider, django_capture_on_commit_callbacks
):
    case = opened_account()
    provider.set_account(case.payment_account_ref, "active")

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, provider.webhook_secret, case.payment_account_ref, "rejected")

    assert response.status_code == 200
    case.refresh_from_db()
    # Active account: the seller profile step ran (eagerly here) and the case is active.
    assert case.payment_account_status == "active"
    assert case.state == "active"
    assert SellerProfilePage.objects.get(case=case).live
    assert WebhookEvent.objects.get().processed_at is not None


def test_a_duplicate_delivery_is_acknowledged_and_changes_nothing_twice(
    client, provider, django_capture_on_commit_callbacks
):
    case = opened_account()
    provider.set_account(case.payment_account_ref, "restricted", ["identity_document"])

    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(client, provider.webhook_secret, case.payment_account_ref, "restricted")
        second = post_event(client, provider.webhook_secret, case.payment_account_ref, "restricted")

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["duplicate"] is True
    assert WebhookEvent.objects.count() == 1
    case.refresh_from_db()
    assert (case.state, case.requirements) == ("action_required", ["identity_document"])
    assert case.transitions.filter(to_state="action_required").count() == 1


def test_an_older_snapshot_arriving_late_does_not_move_the_case_back(provider):
    case = opened_account()
    newer = PaymentAccount(
        case.payment_account_ref, "restricted", [Requirement("tax_id")], at(2_000_000_000)
    )
    older = PaymentAccount(case.payment_account_ref, "pending", [], at(1_000_000_000))

    provisioning.apply_account(case.pk, newer, actor_label="provider webhook")
    provisioning.apply_account(case.pk, older, actor_label="provider webhook")

    case.refresh_from_db()
    assert (case.state, case.payment_account_status) == ("action_required", "restricted")


@pytest.mark.parametrize(
    "secret, age, message",
    [("not-the-secret", 0, "matches none"), (None, 3600, "more than 300 s")],
)
def test_a_bad_signature_or_an_old_timestamp_is_rejected_with_a_400(
    client, provider, secret, age, message
):
    response = post_event(
        client,
        secret or provider.webhook_secret,
        "acct_x",
        "active",
        timestamp=int(time.time()) - age,
    )
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("field", ["event_id", "account_ref"])
def test_over_long_webhook_fields_get_a_400_not_a_500(client, provider, field):
    values = {"event_id": "evt_1", "account_ref": "acct_x", field: "x" * 5000}
    response = post_event(
        client, provider.webhook_secret, values["account_ref"], "active", values["event_id"]
    )

    assert response.status_code == 400
    assert "longer than 100 characters" in response.json()["error"]
    assert not WebhookEvent.objects.exists()
