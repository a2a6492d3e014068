import csv

import pytest
from django.core.management import call_command

from lms.crafts.loading import STARTER_CSV, load_crafts_csv
from lms.crafts.models import Category, Chain, Craft


def starter_data_rows() -> list[list[str]]:
    with open(STARTER_CSV, encoding="utf-8-sig") as file:
        lines = [line for line in file if line.strip() and not line.startswith("#")]
    return list(csv.reader(lines))[1:]


def snapshot() -> list[tuple]:
    return [
        *Category.objects.values_list("pk", "code", "name_ar", "name_fr", "name_en"),
        *Chain.objects.values_list("pk", "code", "name_ar", "name_fr", "name_en", "category"),
        *Craft.objects.values_list("pk", "code", "name_ar", "name_fr", "name_en", "chain"),
    ]


@pytest.mark.django_db
def test_the_starter_list_loads_two_categories_thirteen_chains_and_every_craft_row(capsys):
    call_command("load_crafts")

    crafts = len(starter_data_rows())
    assert Category.objects.count() == 2
    assert Chain.objects.count() == 13
    assert Craft.objects.count() == crafts
    assert capsys.readouterr().out.strip() == (
        f"2 categories, 13 chains, {crafts} crafts ({crafts} new, 0 updated)"
    )


@pytest.mark.django_db
def test_the_starter_list_has_arabic_and_french_names_for_every_level():
    load_crafts_csv(STARTER_CSV)

    for model in (Category, Chain, Craft):
        assert not model.objects.filter(name_ar="").exists()
        assert not model.objects.filter(name_fr="").exists()
    assert Craft.objects.get(code="zellige").chain.category.name_fr == (
        "Artisanat d'art et de production"
    )


def test_the_starter_list_says_it_is_not_the_official_list():
    with open(STARTER_CSV, encoding="utf-8") as file:
        comments = " ".join(line for line in file if line.startswith("#"))

    assert "NOT the official" in comments
    assert "172 crafts" in comments and "Law 50-17" in comments


@pytest.mark.django_db
def test_loading_the_starter_list_twice_changes_nothing():
    load_crafts_csv(STARTER_CSV)
    before = snapshot()

    summary = load_crafts_csv(STARTER_CSV)

    assert snapshot() == before
    assert (summary.crafts_created, summary.crafts_updated) == (0, 0)
