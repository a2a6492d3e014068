"""Operators list, search, export and read onboarding cases in the Wagtail admin."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission

from onboarding import applications, operator_actions
from onboarding.models import ApplicantProfile, OnboardingCase
from tests.exports import export_in_background

from .onboarding_builders import application, make_case, make_craft, operator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "fast_passwords")]

CASES = "/admin/onboarding/cases/"


def submitted_case(**overrides) -> OnboardingCase:
    case = make_case()
    applications.submit_application(case.pk, application(**overrides), case.learner)
    case.refresh_from_db()
    return case


def test_the_case_list_filters_by_state_and_counts_the_cases_in_each_state(client):
    in_review = [submitted_case(cin="AB123456", shop_name=f"Review {i}") for i in range(2)]
    provisioning = submitted_case(cin="CD654321", shop_name="Provisioning shop")
    assert {case.state for case in in_review} == {"provisioning", "manual_review"}
    client.force_login(operator("view_onboardingcase"))

    page = client.get(CASES, {"state": "manual_review"}).content.decode()

    assert "Review 1" in page
    assert "Review 0" not in page and "Provisioning shop" not in page
    assert 'data-state="manual_review">' in page
    counts = client.get(CASES).context["state_counts"]
    assert {item["state"]: item["count"] for item in counts if item["count"]} == {
        "provisioning": 2,
        "manual_review": 1,
    }
    assert provisioning.state == "provisioning"


def test_the_case_list_is_searched_by_shop_name_and_not_by_national_id(client):
    submitted_case(cin="AB123456", shop_name="Atelier Zellige")
    submitted_case(cin="CD654321", phone="0698765432", shop_name="Poterie Safi")
    client.force_login(operator("view_onboardingcase"))

    found = client.get(CASES, {"q": "zellige"}).content.decode()
    by_cin = client.get(CASES, {"q": "AB123456"}).content.decode()

    assert "Atelier Zellige" in found and "Poterie Safi" not in found
    assert "Atelier Zellige" not in by_cin


def test_the_case_list_is_ordered_by_last_change(client):
    older = submitted_case(cin="AB123456", shop_name="Older shop")
    newer = submitted_case(cin="CD654321", shop_name="Newer shop")
    client.force_login(operator("view_onboardingcase"))

    listed = list(client.get(CASES).context["object_list"])
    assert listed.index(newer) < listed.index(older)

    older.save()  # the latest change now
    listed = list(client.get(CASES).context["object_list"])
    assert listed.index(older) < listed.index(newer)


def test_the_csv_export_has_the_case_columns_and_no_personal_data(client):
    case = submitted_case(cin="AB123456", phone="0612345678", shop_name="Atelier Zellige")
    make_case()  # no application yet: blanks, not an error
    client.force_login(operator("view_onboardingcase"))

    body = export_in_background(client, CASES, {"export": "csv"}).decode()

    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 3
    assert len(rows[0]) == 7
    row = next(row for row in rows if row[0] == str(case.pk))
    assert row[1] == "provisioning"
    assert "Fès-Meknès" in row and "Atelier Zellige" in row
    for personal in ("AB123456", "0612345678", "612345678", case.learner.username):
        assert personal not in body


def test_the_case_page_shows_the_timeline_the_steps_and_masked_personal_data(client):
    case = submitted_case(cin="AB123456", phone="0612345678", shop_name="Atelier Zellige")
    client.force_login(operator("view_onboardingcase"))

    response = client.get(f"{CASES}inspect/{case.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Atelier Zellige" in page
    assert "AB****56" in page and "**********78" in page
    assert "AB123456" not in page and "612345678" not in page
    timeline = [item["line"] for item in response.context["timeline"]]
    assert [line.to_state for line in timeline] == ["eligible", "submitted", "provisioning"]
    for reason in ("application submitted", "opening the payment account"):
        assert reason in page
    assert 'data-step="payment_account"' in page and 'data-status="pending"' in page


def test_the_case_page_names_the_operator_but_not_the_learner(client):
    case = make_case(state="manual_review")
    reviewer = operator("view_onboardingcase", "review_case")
    reviewer.first_name, reviewer.last_name = "Samira", "Operator"
    reviewer.save()
    case.learner.first_name = "Learnername"
    case.learner.save()
    operator_actions.reject(case.pk, reviewer, "not a real artisan")
    client.force_login(reviewer)

    page = client.get(f"{CASES}inspect/{case.pk}/").content.decode()

    assert "Samira Operator" in page and "not a real artisan" in page
    assert "Learnername" not in page


def test_cases_are_only_for_users_with_the_view_permission(client):
    case = make_case()
    client.force_login(operator())

    assert client.get(CASES).status_code in (302, 403)
    assert client.get(f"{CASES}inspect/{case.pk}/").status_code in (302, 403)
    assert client.get("/admin/onboarding/funnel/").status_code in (302, 403)
    assert client.get("/admin/onboarding/funnel/", {"export": "csv"}).status_code in (302, 403)


def test_the_onboarding_menu_shows_cases_and_funnel_to_users_who_may_view_cases(client):
    client.force_login(operator("view_onboardingcase"))
    home = client.get("/admin/").content.decode()
    assert CASES in home and "/admin/onboarding/funnel/" in home

    client.force_login(operator("review_case"))
    home = client.get("/admin/").content.decode()
    assert CASES not in home and "/admin/onboarding/funnel/" not in home


def test_cases_cannot_be_added_edited_or_deleted_even_by_a_superuser(admin_client):
    case = make_case()

    listing = admin_client.get(CASES).content.decode()

    assert f"{CASES}inspect/{case.pk}/" in listing
    assert f"{CASES}edit/{case.pk}/" not in listing and f"{CASES}new/" not in listing
    for url in (f"{CASES}new/", f"{CASES}edit/{case.pk}/", f"{CASES}delete/{case.pk}/"):
        assert admin_client.post(url).status_code in (302, 403)
    assert OnboardingCase.objects.filter(pk=case.pk).exists()


def test_the_operators_permissions_are_offered_in_the_group_editor(admin_client):
    page = admin_client.get("/admin/groups/new/").content.decode()

    for codename in ("view_onboardingcase", "review_case", "retry_case", "withdraw_case"):
        permission = Permission.objects.get(
            content_type__app_label="maalem_onboarding", codename=codename
        )
        assert f'value="{permission.pk}"' in page
    add = Permission.objects.get(
        content_type__app_label="maalem_onboarding", codename="add_onboardingcase"
    )
    assert f'value="{add.pk}"' not in page


def add_cases(count: int) -> None:
    craft = make_craft()
    for _ in range(count):
        case = make_case()
        ApplicantProfile.objects.create(
            case=case, shop_name=f"Shop {case.pk}", region="Fès-Meknès", craft=craft
        )


def test_the_case_list_is_paginated_with_the_same_queries_at_any_number_of_cases(
    client, django_assert_max_num_queries
):
    client.force_login(operator("view_onboardingcase"))
    add_cases(3)
    with django_assert_max_num_queries(15) as few:
        assert "Shop" in client.get(CASES).content.decode()
    add_cases(60)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(CASES)

    assert response.context["paginator"].num_pages > 1
    assert len(response.context["object_list"]) <= response.context["paginator"].per_page
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(CASES, {"p": 2}).status_code == 200
