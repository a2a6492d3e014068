"""Quiz answers are not cleared after a failed attempt: the graded page comes back with the
learner's answers ticked and the questions she got wrong marked, so she changes only those."""

import re

import pytest
from django.urls import reverse

from tests.builders import correct_answers, lessons_of, make_course, make_learner
from tests.i18n import french

pytestmark = pytest.mark.django_db


def checked_options(page: str) -> set[str]:
    return set(re.findall(r'<input type="[a-z]+" name="q-[^"]+" value="([^"]+)" checked>', page))


def fieldset_classes(page: str) -> list[str]:
    return re.findall(r'<fieldset class="question([^"]*)">', page)


def test_quiz_answers_stay_checked_after_a_failed_attempt_and_the_wrong_ones_are_marked(client):
    course = make_course(lessons=0, max_quiz_attempts=3, pass_mark=70)
    learner = make_learner()
    client.force_login(learner)
    client.post(reverse("lms:enrol", args=[course.pk]))
    quiz = lessons_of(course)[-1]
    answers = correct_answers(quiz)
    first, second, third = quiz.questions
    # Right on the first question, wrong on the two others.
    wrong_second = next(
        o.id for o in second.value["options"].bound_blocks if not o.value["correct"]
    )
    answers[second.id] = [wrong_second]
    answers[third.id] = answers[third.id][:1]
    form = {f"q-{qid}": options for qid, options in answers.items()}

    response = client.post(reverse("lms:submit_quiz", args=[quiz.pk]), form)
    page = client.get(response["Location"]).content.decode()

    assert checked_options(page) == {option for chosen in answers.values() for option in chosen}
    assert fieldset_classes(page) == ["", " wrong", " wrong"]
    assert page.count(french("Your answer was not right. Try again.")) == 2
