"""``manage.py rebuild_report_rollups`` counts the report's totals again: the same totals when
nothing drifted, the right ones when something did, and a clear refusal of a bad argument."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from lms.courses import services
from lms.courses.models import CourseRollup
from lms.courses.rollups import current_totals
from tests.builders import complete, lessons_of, make_course, make_learner, wrong_answers

pytestmark = pytest.mark.django_db


def rebuild(*args: str) -> str:
    out = io.StringIO()
    call_command("rebuild_report_rollups", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def course():
    course = make_course(lessons=1, max_quiz_attempts=3)
    quiz = lessons_of(course)[-1]
    for _ in range(3):
        learner = make_learner()
        services.enrol(learner, course)
        services.submit_quiz(learner, quiz, wrong_answers(quiz))
    complete(make_learner(), course)
    return course


def test_rebuilding_twice_changes_nothing(course):
    kept = current_totals()

    first = rebuild("--batch-size", "1")
    second = rebuild()

    assert current_totals() == kept
    assert "4 enrolments, 1 completions, 4 quiz attempts" in first
    assert "The totals were right." in first and "The totals were right." in second


def test_drifted_totals_are_put_right(course):
    kept = current_totals()
    CourseRollup.objects.filter(course_key=course.translation_key).update(enrolled=0)

    with pytest.raises(SystemExit) as checked:
        rebuild("--check")
    assert checked.value.code == 1
    assert current_totals() != kept  # a check changes nothing

    out = rebuild()

    assert f"were corrected:\n  {course.translation_key}" in out
    assert current_totals() == kept


@pytest.mark.parametrize(
    ("argument", "message"),
    [("0", "--batch-size must be a whole number of 1 or more, not 0."), ("ten", "invalid int")],
)
def test_a_bad_batch_size_is_refused_with_a_clear_message(course, argument, message):
    kept = current_totals()

    with pytest.raises(CommandError, match=message):
        rebuild("--batch-size", argument)

    assert current_totals() == kept
