"""The funnel counts how many people reach each stage, from enrolment to live seller."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.utils import timezone

from lms.courses import services
from onboarding import applications, funnel, operator_actions, provisioning
from onboarding.models import OnboardingCase
from onboarding.providers.base import PaymentAccount, Requirement
from tests.builders import complete, make_learner

from .onboarding_builders import application, make_rule, operator, quick_course

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "fast_passwords")]

EXPECTED = {
    "enrolled": 6,
    "completed": 5,
    "certified": 4,
    "eligible": 4,
    "submitted": 3,
    "account_active": 2,
    "seller_live": 1,
}


def certified(course, capture) -> OnboardingCase:
    """A learner who completes the required course for real: certificate, then case."""
    learner = make_learner()
    with capture(execute=True):
        complete(learner, course)
    return OnboardingCase.objects.get(learner=learner)


def submitted(course, capture, cin: str) -> OnboardingCase:
    case = certified(course, capture)
    applications.submit_application(case.pk, application(cin=cin), case.learner)
    return case


def account_active(course, capture, cin: str) -> OnboardingCase:
    case = submitted(course, capture, cin)
    provisioning.apply_account(
        case.pk,
        PaymentAccount(f"acct_{case.pk}", "active", [], timezone.now()),
        actor_label="test",
    )
    return case


@pytest.fixture
def population(django_capture_on_commit_callbacks):
    """Six learners, each one stage further than the one before."""
    course = quick_course()
    make_rule(course)
    services.enrol(make_learner(), course)
    complete(make_learner(), course)  # its certificate is issued after a commit that never comes
    certified(course, django_capture_on_commit_callbacks)
    submitted(course, django_capture_on_commit_callbacks, "AB100001")
    account_active(course, django_capture_on_commit_callbacks, "AB100002")
    live = account_active(course, django_capture_on_commit_callbacks, "AB100003")
    provisioning.seller_published(live.pk, actor_label="test")
    return course


def test_the_funnel_counts_each_stage_for_a_small_population(population):
    stages = funnel.funnel()

    assert {stage.key: stage.count for stage in stages} == EXPECTED
    assert [stage.key for stage in stages] == list(EXPECTED)
    by_key = {stage.key: stage for stage in stages}
    assert by_key["enrolled"].percent_of_previous is None
    assert by_key["submitted"].percent_of_previous == pytest.approx(75)
    assert by_key["seller_live"].percent_of_previous == pytest.approx(50)
    assert by_key["seller_live"].percent_of_first == pytest.approx(100 / 6)


def test_a_seller_whose_account_is_later_restricted_still_counts_as_account_active_and_live(
    population,
):
    live = OnboardingCase.objects.get(state="active")
    provisioning.apply_account(
        live.pk,
        PaymentAccount(live.payment_account_ref, "restricted", [Requirement("id")], timezone.now()),
        actor_label="test",
    )

    counts = funnel.stage_counts()

    # The funnel says how far people got: this one went live, whatever happened since.
    assert (counts["account_active"], counts["seller_live"]) == (2, 1)


def test_the_funnels_submitted_counts_cases_that_went_straight_to_manual_review(
    population, django_capture_on_commit_callbacks
):
    duplicate = submitted(population, django_capture_on_commit_callbacks, "AB100001")
    duplicate.refresh_from_db()
    assert duplicate.state == "manual_review"  # the same national ID as an earlier case
    rejected = submitted(population, django_capture_on_commit_callbacks, "AB100002")
    operator_actions.reject(rejected.pk, operator("review_case"), "same person as case 5")

    counts = funnel.stage_counts()

    assert (counts["eligible"], counts["submitted"]) == (6, 5)


def test_a_stage_after_an_empty_one_has_no_conversion_rate():
    stages = funnel.funnel()
    assert all(stage.count == 0 for stage in stages)
    assert all(stage.percent_of_previous is None for stage in stages)


def test_the_funnel_takes_the_same_few_queries_whatever_the_number_of_learners(
    population, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_assert_num_queries(5):
        funnel.funnel()
    for cin in ("CD200001", "CD200002", "CD200003"):
        account_active(population, django_capture_on_commit_callbacks, cin)
    with django_assert_num_queries(5):
        assert funnel.stage_counts()["account_active"] == 5


def test_the_funnel_takes_450_ms_on_every_view_uncached_with_a_subquery_per_case(
    client, population, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client.force_login(operator("view_onboardingcase"))
    with django_assert_max_num_queries(40) as first_view:
        assert client.get("/admin/onboarding/funnel/").status_code == 200
    counting = [q["sql"] for q in first_view.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counting) == 5
    # No correlated subquery per case: the case stages are read by joins and the timeline.
    assert not any("EXISTS" in sql.upper() for sql in counting)

    # A second view within the minute reads no count again.
    with django_assert_max_num_queries(40) as second_view:
        client.get("/admin/onboarding/funnel/")
    assert not [q for q in second_view.captured_queries if "COUNT(" in q["sql"].upper()]

    for cin in ("CD200001", "CD200002", "CD200003", "CD200004"):
        account_active(population, django_capture_on_commit_callbacks, cin)
    cache.clear()
    with django_assert_max_num_queries(len(first_view.captured_queries)):
        response = client.get("/admin/onboarding/funnel/")
    row = re.search(r'<tr data-stage="account_active">(.*?)</tr>', response.content.decode(), re.S)
    assert "<bdi>6</bdi>" in row.group(1)


def test_the_funnel_page_draws_each_count_as_text_in_the_chart_and_the_table(client, population):
    client.force_login(operator("view_onboardingcase"))

    response = client.get("/admin/onboarding/funnel/")

    assert response.status_code == 200
    page = response.content.decode()
    chart = re.search(r'<figure class="onboarding-funnel">(.*?)</figure>', page, re.S).group(1)
    svg = re.search(r'<svg role="img".*?</svg>', chart, re.S).group(0)
    assert "<script" not in chart  # drawn on the server: nothing to run
    for key, count in EXPECTED.items():
        group = re.search(rf'<g data-stage="{key}">(.*?)</g>', svg, re.S).group(1)
        text = re.search(r"<text[^>]*>(.*?)</text>", group, re.S).group(1)
        assert re.search(rf"\b{count}\b", text), (key, text)
        row = re.search(rf'<tr data-stage="{key}">(.*?)</tr>', page, re.S).group(1)
        assert f"<bdi>{count}</bdi>" in row
    submitted_text = re.search(r'<g data-stage="submitted">.*?<text[^>]*>(.*?)</text>', svg, re.S)
    assert "75" in submitted_text.group(1)  # 3 of the 4 eligible


def test_the_bars_are_as_long_as_their_counts(client, population):
    client.force_login(operator("view_onboardingcase"))
    svg = client.get("/admin/onboarding/funnel/").content.decode()

    widths = {
        key: int(width)
        for key, width in re.findall(r'<g data-stage="(\w+)">.*?<rect[^>]*width="(\d+)"', svg, re.S)
    }

    assert widths["enrolled"] == 600
    assert widths["submitted"] == 300 and widths["seller_live"] == 100


def test_the_funnel_report_exports_its_stages_as_csv(client, population):
    client.force_login(operator("view_onboardingcase"))
    page = client.get("/admin/onboarding/funnel/").content.decode()
    assert "/admin/onboarding/funnel/?export=csv" in page

    response = client.get("/admin/onboarding/funnel/", {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "onboarding-funnel.csv" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    header, *rows = list(csv.reader(io.StringIO(body)))
    assert len(header) == 5  # code, stage, count, share of the stage before, share of the first
    assert {row[0]: int(row[2]) for row in rows} == EXPECTED
    assert rows[4][3] == "75.0" and rows[0][3] == ""
    assert rows[6][4] == "16.7"


def test_the_funnel_report_exports_its_stages_as_xlsx(client, population):
    client.force_login(operator("view_onboardingcase"))

    response = client.get("/admin/onboarding/funnel/", {"export": "xlsx"})

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert len(header) == 5 and all(header)
    assert {row[0]: row[2] for row in rows} == EXPECTED
    assert rows[4][3] == 75.0 and rows[0][3] is None


def test_the_funnel_report_is_refused_without_the_permission_to_view_cases(client, population):
    client.force_login(operator())

    for query in ({}, {"export": "csv"}, {"export": "xlsx"}):
        response = client.get("/admin/onboarding/funnel/", query)
        assert response.status_code in (302, 403)
        assert response.get("Content-Type", "").startswith("text/html")
