"""A misbehaving payment provider still ends in a live seller, once, with nothing left stuck.

Real parts only, shared by the tests of this module to keep it quick: a Celery worker process on the
configured broker, the payment sandbox as its own HTTP process (one for the module, reset before
each test), and the live server receiving the sandbox's signed webhooks. Each test injects its
faults into the sandbox and watches a case go from submitted to active. The waits are generous
because a worker starts slowly on a busy machine; they end as soon as the condition holds.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests
from django.db import transaction
from django.utils import timezone

from onboarding import applications
from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import CaseTransition, OnboardingCase, OnboardingStep, WebhookEvent
from onboarding.providers.signatures import signature_header
from onboarding.tasks import sweep_steps
from tests.builders import default_site
from tests.worker import celery_worker, wait_for

from .onboarding_builders import application, make_case
from .sandbox_process import RunningSandbox, running_sandbox

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("pii_keys", "provider"),
]

TIMEOUT = 3  # seconds the client waits for the provider
ACCOUNT_POLL_AFTER = 600  # seconds before the sweeper asks about an account still pending
WEBHOOK_PATH = "/onboarding/webhooks/payments/"


@pytest.fixture(scope="module")
def sandbox(live_server) -> Iterator[RunningSandbox]:
    with running_sandbox(
        webhook_url=live_server.url + WEBHOOK_PATH, activation_delay=0.2, webhook_backoff=0.2
    ) as running:
        yield running


@pytest.fixture
def worker(sandbox, monkeypatch) -> Iterator[None]:
    # One per test: a transactional test's flush gives the content types new ids, which a
    # worker kept from an earlier test would still have cached.
    # The worker is another process: it reads its settings from the environment.
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "tests.onboarding.fault_worker_settings")
    monkeypatch.setenv("PAYMENTS_API_URL", sandbox.url)
    monkeypatch.setenv("PAYMENTS_TIMEOUT", str(TIMEOUT))
    monkeypatch.setenv("ONBOARDING_ACCOUNT_POLL_AFTER", str(ACCOUNT_POLL_AFTER))
    with celery_worker(name="provider-faults"):
        yield


@pytest.fixture
def provider(sandbox, worker, settings) -> RunningSandbox:
    """The sandbox with no fault and no account, and this process (the webhook receiver) on it."""
    sandbox.reset()
    settings.ONBOARDING_PROVIDERS = {
        **settings.ONBOARDING_PROVIDERS,
        "payments": sandbox.provider_settings(timeout=TIMEOUT),
    }
    default_site()
    return sandbox


def submit(case: OnboardingCase, **overrides: Any) -> None:
    with transaction.atomic():
        applications.submit_application(case.pk, application(**overrides), case.learner)


def wait_until_active(case: OnboardingCase, timeout: float = 45) -> OnboardingCase:
    wait_for(
        lambda: OnboardingCase.objects.get(pk=case.pk).state == "active",
        timeout=timeout,
        what=f"case {case.pk} to become active",
    )
    return OnboardingCase.objects.get(pk=case.pk)


def states_of(case: OnboardingCase) -> list[str]:
    return list(
        CaseTransition.objects.filter(case=case)
        .order_by("at", "pk")
        .values_list("to_state", flat=True)
    )


def payment_step(case: OnboardingCase) -> OnboardingStep:
    return OnboardingStep.objects.get(case=case, kind="payment_account")


def assert_live_seller_with_one_account(case: OnboardingCase, sandbox: RunningSandbox) -> None:
    assert sandbox.stats()["accounts_by_case"] == {str(case.pk): 1}
    pages = SellerProfilePage.objects.filter(case=case)
    assert pages.count() == 1
    assert pages.get().live


def assert_nothing_stuck() -> None:
    now = timezone.now()
    assert not OnboardingCase.objects.filter(state__in=["submitted", "provisioning"]).exists()
    assert not OnboardingStep.objects.filter(status="running", lease_until__lt=now).exists()
    assert not OnboardingStep.objects.filter(status="pending", next_attempt_at__lt=now).exists()


def test_repeated_server_errors_then_success_end_in_a_live_seller_with_one_account(provider):
    provider.faults(fail_next=3, fail_status=500)
    case = make_case()
    submit(case)

    case = wait_until_active(case)

    assert payment_step(case).attempts == 4
    assert provider.stats()["faults_injected"] == 3
    assert_live_seller_with_one_account(case, provider)
    assert states_of(case) == ["eligible", "submitted", "provisioning", "active"]


def test_slow_answers_within_the_timeout_end_in_a_live_seller_without_a_retry(provider):
    # Every call takes half the client's timeout: slow, never too slow.
    provider.faults(latency_ms=TIMEOUT * 1000 // 2)
    case = make_case()
    submit(case)

    case = wait_until_active(case)

    assert payment_step(case).attempts == 1
    assert provider.stats()["idempotent_replays"] == 0
    assert_live_seller_with_one_account(case, provider)


def test_duplicate_and_out_of_order_webhooks_change_nothing_twice(provider):
    provider.faults(duplicate_webhooks=True, out_of_order_webhooks=True)
    case = make_case()
    submit(case)

    case = wait_until_active(case)
    # The account's two events ("pending", then "active"), newest first, each sent twice.
    wait_for(
        lambda: provider.stats()["webhooks_delivered"] == 4,
        timeout=20,
        what="the four webhook deliveries",
    )
    sent = [event for event in provider.events() if event["account"] == case.payment_account_ref]
    assert [event["status"] for event in sent] == ["pending", "active"]

    stored = WebhookEvent.objects.filter(account_ref=case.payment_account_ref)
    assert sorted(stored.values_list("event_id", flat=True)) == sorted(e["id"] for e in sent)
    states = states_of(case)
    assert states == ["eligible", "submitted", "provisioning", "active"]
    assert len(states) == len(set(states))
    # The older "pending" snapshot came last and did not take the case back.
    assert OnboardingCase.objects.get(pk=case.pk).payment_account_status == "active"
    assert_live_seller_with_one_account(case, provider)


def signed_event(
    secret: str, *, age: int = 0, account_ref: str = "acct_unknown"
) -> tuple[bytes, dict[str, str]]:
    event_id = f"evt_{secrets.token_hex(12)}"
    body = json.dumps(
        {
            "id": event_id,
            "type": "account.updated",
            "created": int(time.time()) - age,
            "data": {"account": {"id": account_ref, "status": "active"}},
        }
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "Webhook-Id": event_id,
        "Webhook-Signature": signature_header(secret, event_id, int(time.time()) - age, body),
    }
    return body, headers


def test_a_bad_signature_or_an_old_timestamp_is_refused_with_400_and_stores_nothing(
    provider, live_server
):
    url = live_server.url + WEBHOOK_PATH

    body, headers = signed_event("whsec_someone_else")
    forged = requests.post(url, data=body, headers=headers, timeout=5)
    body, headers = signed_event(provider.webhook_secret, age=10 * 60)
    replayed = requests.post(url, data=body, headers=headers, timeout=5)
    tampered_body, headers = signed_event(provider.webhook_secret)
    tampered = requests.post(
        url, data=tampered_body.replace(b"active", b"rejected"), headers=headers, timeout=5
    )

    assert (forged.status_code, replayed.status_code, tampered.status_code) == (400, 400, 400)
    assert not WebhookEvent.objects.exists()
    # The same request, signed with the provider's secret now, is accepted and stored.
    body, headers = signed_event(provider.webhook_secret)
    accepted = requests.post(url, data=body, headers=headers, timeout=5)
    assert accepted.status_code == 200
    assert WebhookEvent.objects.count() == 1


def test_after_a_sweep_no_case_is_left_stuck_when_the_webhooks_are_lost(provider):
    # Webhooks go nowhere; a national ID ending in 1111 keeps the account pending until the
    # provider's back office moves it.
    provider.configure(webhook_url=None)
    case = make_case()
    submit(case, cin="BE471111")
    wait_for(
        lambda: payment_step(case).status == "succeeded",
        timeout=45,
        what="the payment step to record the account",
    )
    case.refresh_from_db()
    assert case.payment_account_status == "pending"
    provider.set_account(case.payment_account_ref, "active")
    # The account is active at the provider, but nobody told us: stuck without the sweeper.
    assert provider.stats()["webhooks_sent"] == 0
    assert OnboardingCase.objects.get(pk=case.pk).state == "provisioning"
    # The case has been quiet for longer than the sweeper waits before asking the provider.
    OnboardingCase.objects.filter(pk=case.pk).update(
        updated_at=timezone.now() - timedelta(seconds=ACCOUNT_POLL_AFTER + 1)
    )

    sweep_steps.delay()

    case = wait_until_active(case)
    assert_live_seller_with_one_account(case, provider)
    assert_nothing_stuck()
