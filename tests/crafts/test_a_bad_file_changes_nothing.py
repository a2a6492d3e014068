import pytest
from django.core.management import CommandError, call_command

from lms.crafts.loading import CraftsCSVError, load_crafts_csv
from lms.crafts.models import Category, Chain, Craft

from .csv_files import HEADER, craft_row, write_csv


@pytest.mark.django_db
def test_two_bad_rows_among_good_ones_load_nothing_and_are_both_reported(tmp_path):
    path = write_csv(
        tmp_path,
        "# A comment and a blank line, which still count as lines.",
        "",
        HEADER,  # line 3
        craft_row("pottery"),
        craft_row("zellige tiles"),  # line 5: a space in the code
        craft_row("ceramics"),
        craft_row("tadelakt", name_ar=""),  # line 7
        craft_row("basketry"),
    )

    with pytest.raises(CommandError) as raised:
        call_command("load_crafts", str(path))

    message = str(raised.value)
    assert "line 5: craft_code 'zellige tiles' is not a code" in message
    assert "line 7: craft_name_ar is empty" in message
    assert "line 4" not in message and "line 6" not in message
    assert not Category.objects.exists()
    assert not Chain.objects.exists()
    assert not Craft.objects.exists()


@pytest.mark.django_db
def test_a_bad_file_leaves_an_earlier_load_untouched(tmp_path):
    load_crafts_csv(write_csv(tmp_path, HEADER, craft_row("pottery", name_fr="Poterie")))
    bad = write_csv(
        tmp_path,
        HEADER,
        craft_row("pottery", name_fr="Poterie vernissée"),
        craft_row("ceramics", chain="clay", category="services"),
        name="bad.csv",
    )

    with pytest.raises(CraftsCSVError) as raised:
        load_crafts_csv(bad)

    assert raised.value.problems == [
        (
            3,
            "chain 'clay' is listed under category 'services', but under 'art-production' on line 2",
        )
    ]
    assert Craft.objects.get().name_fr == "Poterie"
    assert not Category.objects.filter(code="services").exists()


def test_a_craft_code_given_twice_with_different_names_is_reported_with_both_lines(tmp_path):
    path = write_csv(
        tmp_path,
        HEADER,
        craft_row("pottery", name_fr="Poterie"),
        craft_row("pottery", name_fr="Pot"),
    )

    with pytest.raises(CraftsCSVError) as raised:
        load_crafts_csv(path)

    [(line, reason)] = [p for p in raised.value.problems if "craft_name_fr" in p[1]]
    assert line == 3
    assert reason == "craft 'pottery' has craft_name_fr 'Pot', but 'Poterie' on line 2"


def test_a_missing_column_is_named(tmp_path):
    header = HEADER.replace(",craft_name_en", "")
    path = write_csv(tmp_path, header, craft_row()[: craft_row().rindex(",")])

    with pytest.raises(CraftsCSVError) as raised:
        load_crafts_csv(path)

    assert raised.value.problems == [(1, "missing column 'craft_name_en'")]


def test_a_file_that_is_not_utf8_says_so_with_its_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "\n" + craft_row(name_fr="Céramique") + "\n").encode("latin-1", "replace")
    )

    with pytest.raises(CraftsCSVError) as raised:
        load_crafts_csv(path)

    [(line, reason)] = raised.value.problems
    assert line == 2
    assert "not UTF-8" in reason


@pytest.mark.django_db
def test_a_file_saved_by_excel_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(("\ufeff" + HEADER + "\r\n" + craft_row() + "\r\n").encode("utf-8"))

    summary = load_crafts_csv(path)

    assert (summary.crafts, summary.crafts_created) == (1, 1)
    assert Craft.objects.get().name_ar == "الفخار"
