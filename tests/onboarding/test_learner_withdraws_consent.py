"""The consent text promises "I can withdraw my consent at any time": the learner can, herself,
from her status page, and her seller page leaves the marketplace."""

from __future__ import annotations

import pytest

from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import CaseTransition, OnboardingCase
from tests.builders import default_site, make_learner

from .marketplace_builders import applied_case, certified_learner, open_account
from .onboarding_builders import make_case, status_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys")]


def withdraw_url(case, language: str = "fr") -> str:
    return f"/{language}/onboarding/cases/{case.pk}/withdraw/"


def live_seller() -> OnboardingCase:
    default_site()
    learner, _certificate = certified_learner(first_name="Fatima", last_name="Bennani")
    case = applied_case(learner=learner)
    LocalMarketplaceBackend(payment_provider="Sandbox Pay").create_or_update_seller(
        open_account(case, "active")
    )
    assert SellerProfilePage.objects.get(case=case).live
    return case


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_status_page_leads_the_learner_to_withdraw_her_consent(client, language):
    case = make_case(state="kyc_pending")
    client.force_login(case.learner)

    status = client.get(status_url(case, language)).content.decode()
    assert withdraw_url(case, language) in status
    confirm = client.get(withdraw_url(case, language))

    assert confirm.status_code == 200
    assert 'method="post"' in confirm.content.decode()
    # Opening the page changes nothing: only her confirmation does.
    case.refresh_from_db()
    assert case.state == "kyc_pending"


def test_a_learner_withdraws_her_consent_herself_and_her_seller_page_goes_offline(
    client, django_capture_on_commit_callbacks
):
    case = live_seller()
    client.force_login(case.learner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(withdraw_url(case))

    assert response.status_code == 302
    assert response["Location"] == status_url(case) + "?done=withdrawn"
    case.refresh_from_db()
    assert case.state == "withdrawn"
    last = CaseTransition.objects.filter(case=case).latest("pk")
    assert (last.to_state, last.actor_label, last.actor_id) == (
        "withdrawn",
        "learner",
        case.learner.pk,
    )
    assert not SellerProfilePage.objects.get(case=case).live
    page = client.get(response["Location"]).content.decode()
    assert "Votre consentement est retiré." in page
    assert withdraw_url(case) not in page


def test_another_learner_cannot_withdraw_someone_elses_case(client):
    case = make_case(state="kyc_pending")
    client.force_login(make_learner())

    assert client.post(withdraw_url(case)).status_code == 404
    case.refresh_from_db()
    assert case.state == "kyc_pending"


def test_a_closed_case_sends_the_learner_back_to_her_status(client):
    case = make_case(state="rejected")
    client.force_login(case.learner)

    assert client.post(withdraw_url(case))["Location"] == status_url(case)
    assert client.get(withdraw_url(case))["Location"] == status_url(case)
    case.refresh_from_db()
    assert case.state == "rejected"
