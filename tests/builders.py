"""Small builders for tests: each makes one real object with sensible defaults."""

from __future__ import annotations

import itertools
import json
from typing import Any

from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page, Site

from lms.courses.models import CourseIndexPage, CoursePage, LessonPage

_counter = itertools.count(1)


def locale(code: str) -> Locale:
    return Locale.objects.get_or_create(language_code=code)[0]


def make_catalogue(**overrides: Any) -> CourseIndexPage:
    root = Site.objects.get(is_default_site=True).root_page
    existing = CourseIndexPage.objects.child_of(root).first()
    if existing and not overrides:
        return existing
    catalogue = CourseIndexPage(title="Courses", slug=f"courses-{next(_counter)}", **overrides)
    root.add_child(instance=catalogue)
    return catalogue


def make_course(
    catalogue: CourseIndexPage | None = None, lessons: int = 2, quiz: bool = True, **overrides: Any
) -> CoursePage:
    catalogue = catalogue or make_catalogue()
    n = next(_counter)
    fields = {"title": f"Course {n}", "slug": f"course-{n}", "summary": "What you will learn."}
    fields.update(overrides)
    course = CoursePage(**fields)
    catalogue.add_child(instance=course)
    for i in range(1, lessons + 1):
        make_lesson(course, title=f"Lesson {i}")
    if quiz:
        make_lesson(course, title="Quiz", body=quiz_body())
    return course


def text_body(text: str = "Hold the phone with both hands.") -> list[dict[str, Any]]:
    return [{"type": "text", "value": f"<p>{text}</p>"}]


def question(prompt: str, options: list[tuple[str, bool]], kind: str = "single") -> dict[str, Any]:
    return {
        "type": "question",
        "value": {
            "kind": kind,
            "prompt": prompt,
            "image": None,
            "narration": None,
            "options": [
                {"text": text, "image": None, "correct": correct, "feedback": f"About {text}."}
                for text, correct in options
            ],
        },
    }


def quiz_body() -> list[dict[str, Any]]:
    return [
        question("Who may ask for your PIN?", [("Nobody", True), ("The bank", False)]),
        question(
            "The code sent by SMS is secret.", [("True", True), ("False", False)], "true_false"
        ),
        question(
            "Which payments can you accept? (choose all that apply)",
            [("Card", True), ("Mobile wallet", True), ("A promise", False)],
            "multiple",
        ),
    ]


def make_lesson(course: CoursePage, title: str = "Lesson", body: list | None = None) -> LessonPage:
    lesson = LessonPage(
        title=title, slug=f"lesson-{next(_counter)}", body=json.dumps(body or text_body())
    )
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))


def correct_answers(lesson: LessonPage) -> dict[str, list[str]]:
    return {
        q.id: [o.id for o in q.value["options"].bound_blocks if o.value["correct"]]
        for q in lesson.questions
    }


def wrong_answers(lesson: LessonPage) -> dict[str, list[str]]:
    return {
        q.id: [next(o.id for o in q.value["options"].bound_blocks if not o.value["correct"])]
        for q in lesson.questions
    }


def make_learner(username: str | None = None, **fields: Any) -> Any:
    username = username or f"learner{next(_counter)}"
    return get_user_model().objects.create_user(
        username=username, password="pass-Word-42", **fields
    )


def reload(page: Page) -> Page:
    return page.specific_class.objects.get(pk=page.pk)
