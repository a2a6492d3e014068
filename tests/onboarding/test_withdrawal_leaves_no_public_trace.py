"""After a withdrawal nothing public is left of the seller: her page answers 404, the directory,
the site's search and any sitemap no longer name her shop, the published copy of her photo is
gone, and her account is closed at the payment provider (the real sandbox process)."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from onboarding import provisioning
from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import MarketplaceIndexPage, SellerProfilePage
from onboarding.providers import get_backend
from tests.builders import default_site

from .marketplace_builders import make_photo
from .test_outbox_webhooks import opened_account
from .test_withdrawn_seller_photo_is_deleted import public_status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc", "eager_tasks")]

SHOP = "Atelier Nour Zellige"


def public_traces(client, page: SellerProfilePage, photo_urls: list[str]) -> dict[str, bool]:
    directory = MarketplaceIndexPage.objects.get()
    sitemap = client.get("/sitemap.xml")
    return {
        "page": client.get(page.url).status_code == 200,
        "directory": SHOP in client.get(directory.url).content.decode(),
        "search": Page.objects.live().search(SHOP).count() > 0,
        "sitemap": sitemap.status_code == 200 and page.slug in sitemap.content.decode(),
        "photo": any(public_status(url) == 200 for url in photo_urls),
    }


def test_withdrawal_leaves_no_public_trace_and_closes_the_account(
    client, provider, django_capture_on_commit_callbacks
):
    default_site()
    case = opened_account()
    ref = case.payment_account_ref
    provider.set_account(ref, "active")
    # The snapshot as the provider reports it, stamped with its own clock (whole seconds): a
    # snapshot made up here, to the microsecond, would make the closing one look older.
    active = get_backend("payments").get_account(ref)
    case = provisioning.apply_account(case.pk, active, actor_label="payment provider")
    case.applicant.shop_name = SHOP
    case.applicant.photo = make_photo()
    case.applicant.save()
    LocalMarketplaceBackend().create_or_update_seller(case)
    page = SellerProfilePage.objects.get(case=case)
    photo = page.photo.get_rendition("fill-300x300")
    photo_urls = [page.photo.file.url, photo.url]
    before = public_traces(client, page, photo_urls)
    assert before == {
        "page": True,
        "directory": True,
        "search": True,
        "sitemap": False,  # the site publishes none
        "photo": True,
    }

    client.force_login(case.learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/fr/onboarding/cases/{case.pk}/withdraw/")
    assert response.status_code == 302
    client.logout()

    assert not any(public_traces(client, page, photo_urls).values())
    assert get_backend("payments").get_account(ref).status == "closed"
    case.refresh_from_db()
    assert (case.state, case.payment_account_status) == ("withdrawn", "closed")
