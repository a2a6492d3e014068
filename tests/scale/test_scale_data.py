"""The national dataset and the scale benchmark, at a small size: ``load_scale_data`` writes a
dataset that holds together, and every page of ``bench/scale.py`` answers it as it should."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Sum

from bench.scale_pages import measure_all, table
from demo.scale.plan import Plan
from lms.accounts.models import LearnerPhone
from lms.certificates.models import Certificate, StatusList
from lms.courses.models import (
    CourseCompletion,
    CourseRollup,
    Enrolment,
    LessonProgress,
    QuizAttempt,
)
from maalem.core.pages import pages_with_wrong_children_count
from maalem.core.pagination import estimated_rows
from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import ApplicantProfile, CaseTransition, OnboardingCase
from tests.builders import make_catalogue, make_course

LEARNERS = 700
# Loading and asking every page takes a while on a busy machine; nothing here is timed.
pytestmark = pytest.mark.timeout(900)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY needs PostgreSQL"
)


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_scale_data", learners=LEARNERS, no_progress=True, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def courses(db):
    catalogue = make_catalogue()
    return [make_course(catalogue, lessons=3) for _ in range(3)]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for other databases")
def test_the_dataset_needs_postgresql(courses):
    with pytest.raises(CommandError, match="PostgreSQL"):
        load()


@pytest.mark.scale
@on_postgresql
@pytest.mark.django_db
def test_the_dataset_holds_together_and_is_in_proportion(courses, kyc):
    load()
    plan = Plan(LEARNERS)
    learners = get_user_model().objects.filter(username__startswith="scale-")
    assert learners.count() == LEARNERS
    assert LearnerPhone.objects.filter(user__in=learners).count() == LEARNERS
    # Each phone number decrypts to the number its digest was made from.
    phone = LearnerPhone.objects.filter(user__in=learners).order_by("pk").first()
    assert str(phone.phone) == "+212600000000"
    assert Enrolment.objects.count() == plan.target("enrolments")
    assert CourseCompletion.objects.count() == plan.target("completions")
    assert Certificate.objects.count() == plan.target("completions")
    assert OnboardingCase.objects.count() == plan.target("cases")
    assert SellerProfilePage.objects.live().count() == plan.target("seller_pages")
    # The looser counts land near their targets.
    for model, name in ((LessonProgress, "lessons_done"), (QuizAttempt, "quiz_attempts")):
        assert abs(model.objects.count() - plan.target(name)) < 0.2 * plan.target(name)
    assert pages_with_wrong_children_count() == []
    # The progress report's totals count what COPY wrote (the check exits 1 on any drift).
    call_command("rebuild_report_rollups", "--check", stdout=io.StringIO())
    assert CourseRollup.objects.aggregate(n=Sum("enrolled"))["n"] == plan.target("enrolments")
    assert not CaseTransition.objects.values("case").annotate(n=Count("pk")).filter(n=0)
    assert ApplicantProfile.objects.exclude(cin_digest="").exists()
    taken = StatusList.objects.get(number=1).allocated
    # The tables were analysed: the admin's estimated counts read their new size at once.
    assert estimated_rows(Certificate.objects.all()) == Certificate.objects.count()
    assert taken == Certificate.objects.filter(status_list=1).count()
    # Loading again is refused, and --reset replaces the dataset with the same figures.
    with pytest.raises(CommandError, match="--reset"):
        load()
    load(reset=True)
    assert learners.count() == LEARNERS
    assert Certificate.objects.count() == plan.target("completions")
    assert pages_with_wrong_children_count() == []


@pytest.mark.scale
@on_postgresql
@pytest.mark.django_db
def test_every_page_of_the_benchmark_answers_on_the_dataset(courses, kyc, settings):
    load()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    rows = measure_all(rounds=1)
    # A learner's pages may send her on, or ask her to wait for a PDF, as her case and her
    # certificate stand; nothing answers an error or "not found".
    wrong = [(row.target.label, row.status) for row in rows if row.status not in (200, 202, 302)]
    assert wrong == []
    admin = [row for row in rows if row.target.role == "superuser"]
    assert [row.target.label for row in admin if row.status != row.target.status] == []
    labels = {row.target.label for row in rows}
    assert {
        "certificates_certificate:index",
        "onboarding_case:index",
        "page: seller page",
    } <= labels
    # Written by a worker: timed from the request to its redirect to the Exports page.
    assert "onboarding_case:index (xlsx, queued → redirect)" in labels
    printed = table(rows)
    assert printed.count("\n") == len(rows) + 1
