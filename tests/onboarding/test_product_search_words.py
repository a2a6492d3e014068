"""The marketplace's search compares words in one spelling: an Arabic word finds the same word
with its article, hamza or diacritics, a French word finds it with or without its accents; the
filters narrow a search by words; the search reads no more than ten pages of matches, and under
PostgreSQL each of its three steps (newest products, GIN index, full walk) gives the same
products in the same order."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onboarding.marketplace.models import MarketplaceIndexPage, Product
from onboarding.marketplace.product_matching import newest_matching
from onboarding.marketplace.product_search import (
    MAX_PAGES,
    PRODUCTS_PER_PAGE,
    public_sellers,
    search_for,
)
from onboarding.marketplace.search_words import search_words

from .onboarding_builders import make_craft
from .product_builders import make_product, selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


@pytest.mark.parametrize(
    ("written", "compared"),
    [
        ("الزربية", "زربيه"),
        ("زربية", "زربيه"),
        ("والزربية بالزليج", "زربيه زليج"),
        ("إِبْرِيق", "ابريق"),
        ("آنية مطـــرزة", "انيه مطرزه"),
        ("مستشفى", "مستشفي"),
        ("الم", "الم"),  # too short to have an article
        ("Brodé À LA MAIN", "brode a la main"),
    ],
)
def test_words_are_compared_without_article_diacritics_or_accents(written, compared):
    assert search_words(written) == compared


def titles(client, **query):
    index = MarketplaceIndexPage.objects.get()
    html = client.get(index.search_url(), query).content.decode()
    return sorted(re.findall(r'class="card-link"[^>]*>.*?<span dir="auto">([^<]+)</span>', html))


@pytest.fixture
def shop():
    seller = selling_seller()
    make_product(seller, title_ar="الزربية الزرقاء", title_fr="Tapis bleu")
    make_product(seller, title_ar="إِبْرِيق نحاس", title_fr="Théière en cuivre")
    make_product(seller, title_ar="وسادة", title_fr="Coussin brodé", description_fr="Laine")
    return seller


def test_an_arabic_word_finds_it_with_its_article_and_the_article_finds_it_without(client, shop):
    assert titles(client, q="زربية") == ["Tapis bleu"]
    assert titles(client, q="الزربية") == ["Tapis bleu"]
    assert titles(client, q="ابريق") == ["Théière en cuivre"]  # written إِبْرِيق
    assert titles(client, q="الوساده") == ["Coussin brodé"]  # taa marbuta typed as haa


def test_a_french_word_finds_it_with_or_without_its_accents(client, shop):
    assert titles(client, q="brode") == ["Coussin brodé"]
    assert titles(client, q="THEIERE") == ["Théière en cuivre"]
    assert titles(client, q="tapis zzzz") == []  # every word must be there


def test_a_product_changed_is_found_by_its_new_words_only(client, shop):
    product = Product.objects.get(title_fr="Tapis bleu")
    product.title_ar = "المرآة"
    product.save()

    assert titles(client, q="مرآة") == ["Tapis bleu"]
    assert titles(client, q="زربية") == []


def test_filters_narrow_a_search_by_words(client, shop):
    other = selling_seller(
        "Dar Nhas",
        cin="ZZ123456",
        craft=make_craft("dinanderie", chain="metal"),
        region="Marrakech-Safi",
    )
    make_product(other, title_ar="زربية صغيرة", title_fr="Petit tapis", price=30000)

    assert titles(client, q="tapis") == ["Petit tapis", "Tapis bleu"]
    assert titles(client, q="tapis", region="Marrakech-Safi") == ["Petit tapis"]
    assert titles(client, q="زربية", chain="building") == ["Tapis bleu"]
    assert titles(client, q="tapis", craft="dinanderie", min="200", max="400") == ["Petit tapis"]
    assert titles(client, q="tapis", craft="dinanderie", max="100") == []


def test_the_search_reads_ten_pages_of_matches_at_most(shop, django_assert_max_num_queries):
    seller = shop
    for n in range(4):
        make_product(seller, title_fr=f"Vase {n}", title_ar="مزهرية")
    found = newest_matching(
        Product.objects.filter(status="live"), public_sellers(), "vase", limit=3
    )
    assert len(found) == 3

    index = MarketplaceIndexPage.objects.get()
    with django_assert_max_num_queries(14):  # whatever the number of matches
        context = search_for(index, {"q": "vase"})
    assert context["products"].paginator.count == 4
    assert MAX_PAGES * PRODUCTS_PER_PAGE == 120  # the cap the count stops at


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's three steps")
def test_each_step_of_the_postgresql_search_lists_the_newest_matches_first(shop):
    for n in range(5):
        make_product(shop, title_fr=f"Vase {n}", title_ar="مزهرية")
    make_product(shop, title_fr="Vase caché", for_sale=False)
    products = Product.objects.filter(status="live")
    newest = list(
        products.filter(title_fr__startswith="Vase")
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)
    )

    def find(**bounds):
        return newest_matching(products, public_sellers(), "vase", 4, **bounds)

    assert find() == newest[:4]  # step 1: among the newest products
    assert find(window=2) == newest[:4]  # step 2: through the GIN index
    assert find(window=2, gin_cap=1) == newest[:4]  # step 3: every product, newest first
    assert newest_matching(products, public_sellers(), "مزهريه", 10, window=1) == newest


def test_the_chains_and_crafts_of_the_form_are_not_read_on_every_search(shop):
    index = MarketplaceIndexPage.objects.get()
    search_for(index, {"q": "tapis"})
    with CaptureQueriesContext(connection) as queries:
        context = search_for(index, {"q": "tapis", "craft": "zellige", "chain": "building"})

    assert not [query for query in queries if 'FROM "maalem_crafts_' in query["sql"]]
    assert [craft.code for craft in context["crafts"]] == ["zellige"]
    assert context["filters"]["craft"] == "zellige" and context["filters"]["chain"] == "building"
    assert len(context["product_items"]) == 1
