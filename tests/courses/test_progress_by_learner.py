"""The progress report has a row per learner, exported, paged, and counted by the database."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from lms.courses.services import enrol, mark_lesson_done, submit_quiz
from tests.builders import (
    correct_answers,
    lessons_of,
    make_catalogue,
    make_course,
    make_learner,
    wrong_answers,
)
from tests.exports import export_in_background

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

REPORT_URL = "lms_learner_report"


@pytest.fixture
def course(catalogue):
    """Fatima finished; Youssef read the lesson and failed the quiz once."""
    course = make_course(catalogue, lessons=1, title="Mobile payments")
    reading, quiz = lessons_of(course)
    fatima = make_learner(first_name="Fatima", last_name="Benali")
    youssef = make_learner(first_name="Youssef", last_name="Amrani")
    for learner in (fatima, youssef):
        enrol(learner, course)
        mark_lesson_done(learner, reading)
    submit_quiz(youssef, quiz, wrong_answers(quiz))
    submit_quiz(fatima, quiz, wrong_answers(quiz))
    submit_quiz(fatima, quiz, correct_answers(quiz))
    return course


def export(client, fmt, **params):
    params = {"export": fmt, **params}
    return export_in_background(client, reverse(REPORT_URL), params, HTTP_ACCEPT_LANGUAGE="en")


def test_the_progress_report_has_a_row_per_learner(client, course, trainer):
    client.force_login(trainer)

    rows = list(csv.reader(io.StringIO(export(client, "csv").decode())))

    assert rows[0] == [
        "Learner",
        "Course",
        "Enrolled",
        "Lessons done",
        "Lessons in the course",
        "Quiz attempts",
        "Best quiz score (%)",
        "Completed",
        "Last seen",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Fatima Benali", "Youssef Amrani"}
    assert by_name["Fatima Benali"][1:2] + by_name["Fatima Benali"][3:7] == [
        "Mobile payments",
        "2",
        "2",
        "2",
        "100",
    ]
    assert by_name["Fatima Benali"][7] != ""
    assert by_name["Youssef Amrani"][3:8] == ["1", "2", "1", "0", ""]


def test_the_per_learner_report_exports_xlsx(client, course, trainer):
    client.force_login(trainer)

    sheet = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx"))).active

    names = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == ["Fatima Benali", "Youssef Amrani"]


def test_the_per_learner_report_shows_learners_of_the_trainers_courses_only(
    client, course, trainer
):
    other = make_course(make_catalogue(intro="<p>Another team.</p>"), title="Weaving basics")
    enrol(make_learner(first_name="Stranger", last_name="Danger"), other)
    client.force_login(trainer)

    html = client.get(reverse(REPORT_URL)).content.decode()

    assert "Fatima Benali" in html and "Youssef Amrani" in html
    assert "Stranger" not in html and "Weaving basics" not in html


def test_the_per_learner_report_filters_by_course_and_status(client, course, trainer, catalogue):
    other = make_course(catalogue, title="Photographing your work")
    enrol(make_learner(first_name="Khadija", last_name="Idrissi"), other)
    client.force_login(trainer)

    by_course = client.get(reverse(REPORT_URL), {"course": other.pk}).content.decode()
    completed = client.get(reverse(REPORT_URL), {"status": "completed"}).content.decode()

    assert "Khadija Idrissi" in by_course and "Fatima Benali" not in by_course
    assert "Fatima Benali" in completed and "Youssef Amrani" not in completed


def test_the_per_learner_report_shows_no_phone_number(client, course, trainer):
    learner = make_learner(first_name="", last_name="")
    enrol(learner, course)
    client.force_login(trainer)

    text = export(client, "csv").decode()

    assert learner.username in text
    assert "+212" not in text


def test_a_page_of_the_report_costs_the_same_queries_for_more_learners(
    client, course, trainer, django_assert_max_num_queries
):
    client.force_login(trainer)
    client.get(reverse(REPORT_URL))
    reading, quiz = lessons_of(course)
    for _ in range(60):  # more than a page
        learner = make_learner()
        enrol(learner, course)
        mark_lesson_done(learner, reading)

    with django_assert_max_num_queries(25):
        page = client.get(reverse(REPORT_URL))
    with django_assert_max_num_queries(25):
        totals = client.get(reverse("lms_progress_report"))
    # The export's request, the worker's run (as the trainer) and the download together.
    with django_assert_max_num_queries(40):
        export(client, "csv")

    assert page.status_code == totals.status_code == 200
    cells = re.findall(r"<td[^>]*>\s*Mobile payments\s*</td>", page.content.decode())
    assert len(cells) == 50  # a page


def test_a_trainer_with_no_course_yet_reads_empty_reports(client, trainer):
    client.force_login(trainer)

    assert client.get(reverse("lms_progress_report")).status_code == 200
    assert client.get(reverse(REPORT_URL)).status_code == 200
