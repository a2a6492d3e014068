import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale

from lms.courses.models import CoursePage
from lms.courses.reports import courses_for_trainer, progress_report
from lms.courses.services import enrol, mark_lesson_done, submit_quiz
from tests.builders import (
    correct_answers,
    lessons_of,
    make_catalogue,
    make_course,
    make_learner,
    wrong_answers,
)

# Staff screens and commands speak the site's default language; these tests read English.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


REPORT_URL = "lms_progress_report"


def finish(learner, course):
    enrol(learner, course)
    *reading, quiz = lessons_of(course)
    for lesson in reading:
        mark_lesson_done(learner, lesson)
    submit_quiz(learner, quiz, correct_answers(quiz))


@pytest.fixture
def course(catalogue):
    """Three learners: one just enrolled, one who failed the quiz once, one who finished."""
    course = make_course(catalogue, lessons=1, title="Mobile payments", max_quiz_attempts=3)
    reading, quiz = lessons_of(course)
    newcomer, struggling, graduate = make_learner(), make_learner(), make_learner()
    for learner in (newcomer, struggling, graduate):
        enrol(learner, course)
    mark_lesson_done(struggling, reading)
    answers = correct_answers(quiz)
    first_question = quiz.questions[0].id
    answers[first_question] = wrong_answers(quiz)[first_question]
    submit_quiz(struggling, quiz, answers)  # 2 of 3 right: 67, below the pass mark of 70
    mark_lesson_done(graduate, reading)
    submit_quiz(graduate, quiz, wrong_answers(quiz))  # 0
    submit_quiz(graduate, quiz, correct_answers(quiz))  # 100
    return course


def test_the_report_counts_learners_at_each_stage(course, trainer):
    (row,) = progress_report(courses_for_trainer(trainer))

    assert (row.title, row.enrolled, row.in_progress, row.completed) == ("Mobile payments", 3, 2, 1)
    assert row.average_score == round((67 + 0 + 100) / 3)
    assert [str(question) for question in row.most_failed] == [
        "Who may ask for your PIN? (2 failed)",
        "The code sent by SMS is secret. (1 failed)",
        "Which payments can you accept? (choose all that apply) (1 failed)",
    ]


def test_a_course_nobody_took_shows_zeros_and_no_score(catalogue, trainer):
    make_course(catalogue, title="Photographing your work")

    (row,) = progress_report(courses_for_trainer(trainer))

    assert (row.enrolled, row.in_progress, row.completed, row.average_score) == (0, 0, 0, None)
    assert row.most_failed_text == ""


def test_the_report_costs_the_same_queries_for_more_learners(course, trainer):
    courses = courses_for_trainer(trainer)
    with CaptureQueriesContext(connection) as before:
        progress_report(courses)
    for _ in range(3):
        finish(make_learner(), course)

    with CaptureQueriesContext(connection) as after:
        (row,) = progress_report(courses)

    assert row.completed == 4
    assert len(after) == len(before)


def test_a_trainer_sees_only_the_courses_of_their_catalogue(client, course, trainer):
    make_course(make_catalogue(intro="<p>Another team.</p>"), title="Someone else's course")
    client.force_login(trainer)

    html = client.get(reverse(REPORT_URL)).content.decode()

    assert "Mobile payments" in html
    assert "Someone else&#x27;s course" not in html
    assert "Someone else's course" not in html


def test_a_superuser_sees_every_course(client, course):
    make_course(make_catalogue(intro="<p>Another team.</p>"), title="Weaving basics")
    admin = make_learner(is_superuser=True, is_staff=True)
    client.force_login(admin)

    html = client.get(reverse(REPORT_URL)).content.decode()

    assert "Mobile payments" in html
    assert "Weaving basics" in html


def test_the_report_exports_csv(client, course, trainer):
    client.force_login(trainer)

    response = client.get(reverse(REPORT_URL), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="en")

    # It reads the totals: no worker needed, the download comes at once.
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        [
            "Course",
            "Enrolled",
            "In progress",
            "Completed",
            "Average quiz score (%)",
            "Questions most often failed",
        ],
        [
            "Mobile payments",
            "3",
            "2",
            "1",
            "56",
            "Who may ask for your PIN? (2 failed); The code sent by SMS is secret. (1 failed); "
            "Which payments can you accept? (choose all that apply) (1 failed)",
        ],
    ]


def test_the_report_exports_xlsx(client, course, trainer):
    client.force_login(trainer)

    response = client.get(reverse(REPORT_URL), {"export": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [cell.value for cell in sheet[2]][:5] == ["Mobile payments", 3, 2, 1, 56]


def test_a_trainer_without_the_permission_is_refused_the_report(client, course, trainer):
    Group.objects.get(name="Trainers").permissions.remove(
        *Group.objects.get(name="Trainers").permissions.filter(codename="view_progress_report")
    )
    client.force_login(trainer)

    response = client.get(reverse(REPORT_URL))
    menu = client.get(reverse("wagtailadmin_home")).content.decode()

    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")
    assert reverse(REPORT_URL) not in menu


def test_the_reports_menu_links_to_the_report_for_trainers(client, trainer):
    client.force_login(trainer)

    menu = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse(REPORT_URL) in menu


def test_a_course_in_another_language_is_one_row_titled_in_the_default_language(course, trainer):
    arabic = Locale.objects.create(language_code="ar")
    translation = course.copy_for_translation(arabic, copy_parents=True, alias=False)
    translation.title = "الأداء بالهاتف"
    translation.save_revision().publish()

    (row,) = progress_report(courses_for_trainer(trainer))

    assert row.title == "Mobile payments"
    assert CoursePage.objects.filter(translation_key=course.translation_key).count() == 2
