"""An operator compares the cases that share a national ID before deciding on one of them."""

import re

import pytest

from onboarding import applications
from onboarding.models import ApplicantProfile, OnboardingCase
from tests.builders import make_learner

from .marketplace_builders import make_photo
from .onboarding_builders import application, make_case, operator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "fast_passwords")]

CASES = "/admin/onboarding/cases/"
CIN = "AB123456"


def applied(first_name: str, shop_name: str, cin: str = CIN) -> OnboardingCase:
    case = make_case(learner=make_learner(first_name=first_name, last_name="Alaoui"))
    photo = make_photo()
    applications.submit_application(
        case.pk, application(cin=cin, shop_name=shop_name, photo=photo), case.learner
    )
    return OnboardingCase.objects.get(pk=case.pk)


@pytest.fixture
def duplicate_pair():
    first = applied("Fatima", "Tapis Fatima")
    second = applied("Khadija", "Tapis Khadija")
    assert (first.state, second.state) == ("provisioning", "manual_review")
    return first, second


def comparison_table(page: str) -> str:
    return re.search(r"<table[^>]*data-comparison>(.*?)</table>", page, re.S).group(1)


def test_a_duplicate_national_id_case_gives_the_operator_no_way_to_see_the_other_case_and_compare(
    client, duplicate_pair
):
    first, second = duplicate_pair
    client.force_login(operator("view_onboardingcase", "review_case"))

    page = client.get(f"{CASES}inspect/{second.pk}/").content.decode()

    table = comparison_table(page)
    assert f'href="{CASES}inspect/{first.pk}/"' in table
    assert f'data-case="{second.pk}"' in table and f'data-case="{first.pk}"' in table
    assert table.count("AB****56") == 2 and CIN not in page
    for text in ("Fatima Alaoui", "Khadija Alaoui", "Tapis Fatima", "Tapis Khadija"):
        assert text in table
    assert 'data-state="provisioning"' in table and 'data-state="manual_review"' in table
    photos = ApplicantProfile.objects.filter(case__in=duplicate_pair).values_list(
        "photo", flat=True
    )
    assert len(re.findall(r"<img ", table)) == len(set(photos)) == 2
    # The decision is taken from the same page.
    assert f"{CASES}{second.pk}/approve/" in page and f"{CASES}{second.pk}/reject/" in page

    # And the first case points back to the second.
    page = client.get(f"{CASES}inspect/{first.pk}/").content.decode()
    assert f'href="{CASES}inspect/{second.pk}/"' in comparison_table(page)


def test_only_operators_who_decide_see_the_duplicates_names_and_photos(client, duplicate_pair):
    first, second = duplicate_pair
    client.force_login(operator("view_onboardingcase"))

    page = client.get(f"{CASES}inspect/{second.pk}/").content.decode()

    assert f'href="{CASES}inspect/{first.pk}/"' in page
    assert "data-comparison" not in page
    assert "Fatima Alaoui" not in page and "Khadija Alaoui" not in page


def test_a_case_without_a_duplicate_shows_no_comparison(client):
    case = applied("Amina", "Poterie Amina", cin="CD654321")
    client.force_login(operator("view_onboardingcase", "review_case"))

    page = client.get(f"{CASES}inspect/{case.pk}/").content.decode()

    assert "case-duplicates" not in page and "Amina Alaoui" not in page
