"""A realistic course in French, Arabic and English, for the tests that weigh and audit pages.

Lessons mix what trainers write: text with headings and lists, callouts, a photo served through
Wagtail renditions, and a quiz at the end. A course with one-line lessons would make every page
look lighter than the ones learners open.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Page

from demo.covers import draw_cover
from lms.courses.models import CourseIndexPage, CoursePage, LessonPage
from tests.builders import (
    lessons_of,
    make_catalogue,
    make_course,
    make_translation,
    question,
    reload,
    root_collection,
)

LANGUAGES = ["ar", "fr", "en"]

WORDS: dict[str, dict[str, Any]] = {
    "fr": {
        "catalogue": "Formations",
        "course": "Vendre ses créations avec son téléphone",
        "summary": "Photographier, fixer un prix et répondre aux clients, pas à pas.",
        "lessons": ["Photographier une pièce", "Fixer un prix juste", "Répondre aux clients"],
        "quiz": "Petit quiz",
        "intro": "Une bonne photo vend mieux qu'une longue description. Les acheteurs "
        "regardent d'abord l'image, puis le prix, puis le texte.",
        "heading": "Préparer la pièce",
        "steps": [
            "Nettoyez la pièce et retirez les fils.",
            "Posez-la sur un fond uni : un drap blanc ou un mur clair.",
            "Essuyez l'objectif du téléphone avec un tissu doux.",
        ],
        "tip": "Photographiez près d'une fenêtre, le matin.",
        "warning": "Évitez le flash : il écrase les couleurs et crée des reflets.",
        "alt": "Un plat en céramique bleue posé sur un drap blanc",
        "caption": "La pièce entière, de face, à la lumière du jour.",
        "outro": "Dans la prochaine leçon, vous écrirez un titre et un prix pour cette pièce.",
        "questions": [
            (
                "Qui peut vous demander votre code secret ?",
                [("Personne", True), ("La banque", False)],
            ),
            ("Le code reçu par SMS est secret.", [("Vrai", True), ("Faux", False)]),
            (
                "Quels paiements pouvez-vous accepter ? (plusieurs réponses)",
                [("La carte", True), ("Le portefeuille mobile", True), ("Une promesse", False)],
            ),
        ],
    },
    "ar": {
        "catalogue": "الدورات",
        "course": "بيع منتجاتك بهاتفك",
        "summary": "التصوير وتحديد الثمن والرد على الزبائن، خطوة بخطوة.",
        "lessons": ["تصوير القطعة", "تحديد ثمن عادل", "الرد على الزبائن"],
        "quiz": "اختبار قصير",
        "intro": "الصورة الجيدة تبيع أكثر من وصف طويل. ينظر المشترون أولا إلى الصورة، "
        "ثم إلى الثمن، ثم إلى النص.",
        "heading": "تحضير القطعة",
        "steps": [
            "نظف القطعة وأزل الخيوط.",
            "ضعها على خلفية موحدة: غطاء أبيض أو جدار فاتح.",
            "امسح عدسة الهاتف بقطعة قماش ناعمة.",
        ],
        "tip": "صور قرب نافذة، في الصباح.",
        "warning": "تجنب الفلاش: فهو يطمس الألوان ويصنع انعكاسات.",
        "alt": "طبق خزفي أزرق موضوع على غطاء أبيض",
        "caption": "القطعة كاملة، من الأمام، في ضوء النهار.",
        "outro": "في الدرس القادم، ستكتب عنوانا وثمنا لهذه القطعة.",
        "questions": [
            ("من يمكنه أن يطلب رقمك السري؟", [("لا أحد", True), ("البنك", False)]),
            ("الرمز المرسل في رسالة قصيرة سري.", [("صحيح", True), ("خطأ", False)]),
            (
                "ما طرق الدفع التي يمكنك قبولها؟ (اختر كل ما ينطبق)",
                [("البطاقة", True), ("المحفظة الإلكترونية", True), ("وعد", False)],
            ),
        ],
    },
    "en": {
        "catalogue": "Courses",
        "course": "Selling your crafts with your phone",
        "summary": "Taking photos, setting a price and answering buyers, step by step.",
        "lessons": ["Photographing a piece", "Setting a fair price", "Answering buyers"],
        "quiz": "Short quiz",
        "intro": "A good photo sells better than a long description. Buyers look at the "
        "picture first, then the price, then the text.",
        "heading": "Getting the piece ready",
        "steps": [
            "Clean the piece and trim loose threads.",
            "Put it on a plain background: a white sheet or a light wall.",
            "Wipe the phone's lens with a soft cloth.",
        ],
        "tip": "Take photos near a window, in the morning.",
        "warning": "Avoid the flash: it flattens colours and makes reflections.",
        "alt": "A blue ceramic dish on a white sheet",
        "caption": "The whole piece, from the front, in daylight.",
        "outro": "In the next lesson, you will write a title and a price for this piece.",
        "questions": [
            ("Who may ask for your PIN?", [("Nobody", True), ("The bank", False)]),
            ("The code sent by SMS is secret.", [("True", True), ("False", False)]),
            (
                "Which payments can you accept? (choose all that apply)",
                [("Card", True), ("Mobile wallet", True), ("A promise", False)],
            ),
        ],
    },
}
KINDS = ["single", "true_false", "multiple"]


@dataclass
class Course:
    """One course in one language: its catalogue, course page, lessons and quiz."""

    language: str
    catalogue: CourseIndexPage
    course: CoursePage
    lessons: list[LessonPage]
    quiz: LessonPage


def make_photo(variant: int = 0) -> Any:
    data = draw_cover(variant)
    return get_image_model().objects.create(
        title=f"Photo {variant}",
        file=ImageFile(BytesIO(data), name=f"photo-{variant}.jpg"),
        collection=root_collection(),
    )


def lesson_body(language: str, photo: Any) -> list[dict[str, Any]]:
    words = WORDS[language]
    steps = "".join(f"<li>{step}</li>" for step in words["steps"])
    return [
        {"type": "text", "value": {"text": f"<p>{words['intro']}</p>", "narration": None}},
        {"type": "callout", "value": {"tone": "tip", "text": words["tip"]}},
        {
            "type": "text",
            "value": {"text": f"<h3>{words['heading']}</h3><ol>{steps}</ol>", "narration": None},
        },
        {
            "type": "image",
            "value": {
                "image": {"image": photo.pk, "decorative": False, "alt_text": words["alt"]},
                "caption": words["caption"],
                "narration": None,
            },
        },
        {"type": "callout", "value": {"tone": "warning", "text": words["warning"]}},
        {"type": "text", "value": {"text": f"<p>{words['outro']}</p>", "narration": None}},
    ]


def quiz_body(language: str) -> list[dict[str, Any]]:
    return [
        question(prompt, options, kind)
        for (prompt, options), kind in zip(WORDS[language]["questions"], KINDS, strict=True)
    ]


def make_trilingual_course() -> dict[str, Course]:
    """The French course with its Arabic and English translations, by language code."""
    photo = make_photo(0)
    words = WORDS["fr"]
    catalogue = make_catalogue()
    catalogue.title = words["catalogue"]
    catalogue.save()
    course = make_course(
        catalogue,
        lessons=0,
        quiz=False,
        title=words["course"],
        summary=words["summary"],
        cover_image=make_photo(1),
        max_quiz_attempts=5,
    )
    for title in words["lessons"]:
        lesson = LessonPage(title=title, body=json.dumps(lesson_body("fr", photo)))
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    quiz = LessonPage(title=words["quiz"], body=json.dumps(quiz_body("fr")))
    course.add_child(instance=quiz)
    quiz.save_revision().publish()
    courses = {"fr": course_in(catalogue, reload(course))}
    for language in ("ar", "en"):
        words = WORDS[language]
        translated_catalogue = make_translation(catalogue, language, words["catalogue"])
        translated_course = make_translation(
            course, language, words["course"], summary=words["summary"]
        )
        for lesson, title in zip(
            lessons_of(course), [*words["lessons"], words["quiz"]], strict=True
        ):
            body = quiz_body(language) if lesson.is_quiz else lesson_body(language, photo)
            make_translation(lesson, language, title, body=body)
        courses[language] = course_in(translated_catalogue, translated_course)
    return courses


def course_in(catalogue: Page, course: Page) -> Course:
    lessons = lessons_of(course)
    return Course(
        language=course.locale.language_code,
        catalogue=catalogue.specific,
        course=course.specific,
        lessons=[lesson for lesson in lessons if not lesson.is_quiz],
        quiz=next(lesson for lesson in lessons if lesson.is_quiz),
    )
