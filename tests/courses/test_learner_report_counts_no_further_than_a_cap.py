"""The per-learner report counts its rows only up to a cap: past it, it says "more than" and
still pages through the first rows, so counting never reads the whole enrolments table."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.courses.reports import LearnerProgressReportView
from lms.courses.services import enrol
from maalem.core.pagination import CappedCountPaginator
from tests.builders import make_course, make_learner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def capped_at_three(monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "count_cap", 3)
    monkeypatch.setattr(LearnerProgressReportView, "paginate_by", 2)


def page(client, **params):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(
            reverse("lms_learner_report"), params, HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    return html, counts


def test_past_the_cap_the_report_says_more_than(client, catalogue, trainer, capped_at_three):
    course = make_course(catalogue, lessons=1, title="Mobile payments")
    for n in range(5):
        enrol(make_learner(first_name="Learner", last_name=str(n)), course)
    client.force_login(trainer)

    html, counts = page(client, p=9)  # past the pages shown: the last one

    assert "More than 3 enrolments" in html
    assert "Page 2 of 2" in html
    assert re.findall(r"Learner (\d)", html) == ["2"]  # the third row, on the last page shown
    assert len(counts) == 1 and "LIMIT 4" in counts[0]


def test_under_the_cap_the_count_is_exact(client, catalogue, trainer, capped_at_three):
    course = make_course(catalogue, lessons=1, title="Mobile payments")
    for n in range(2):
        enrol(make_learner(first_name="Learner", last_name=str(n)), course)
    client.force_login(trainer)

    html, _counts = page(client)

    assert "2 enrolments" in html and "More than" not in html
