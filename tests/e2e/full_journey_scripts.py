"""What the full journey reads and answers in each language: the operator's course, the quiz's
wrong and right answers, and the artisan's name and shop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lms.courses.models import CoursePage
from tests.builders import make_catalogue, make_course, make_lesson, question, text_body

from . import journey as arabic
from .journey import make_arabic_course


@dataclass(frozen=True)
class Script:
    """What one language's journey reads and answers: the operator's content in that language."""

    language: str
    course_title: str
    lesson_titles: list[str]
    quiz_title: str
    wrong_answers: tuple[str, ...]
    right_answers: tuple[str, ...]
    first_name: str
    last_name: str
    shop_name: str
    make_course: Callable[[], CoursePage]


FRENCH_COURSE = "Vendre avec son téléphone"
FRENCH_LESSONS = ["Leçon 1 : les photos", "Leçon 2 : les prix", "Leçon 3 : les clients"]
FRENCH_QUIZ = "Petit quiz"


def make_french_course() -> CoursePage:
    """A French course of three lessons and a quiz, as an operator would write it."""
    course = make_course(
        make_catalogue(),
        lessons=0,
        quiz=False,
        title=FRENCH_COURSE,
        summary="Comment vendre vos produits avec votre téléphone.",
        max_quiz_attempts=5,
    )
    for title in FRENCH_LESSONS:
        make_lesson(course, title=title, body=text_body("Tenez le téléphone à deux mains."))
    quiz = [
        question(
            "Qui peut vous demander votre code secret ?", [("Personne", True), ("La banque", False)]
        ),
        question(
            "Le code reçu par SMS est secret.", [("Vrai", True), ("Faux", False)], "true_false"
        ),
        question(
            "Quels paiements pouvez-vous accepter ? (plusieurs réponses)",
            [("La carte", True), ("Le portefeuille mobile", True), ("Une promesse", False)],
            "multiple",
        ),
    ]
    make_lesson(course, title=FRENCH_QUIZ, body=quiz)
    return CoursePage.objects.get(pk=course.pk)


SCRIPTS = {
    "ar": Script(
        language="ar",
        course_title=arabic.COURSE_TITLE,
        lesson_titles=arabic.LESSON_TITLES,
        quiz_title=arabic.QUIZ_TITLE,
        wrong_answers=(arabic.THE_BANK, arabic.FALSE, arabic.PROMISE),
        right_answers=(arabic.NOBODY, arabic.TRUE, arabic.CARD, arabic.WALLET),
        first_name="فاطمة",
        last_name="الزهراء",
        shop_name="زليج فاس",
        make_course=lambda: make_arabic_course(lessons=3, quiz=True),
    ),
    "fr": Script(
        language="fr",
        course_title=FRENCH_COURSE,
        lesson_titles=FRENCH_LESSONS,
        quiz_title=FRENCH_QUIZ,
        wrong_answers=("La banque", "Faux", "Une promesse"),
        right_answers=("Personne", "Vrai", "La carte", "Le portefeuille mobile"),
        first_name="Fatima",
        last_name="Zahra",
        shop_name="Atelier Zellige de Fès",
        make_course=make_french_course,
    ),
}
