import pytest
from django.db import transaction

from onboarding import applications
from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import OnboardingCase
from tests.builders import default_site
from tests.worker import celery_worker, wait_for

from .onboarding_builders import application, make_case
from .sandbox_process import sandbox_for_worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("pii_keys"),
]


def test_a_submitted_case_ends_active_through_a_worker_despite_a_5xx_and_a_timeout(
    live_server, settings, monkeypatch
):
    default_site()
    with sandbox_for_worker(live_server.url, settings, monkeypatch, timeout=1) as sandbox:
        # The first request fails with a 503; the second opens the account but answers too late.
        sandbox.faults(fail_next=1, fail_status=503, timeout_next=1, timeout_ms=2500)
        case = make_case()

        with celery_worker(name="onboarding"):
            with transaction.atomic():
                applications.submit_application(case.pk, application(), case.learner)
            wait_for(
                lambda: OnboardingCase.objects.get(pk=case.pk).state == "active",
                timeout=40,
                what="the case to become active",
            )

        stats = sandbox.stats()
    case.refresh_from_db()
    step = case.steps.get(kind="payment_account")
    assert step.attempts == 3
    assert stats["accounts_by_case"] == {str(case.pk): 1}
    assert stats["faults_injected"] == 2
    assert SellerProfilePage.objects.get(case=case).live
    assert [line.to_state for line in case.transitions.all()] == [
        "eligible",
        "submitted",
        "provisioning",
        "active",
    ]
