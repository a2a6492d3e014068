"""Finding: "Arabic plurals are wrong ('بقيت لك 2 محاولتان')". Every message that carries a
number has the six Arabic forms: one and two are said in words, without the numeral."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import ngettext

from lms.courses import services
from tests.builders import lessons_of, make_arabic_copy, make_course, make_learner, wrong_answers

COUNTS = (0, 1, 2, 3, 11, 100)

# msgid, msgid_plural, the placeholder, and what an Arabic reader expects for COUNTS.
MESSAGES = [
    (
        "%(n)s attempt left.",
        "%(n)s attempts left.",
        "n",
        [
            "لم تبق لك أي محاولة.",
            "بقيت لك محاولة واحدة.",
            "بقيت لك محاولتان.",
            "بقيت لك 3 محاولات.",
            "بقيت لك 11 محاولة.",
            "بقيت لك 100 محاولة.",
        ],
    ),
    (
        "%(n)s lesson",
        "%(n)s lessons",
        "n",
        ["لا دروس", "درس واحد", "درسان", "3 دروس", "11 درسًا", "100 درس"],
    ),
    (
        "%(n)s quiz attempt",
        "%(n)s quiz attempts",
        "n",
        [
            "لا محاولات للاختبار",
            "محاولة واحدة للاختبار",
            "محاولتان للاختبار",
            "3 محاولات للاختبار",
            "11 محاولة للاختبار",
            "100 محاولة للاختبار",
        ],
    ),
    (
        "%(n)s min",
        "%(n)s min",
        "n",
        ["أقل من دقيقة", "دقيقة واحدة", "دقيقتان", "3 دقائق", "11 دقيقة", "100 دقيقة"],
    ),
    (
        "This code is not right. You can try %(count)d more time.",
        "This code is not right. You can try %(count)d more times.",
        "count",
        [
            "هذا الرمز غير صحيح. لم تبق لك أي محاولة.",
            "هذا الرمز غير صحيح. بقيت لك محاولة واحدة.",
            "هذا الرمز غير صحيح. بقيت لك محاولتان.",
            "هذا الرمز غير صحيح. بقيت لك 3 محاولات.",
            "هذا الرمز غير صحيح. بقيت لك 11 محاولة.",
            "هذا الرمز غير صحيح. بقيت لك 100 محاولة.",
        ],
    ),
    (
        "Too many tries. Try again in %(minutes)d minute.",
        "Too many tries. Try again in %(minutes)d minutes.",
        "minutes",
        [
            "محاولات كثيرة. حاول مرة أخرى بعد قليل.",
            "محاولات كثيرة. حاول مرة أخرى بعد دقيقة واحدة.",
            "محاولات كثيرة. حاول مرة أخرى بعد دقيقتين.",
            "محاولات كثيرة. حاول مرة أخرى بعد 3 دقائق.",
            "محاولات كثيرة. حاول مرة أخرى بعد 11 دقيقة.",
            "محاولات كثيرة. حاول مرة أخرى بعد 100 دقيقة.",
        ],
    ),
]

FRENCH_ATTEMPTS_LEFT = {
    0: "Il vous reste 0 tentative.",
    1: "Il vous reste 1 tentative.",
    2: "Il vous reste 2 tentatives.",
}
ENGLISH_ATTEMPTS_LEFT = {0: "0 attempts left.", 1: "1 attempt left.", 2: "2 attempts left."}


def said(language: str, singular: str, plural: str, name: str, count: int) -> str:
    with translation.override(language):
        return ngettext(singular, plural, count) % {name: count}


@pytest.mark.parametrize(("singular", "plural", "name", "expected"), MESSAGES)
def test_arabic_plurals_say_one_and_two_in_words_and_count_from_three(
    singular, plural, name, expected
):
    assert [said("ar", singular, plural, name, count) for count in COUNTS] == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", FRENCH_ATTEMPTS_LEFT), ("en", ENGLISH_ATTEMPTS_LEFT)]
)
def test_french_and_english_plurals_of_attempts_left(language, expected):
    found = {
        count: said(language, "%(n)s attempt left.", "%(n)s attempts left.", "n", count)
        for count in expected
    }
    assert found == expected


@pytest.mark.django_db
def test_an_arabic_quiz_with_two_attempts_left_says_muhawalatan(client):
    course = make_course(lessons=0, quiz=True, max_quiz_attempts=3)
    make_arabic_copy(course, "الدورة")
    quiz = make_arabic_copy(lessons_of(course)[0], "اختبار")
    learner = make_learner()
    services.enrol(learner, course)
    services.submit_quiz(learner, quiz, wrong_answers(quiz))
    client.force_login(learner)

    html = client.get(quiz.url).content.decode()

    assert "بقيت لك محاولتان." in html
    assert "2 محاولتان" not in html
