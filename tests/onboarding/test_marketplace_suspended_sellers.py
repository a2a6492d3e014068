"""A seller whose case stops selling leaves the marketplace, and comes back when it sells again.

Driven end to end: the real payment sandbox serves the account, its signed webhook comes in, the
worker's task (eager here) applies it and the case's state change takes the page offline.
"""

import pytest

from onboarding import operator_actions
from onboarding.marketplace.models import MarketplaceIndexPage, SellerProfilePage
from onboarding.models import OnboardingCase
from tests.builders import default_site

from .onboarding_builders import operator
from .sandbox_process import running_sandbox
from .test_outbox_webhooks import opened_account, post_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "eager_tasks")]


@pytest.fixture(scope="module")
def sandbox_server():
    # Accounts stay pending until the test moves them, as the provider's back office would.
    with running_sandbox(activation_delay=600) as running:
        yield running


def public_urls(page: SellerProfilePage) -> list[str]:
    path = page.url.removeprefix("/fr/")
    return [f"/fr/{path}", f"/ar/{path}"]


def directory(client, language: str) -> str:
    index = MarketplaceIndexPage.objects.get(locale__language_code="fr")
    return client.get(f"/{language}/{index.url.removeprefix('/fr/')}").content.decode()


@pytest.fixture
def live_seller(client, provider, django_capture_on_commit_callbacks):
    default_site()
    case = opened_account()
    provider.set_account(case.payment_account_ref, "active")
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, provider.webhook_secret, case.payment_account_ref, "active", "evt_on")
    case.refresh_from_db()
    assert case.state == "active"
    page = SellerProfilePage.objects.get(case=case)
    assert page.live
    assert all(client.get(url).status_code == 200 for url in public_urls(page))
    assert page.title in directory(client, "fr")
    return case


def test_an_active_seller_whose_account_becomes_restricted_stays_live(
    client, provider, live_seller, django_capture_on_commit_callbacks
):
    ref = live_seller.payment_account_ref
    provider.set_account(ref, "restricted", ["identity_document"])

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, provider.webhook_secret, ref, "restricted", "evt_off")

    assert response.status_code == 200
    live_seller.refresh_from_db()
    assert (live_seller.state, live_seller.payment_account_status) == (
        "action_required",
        "restricted",
    )
    page = SellerProfilePage.objects.get(case=live_seller)
    assert not page.live
    assert [client.get(url).status_code for url in public_urls(page)] == [404, 404]
    assert page.title not in directory(client, "fr")
    assert page.title not in directory(client, "ar")

    # The provider is satisfied again: the page is back, as it was.
    provider.set_account(ref, "active")
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, provider.webhook_secret, ref, "active", "evt_back")

    live_seller.refresh_from_db()
    assert live_seller.state == "active"
    assert SellerProfilePage.objects.get(case=live_seller).live
    assert [client.get(url).status_code for url in public_urls(page)] == [200, 200]
    assert page.title in directory(client, "fr")


def test_a_withdrawn_seller_is_taken_off_the_marketplace(
    client, live_seller, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        operator_actions.withdraw(live_seller.pk, operator("withdraw_case"), "consent withdrawn")

    page = SellerProfilePage.objects.get(case=live_seller)
    assert not page.live
    assert [client.get(url).status_code for url in public_urls(page)] == [404, 404]


def test_a_live_page_whose_case_stopped_selling_is_not_served_even_if_still_marked_live(
    client, live_seller
):
    # As if the receiver had failed: the case moved, the page's live flag did not.
    OnboardingCase.objects.filter(pk=live_seller.pk).update(state="rejected")
    page = SellerProfilePage.objects.get(case=live_seller)
    assert page.live

    assert [client.get(url).status_code for url in public_urls(page)] == [404, 404]
    assert page.title not in directory(client, "fr")
