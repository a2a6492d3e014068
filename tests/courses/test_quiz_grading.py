import pytest
from django.urls import reverse

from lms.courses.models import LessonProgress, QuizAttempt
from tests.builders import (
    correct_answers,
    lessons_of,
    make_course,
    make_learner,
    make_lesson,
    quiz_body,
    wrong_answers,
)
from tests.i18n import french, french_plural

pytestmark = pytest.mark.django_db


def as_form(answers):
    return {f"q-{qid}": options for qid, options in answers.items()}


@pytest.fixture
def enrolled(client):
    course = make_course(lessons=1, max_quiz_attempts=2, pass_mark=70)
    learner = make_learner()
    client.force_login(learner)
    client.post(reverse("lms:enrol", args=[course.pk]))
    quiz = lessons_of(course)[-1]
    return client, course, quiz


def submit(client, quiz, answers):
    return client.post(reverse("lms:submit_quiz", args=[quiz.pk]), as_form(answers))


def test_right_answers_pass_and_finish_the_lesson(enrolled):
    client, course, quiz = enrolled
    response = submit(client, quiz, correct_answers(quiz))
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get()
    assert (attempt.score, attempt.passed, attempt.number) == (100, True, 1)
    assert LessonProgress.objects.filter(lesson_key=quiz.translation_key).exists()
    page = client.get(response["Location"])
    assert "100\xa0%" in page.content.decode()  # French: a no-break space before %


def test_wrong_answers_fail_with_feedback_for_each_chosen_answer(enrolled):
    client, course, quiz = enrolled
    response = submit(client, quiz, wrong_answers(quiz))
    attempt = QuizAttempt.objects.get()
    assert (attempt.score, attempt.passed) == (0, False)
    html = client.get(response["Location"]).content.decode()
    assert "About The bank." in html
    assert not LessonProgress.objects.filter(lesson_key=quiz.translation_key).exists()


def test_one_right_of_three_is_below_the_pass_mark(enrolled):
    client, course, quiz = enrolled
    answers = wrong_answers(quiz)
    first = quiz.questions[0].id
    answers[first] = correct_answers(quiz)[first]
    submit(client, quiz, answers)
    attempt = QuizAttempt.objects.get()
    assert (attempt.score, attempt.passed) == (33, False)


def test_a_replay_after_the_attempts_are_used_up_is_refused_and_changes_nothing(enrolled):
    client, course, quiz = enrolled
    submit(client, quiz, wrong_answers(quiz))
    submit(client, quiz, wrong_answers(quiz))
    response = submit(client, quiz, correct_answers(quiz))
    assert response.status_code == 400
    assert (
        french_plural(
            "You have used your %(count)d attempt at this quiz. Ask your trainer for help.",
            "You have used all %(count)d attempts at this quiz. Ask your trainer for help.",
            2,
        )
        in response.content.decode()
    )
    assert QuizAttempt.objects.count() == 2
    assert not LessonProgress.objects.filter(lesson_key=quiz.translation_key).exists()


def test_an_answer_for_a_question_of_another_lesson_is_refused(enrolled):
    client, course, quiz = enrolled
    other = make_lesson(course, title="Other quiz", body=quiz_body())
    answers = correct_answers(quiz)
    answers.update(correct_answers(other))
    response = submit(client, quiz, answers)
    assert response.status_code == 400
    assert (
        french("An answer was sent for a question that is not in this quiz.")
        in response.content.decode()
    )
    assert QuizAttempt.objects.count() == 0


def test_an_unknown_option_is_refused(enrolled):
    client, course, quiz = enrolled
    answers = correct_answers(quiz)
    answers[quiz.questions[0].id] = ["not-an-option"]
    response = submit(client, quiz, answers)
    assert response.status_code == 400
    assert QuizAttempt.objects.count() == 0


def test_two_answers_to_a_single_choice_question_are_refused(enrolled):
    client, course, quiz = enrolled
    answers = correct_answers(quiz)
    first = quiz.questions[0]
    answers[first.id] = [o.id for o in first.value["options"].bound_blocks]
    response = submit(client, quiz, answers)
    assert response.status_code == 400
    assert QuizAttempt.objects.count() == 0


def test_an_unanswered_question_uses_no_attempt_and_keeps_the_other_answers(enrolled):
    client, course, quiz = enrolled
    answers = correct_answers(quiz)
    dropped = quiz.questions[1].id
    kept = quiz.questions[0].id
    del answers[dropped]
    response = submit(client, quiz, answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert f'value="{answers[kept][0]}" checked' in html
    assert QuizAttempt.objects.count() == 0


def test_a_learner_who_is_not_enrolled_cannot_submit(client):
    course = make_course(lessons=0)
    quiz = lessons_of(course)[-1]
    client.force_login(make_learner())
    response = submit(client, quiz, correct_answers(quiz))
    assert response.status_code == 400
    assert QuizAttempt.objects.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client):
    course = make_course(lessons=0)
    quiz = lessons_of(course)[-1]
    response = submit(client, quiz, correct_answers(quiz))
    assert response.status_code == 302
    assert reverse("maalem_accounts:login") in response["Location"]
