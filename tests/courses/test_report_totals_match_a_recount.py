"""The progress report reads totals kept up to date by every write that changes them; after any
mix of writes, they give the same report as counting every record from scratch."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.courses import services
from lms.courses.models import CourseRollup, Enrolment
from lms.courses.report_data import courses_for_trainer, progress_report
from lms.courses.rollups import current_totals
from maalem.core.personal_data import erase_user
from tests.builders import (
    complete,
    correct_answers,
    lessons_of,
    make_course,
    make_learner,
    wrong_answers,
)
from tests.courses.report_recount import recount
from tests.courses.sync_builders import lesson_done, quiz_submitted, send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def as_seen(rows: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (r.title, r.enrolled, r.in_progress, r.completed, r.average_score, r.most_failed_text)
        for r in rows
    ]


def half_right(quiz: Any) -> dict[str, list[str]]:
    answers = correct_answers(quiz)
    answers.update(dict(list(wrong_answers(quiz).items())[:1]))
    return answers


def test_the_totals_equal_a_recount_after_every_kind_of_write(catalogue, trainer):
    payments = make_course(catalogue, lessons=2, title="Mobile payments", max_quiz_attempts=5)
    photos = make_course(catalogue, lessons=1, title="Photographing your work")
    *reading, quiz = lessons_of(payments)
    finisher, struggler, syncing, erased, erased_done = (make_learner() for _ in range(5))
    complete(finisher, payments)
    services.enrol(struggler, payments)
    services.submit_quiz(struggler, quiz, wrong_answers(quiz))
    services.submit_quiz(struggler, quiz, half_right(quiz))
    services.enrol(struggler, photos)
    services.enrol(syncing, payments)
    client = Client()
    client.force_login(syncing)
    answer = send(
        client,
        quiz_submitted(quiz, wrong_answers(quiz)),
        *[lesson_done(lesson) for lesson in reading],
        quiz_submitted(quiz, correct_answers(quiz)),
    )
    assert [r["status"] for r in answer.json()["results"]] == ["applied"] * 4
    services.enrol(erased, payments)
    services.submit_quiz(erased, quiz, wrong_answers(quiz))
    complete(erased_done, photos)  # her completed enrolment stays; its attempts go
    services.enrol(erased_done, payments)
    services.submit_quiz(erased_done, quiz, half_right(quiz))
    erase_user(erased.pk)
    erase_user(erased_done.pk)

    courses = courses_for_trainer(trainer)
    report = as_seen(progress_report(courses))

    assert report == as_seen(recount(courses))
    # The mix did change every kind of total: the comparison is not between zeros.
    (payment_row,) = [row for row in report if row[0] == "Mobile payments"]
    assert payment_row[1:4] == (3, 1, 2)
    assert payment_row[4] is not None and "failed" in payment_row[5]


def test_the_report_costs_the_same_queries_for_one_and_fifty_learners(client, catalogue, trainer):
    course = make_course(catalogue, lessons=1, title="Mobile payments")
    quiz = lessons_of(course)[-1]
    client.force_login(trainer)
    url = reverse("lms_progress_report")

    def cost() -> tuple[int, int, bytes]:
        with CaptureQueriesContext(connection) as page:
            html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content
        with CaptureQueriesContext(connection) as results:
            client.get(reverse("lms_progress_report_results"))
        return len(page), len(results), html

    learner = make_learner()
    services.enrol(learner, course)
    services.submit_quiz(learner, quiz, wrong_answers(quiz))
    one = cost()
    for _ in range(49):
        learner = make_learner()
        services.enrol(learner, course)
        services.submit_quiz(learner, quiz, wrong_answers(quiz))
    fifty = cost()

    assert b"(50 failed)" in fifty[2] and b"(1 failed)" in one[2]
    assert fifty[:2] == one[:2]


@pytest.mark.django_db(transaction=True)
def test_learners_writing_at_once_lose_no_count():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    course = make_course(lessons=0, max_quiz_attempts=50)
    quiz = lessons_of(course)[-1]
    learners = [make_learner() for _ in range(16)]
    start = threading.Barrier(2)

    def work(mine: list[Any]) -> None:
        try:
            start.wait()
            for learner in mine:
                services.enrol(learner, course)
                for _ in range(3):
                    services.submit_quiz(learner, quiz, wrong_answers(quiz))
        finally:
            connection.close()

    # Two connections, each writing to every shard of the course's totals at the same time.
    threads = [threading.Thread(target=work, args=(learners[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    totals = current_totals()[course.translation_key]
    assert totals[0] == Enrolment.objects.count() == 16
    assert totals[2] == 16 * 3
    assert sum(totals[4].values()) == 16 * 3 * len(quiz.questions)
    assert CourseRollup.objects.filter(course_key=course.translation_key).count() > 1
