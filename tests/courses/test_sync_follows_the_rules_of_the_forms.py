"""What a learner did offline is judged by the rules of the forms, and the answer is in their language."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from lms.courses import services
from lms.courses.models import LessonProgress, QuizAttempt, SyncEvent
from tests.builders import correct_answers, lessons_of, make_course, make_learner, wrong_answers
from tests.courses.sync_builders import enrolled_learner, lesson_done, quiz_submitted, send

pytestmark = pytest.mark.django_db


def test_a_quiz_answered_offline_is_graded_like_the_form(client):
    learner, lessons = enrolled_learner(client)
    quiz = lessons[-1]

    (result,) = send(client, quiz_submitted(quiz, correct_answers(quiz))).json()["results"]

    assert result["status"] == "applied"
    assert (result["score"], result["passed"], result["attempt"]) == (100, True, 1)
    assert result["message"] == "Passed: 100%"
    assert LessonProgress.objects.filter(lesson_key=quiz.translation_key).exists()


def test_a_quiz_answer_past_the_last_attempt_comes_back_rejected_and_changes_nothing(client):
    learner, lessons = enrolled_learner(client, max_quiz_attempts=1)
    quiz = lessons[-1]
    services.submit_quiz(learner, quiz, wrong_answers(quiz))
    late = quiz_submitted(quiz, correct_answers(quiz))

    (result,) = send(client, late).json()["results"]

    assert result["status"] == "rejected"
    assert result["message"] == (
        "You have used your 1 attempt at this quiz. Ask your trainer for help."
    )
    assert QuizAttempt.objects.count() == 1
    assert not LessonProgress.objects.filter(lesson_key=quiz.translation_key).exists()
    assert send(client, late).json()["results"] == [result]
    assert SyncEvent.objects.get(client_id=late["id"]).result["status"] == "rejected"


def test_an_unanswered_question_comes_back_rejected_without_using_an_attempt(client):
    learner, lessons = enrolled_learner(client)
    quiz = lessons[-1]
    answers = correct_answers(quiz)
    answers.pop(next(iter(answers)))

    (result,) = send(client, quiz_submitted(quiz, answers)).json()["results"]

    assert (result["status"], result["message"]) == (
        "rejected",
        "Answer every question before you submit.",
    )
    assert not QuizAttempt.objects.exists()


def test_a_lesson_of_a_course_not_started_comes_back_rejected(client):
    course = make_course(lessons=1, quiz=False)
    client.force_login(make_learner())

    (result,) = send(client, lesson_done(lessons_of(course)[0])).json()["results"]

    assert (result["status"], result["message"]) == (
        "rejected",
        "Start the course before working on its lessons.",
    )
    assert not LessonProgress.objects.exists()


def test_results_are_written_in_the_language_the_phone_asks_for(client):
    learner, (first, *_rest) = enrolled_learner(client)

    answer = client.post(
        reverse("lms_api:sync_events"),
        json.dumps({"events": [lesson_done(first)]}),
        content_type="application/json",
        headers={"accept-language": "ar"},
    )

    (result,) = answer.json()["results"]
    assert result["message"] != "You finished this lesson."
    assert result["message"]
