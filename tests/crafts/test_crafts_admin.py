import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lms.crafts.loading import load_crafts_csv
from lms.crafts.models import Category, Chain, Craft

from .csv_files import HEADER, craft_row, write_csv


@pytest.fixture
def admin_client(client):
    superuser = get_user_model().objects.create_superuser(
        username="operator", email="operator@example.org", password="pass-Word-42"
    )
    client.force_login(superuser)
    return client


@pytest.fixture
def two_chains(tmp_path):
    load_crafts_csv(
        write_csv(
            tmp_path,
            HEADER,
            craft_row("pottery", name_fr="Poterie émaillée", chain="clay"),
            craft_row("basketry", name_fr="Vannerie fine", chain="fibres", chain_name_fr="Fibres"),
        )
    )


def crafts_list_url() -> str:
    return reverse(Craft.snippet_viewset.get_url_name("list"))


@pytest.mark.django_db
def test_an_operator_sees_every_craft_in_the_admin_listing(admin_client, two_chains):
    response = admin_client.get(crafts_list_url())

    assert response.status_code == 200
    assert "Poterie émaillée" in response.content.decode()
    assert "Vannerie fine" in response.content.decode()


@pytest.mark.django_db
def test_an_operator_can_list_only_the_crafts_of_one_chain(admin_client, two_chains):
    clay = Chain.objects.get(code="clay")

    response = admin_client.get(crafts_list_url(), {"chain": clay.pk})

    assert response.status_code == 200
    assert "Poterie émaillée" in response.content.decode()
    assert "Vannerie fine" not in response.content.decode()


@pytest.mark.django_db
def test_an_operator_can_search_crafts_by_arabic_name(admin_client, two_chains):
    Craft.objects.filter(code="basketry").update(name_ar="صناعة السلال")

    response = admin_client.get(crafts_list_url(), {"q": "السلال"})

    assert response.status_code == 200
    assert "Vannerie fine" in response.content.decode()
    assert "Poterie émaillée" not in response.content.decode()


@pytest.mark.django_db
def test_chains_and_categories_have_their_own_admin_listings(admin_client, two_chains):
    for model in (Chain, Category):
        response = admin_client.get(reverse(model.snippet_viewset.get_url_name("list")))
        assert response.status_code == 200
