"""The marketplace directory: live sellers, filtered by chain, craft and region with a plain
form, a page at a time."""

import re

import pytest

from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import MarketplaceIndexPage, SellerProfilePage
from tests.builders import default_site, make_arabic_copy, make_catalogue

from .marketplace_builders import applied_case, make_photo, open_account
from .onboarding_builders import make_craft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys")]


def seller(shop_name, craft, region, photo, live=True):
    case = applied_case(shop_name=shop_name, craft=craft, region=region, photo=photo)
    if live:
        case = open_account(case, "active")
    LocalMarketplaceBackend().create_or_update_seller(case)


@pytest.fixture
def marketplace():
    default_site()
    zellige = make_craft("zellige", chain="building")
    copper = make_craft("dinanderie", chain="metal")
    carpet = make_craft("tapis", chain="textile")
    photo = make_photo()
    seller("Atelier Zellige", zellige, "Fès-Meknès", photo)
    seller("Dar Nhas", copper, "Fès-Meknès", photo)
    seller("Zarbia Marrakech", carpet, "Marrakech-Safi", photo)
    seller("Brouillon", carpet, "Souss-Massa", photo, live=False)
    return MarketplaceIndexPage.objects.get()


def shops(html):
    return re.findall(r'class="card-link"[^>]*>.*?<span dir="auto">([^<]+)</span>', html)


def test_the_directory_lists_live_sellers_only(client, marketplace):
    html = client.get(marketplace.url).content.decode()

    # Newest seller first.
    assert shops(html) == ["Zarbia Marrakech", "Dar Nhas", "Atelier Zellige"]
    # A region where only a draft seller is offers nothing to choose.
    assert "Souss-Massa" not in html


# Each query, and the shops it lists. One marketplace serves them all: building it is the slow part.
FILTERS = [
    ({"chain": "metal"}, ["Dar Nhas"]),
    ({"craft": "zellige"}, ["Atelier Zellige"]),
    ({"region": "Fès-Meknès"}, ["Dar Nhas", "Atelier Zellige"]),
    ({"region": "Fès-Meknès", "chain": "textile"}, []),
    ({"chain": "no-such-chain"}, ["Zarbia Marrakech", "Dar Nhas", "Atelier Zellige"]),
]


def test_the_directory_filters_by_chain_craft_and_region(client, marketplace):
    listed = [
        (query, shops(client.get(marketplace.url, query).content.decode())) for query, _ in FILTERS
    ]

    assert listed == FILTERS


def test_the_filters_follow_sellers_going_online_and_offline(client, marketplace):
    assert "Souss-Massa" not in client.get(marketplace.url).content.decode()  # now cached

    seller("Dar Souss", make_craft("argane", chain="food"), "Souss-Massa", make_photo())
    html = client.get(marketplace.url).content.decode()
    assert "Souss-Massa" in html and '<option value="food"' in html

    SellerProfilePage.objects.get(title="Dar Souss").unpublish()
    html = client.get(marketplace.url).content.decode()
    assert "Souss-Massa" not in html and '<option value="food"' not in html


def test_the_filter_form_works_without_javascript_and_keeps_the_choice(client, marketplace):
    html = client.get(marketplace.url, {"chain": "metal"}).content.decode()

    form = re.search(r'<form class="filters" method="get" action="([^"]+)"', html)
    assert form and form.group(1) == marketplace.url
    assert '<button class="button" type="submit">' in html
    assert '<option value="metal" selected>' in html


def test_the_directory_is_paginated_and_the_next_page_keeps_the_filters(
    client, marketplace, monkeypatch
):
    monkeypatch.setattr(MarketplaceIndexPage, "sellers_per_page", 1)

    first = client.get(marketplace.url, {"region": "Fès-Meknès"}).content.decode()
    next_link = re.search(r'<a href="\?([^"]+)" rel="next">', first)
    assert next_link
    second = client.get(f"{marketplace.url}?{next_link.group(1).replace('&amp;', '&')}")

    assert shops(first) == ["Dar Nhas"]
    assert shops(second.content.decode()) == ["Atelier Zellige"]


def test_marketplace_pages_have_no_fixed_widths_for_a_360px_screen(client, marketplace):
    directory = client.get(marketplace.url).content.decode()
    profile_url = re.search(r'<a class="card-link" href="([^"]+)"', directory).group(1)
    profile = client.get(profile_url).content.decode()

    for html in (directory, profile):
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert "style=" not in html
        assert "<table" not in html
        # Only images carry a width (their intrinsic size, scaled down by max-width: 100%).
        tags_with_width = re.findall(r"<(\w+)[^>]*\swidth=", html)
        assert set(tags_with_width) <= {"img"}


def test_an_arabic_reader_finds_the_sellers_and_their_pages_under_the_arabic_marketplace(client):
    default_site()
    make_arabic_copy(make_catalogue(), "الدورات")  # the site now has an Arabic home
    seller("Atelier Zellige", make_craft("zellige"), "Fès-Meknès", make_photo())
    french = MarketplaceIndexPage.objects.get(locale__language_code="fr")
    arabic = MarketplaceIndexPage.objects.get(locale__language_code="ar")
    assert arabic.live and arabic.url == "/ar/marketplace/"
    profile = SellerProfilePage.objects.get()
    assert profile.get_parent().pk == french.pk  # one profile per seller, in one tree

    html = client.get("/ar/marketplace/").content.decode()
    assert shops(html) == ["Atelier Zellige"]
    assert f'href="/ar/marketplace/{profile.slug}/"' in html
    page = client.get(f"/ar/marketplace/{profile.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "Atelier Zellige" in html
    # Back to the marketplace the reader came from, under its Arabic name.
    assert re.search(r'class="crumbs"><a href="/ar/marketplace/">.*السوق</a>', html)
    assert client.get("/ar/marketplace/no-such-shop/").status_code == 404

    backend = LocalMarketplaceBackend()
    assert backend.seller_url(profile.case, "ar") == f"/ar/marketplace/{profile.slug}/"
    assert backend.seller_url(profile.case, "fr") == profile.url


def test_a_seller_not_yet_live_has_no_address_to_share():
    default_site()
    seller("Brouillon", make_craft("tapis", chain="textile"), "Souss-Massa", None, live=False)
    case = SellerProfilePage.objects.get().case
    assert LocalMarketplaceBackend().seller_url(case, "fr") is None
