import pytest

from lms.crafts.loading import load_crafts_csv
from lms.crafts.models import Chain, Craft
from tests.builders import make_course

from .csv_files import HEADER, craft_row, write_csv


@pytest.mark.django_db
def test_reloading_updates_the_names_of_existing_codes_and_keeps_their_ids(tmp_path):
    load_crafts_csv(write_csv(tmp_path, HEADER, craft_row("pottery", name_fr="Poterie")))
    pottery = Craft.objects.get(code="pottery")

    summary = load_crafts_csv(
        write_csv(
            tmp_path,
            HEADER,
            craft_row("pottery", name_fr="Poterie traditionnelle", chain_name_fr="Terre cuite"),
            craft_row("ceramics", name_fr="Céramique", chain_name_fr="Terre cuite"),
            name="v2.csv",
        )
    )

    assert str(summary) == "1 categories, 1 chains, 2 crafts (1 new, 1 updated)"
    assert Craft.objects.get(pk=pottery.pk).name_fr == "Poterie traditionnelle"
    assert Chain.objects.get(code="clay").name_fr == "Terre cuite"


@pytest.mark.django_db
def test_crafts_missing_from_a_new_file_are_kept_for_the_courses_that_target_them(tmp_path):
    load_crafts_csv(write_csv(tmp_path, HEADER, craft_row("pottery"), craft_row("ceramics")))
    course = make_course(lessons=1, quiz=False)
    course.crafts.add(Craft.objects.get(code="pottery"))
    course.save()

    load_crafts_csv(write_csv(tmp_path, HEADER, craft_row("ceramics"), name="v2.csv"))

    assert list(course.crafts.values_list("code", flat=True)) == ["pottery"]
