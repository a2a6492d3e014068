"""A worker killed with SIGKILL in the middle of a payment step loses nothing.

Real parts only: a Celery worker process on the configured broker, the payment sandbox as its own
HTTP process, the live server receiving the sandbox's webhooks. The step is running, its provider
call is on the wire, and the worker's whole process group dies. No message is acknowledged and no
result is written; the step row is left ``running`` with a lease, which nobody renews any more.
The call outlasts the lease: while the worker lived, it kept the step by renewing the lease. Once
the lease has run out the sweeper (run as beat does) hands the step to a fresh worker, which calls
the provider again with the stored idempotency key: the provider answers with the account the dead
worker's call opened.
"""

import os
import signal

import pytest
from django.db import transaction
from django.utils import timezone

from onboarding import applications
from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import OnboardingCase, OnboardingStep
from onboarding.tasks import sweep_steps
from tests.builders import default_site
from tests.worker import celery_worker, wait_for

from .onboarding_builders import application, make_case
from .sandbox_process import sandbox_for_worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("pii_keys"),
]

LEASE_SECONDS = 4
PROVIDER_LATENCY_MS = 9000  # longer than the lease: the step is only kept by renewing it


def payment_step(case):
    return OnboardingStep.objects.filter(case=case, kind="payment_account").first()


def test_a_worker_killed_during_the_payment_call_loses_nothing_and_opens_one_account(
    live_server, settings, monkeypatch
):
    default_site()
    with sandbox_for_worker(
        live_server.url,
        settings,
        monkeypatch,
        timeout=20,
        activation_delay=0.2,
        worker_settings="tests.onboarding.fault_worker_settings",
    ) as sandbox:
        monkeypatch.setenv("ONBOARDING_LEASE_SECONDS", str(LEASE_SECONDS))
        # The provider takes 9 s to open an account: the window in which the worker dies.
        sandbox.faults(latency_ms=PROVIDER_LATENCY_MS)
        case = make_case()

        with celery_worker(name="to-be-killed") as doomed:
            with transaction.atomic():
                applications.submit_application(case.pk, application(), case.learner)
            wait_for(
                lambda: (
                    getattr(payment_step(case), "status", "") == "running"
                    and sandbox.stats()["requests_by_route"].get("POST /v1/accounts", 0) == 1
                ),
                timeout=45,
                what="the payment step to be running and its call to be at the provider",
            )
            first_lease = payment_step(case).lease_until
            # Alive and on the wire past its first lease: the worker renewed it, and kept it.
            wait_for(
                lambda: (
                    timezone.now() > first_lease and payment_step(case).lease_until > first_lease
                ),
                timeout=45,
                what="the first lease to be over and renewed",
            )
            assert payment_step(case).attempts == 1
            # The whole process group: the pool child in the middle of the call and its parent.
            # The parent stays a zombie until celery_worker reaps it on the way out.
            os.killpg(doomed.pid, signal.SIGKILL)

        # Dead mid-call: nothing was written back, the step still looks taken.
        step = payment_step(case)
        assert step.status == "running"
        assert step.attempts == 1
        assert step.external_ref == ""
        assert OnboardingCase.objects.get(pk=case.pk).state == "provisioning"
        # The provider recovers its speed; the call the dead worker made still completes there.
        sandbox.faults(latency_ms=0)

        def swept_until_active() -> bool:
            # What beat does every few seconds, on the sweeper's own queue.
            sweep_steps.delay(steps_only=True)
            return OnboardingCase.objects.get(pk=case.pk).state == "active"

        with celery_worker(name="fresh"):
            # The dead worker's lease runs out by itself: no one renews it any more.
            wait_for(
                swept_until_active,
                timeout=90,
                every=1.0,
                what="the case to become active after the lease ran out and a sweep",
            )
            # What beat would do next: one more sweep, which must find no step and no account
            # left to rescue. (Webhooks that came before the account was known may be tried
            # again; applying an account twice changes nothing.)
            swept = sweep_steps()
            assert (swept["steps"], swept["accounts"]) == (0, 0)

        stats = sandbox.stats()

    step = payment_step(case)
    assert step.status == "succeeded"
    # The fresh worker's attempt is the second, or later if a starved machine let its renewed
    # lease lapse too: whatever the count, the provider opened one account, every later call
    # replaying the first one's key.
    assert step.attempts >= 2
    assert stats["accounts_by_case"] == {str(case.pk): 1}
    assert 1 <= stats["idempotent_replays"] <= step.attempts - 1
    assert SellerProfilePage.objects.filter(case=case).count() == 1
    assert SellerProfilePage.objects.get(case=case).live
    assert [line.to_state for line in case.transitions.all()] == [
        "eligible",
        "submitted",
        "provisioning",
        "active",
    ]
    now = timezone.now()
    assert not OnboardingStep.objects.filter(status="running", lease_until__lt=now).exists()
    assert not OnboardingCase.objects.filter(state__in=["submitted", "provisioning"]).exists()
