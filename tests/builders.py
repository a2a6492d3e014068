"""Small builders for tests: each makes one real object with sensible defaults."""

from __future__ import annotations

import io
import itertools
import json
import math
import struct
import wave
from typing import Any

from django.contrib.auth import get_user_model
from wagtail.models import Collection, Locale, Page, Site

from lms.courses import services
from lms.courses.models import CourseCompletion, CourseIndexPage, CoursePage, LessonPage

_counter = itertools.count(1)


def locale(code: str) -> Locale:
    return Locale.objects.get_or_create(language_code=code)[0]


def default_site() -> Site:
    """The default Site, rebuilt when a transactional test has flushed the one from migrations."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site:
        return site
    french = locale("fr")
    tree_root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=french)
    )
    home = tree_root.add_child(instance=Page(title="Maalem", slug="home", locale=french))
    return Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)


def make_catalogue(**overrides: Any) -> CourseIndexPage:
    root = default_site().root_page
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
    return [narrated_text(text)]


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A real, tiny WAV file: a quiet 440 Hz tone, 8 kHz mono 16-bit."""
    frames = b"".join(
        struct.pack("<h", int(3000 * math.sin(2 * math.pi * 440 * i / rate)))
        for i in range(int(seconds * rate))
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(frames)
    return out.getvalue()


def root_collection() -> Collection:
    """The root media collection, rebuilt when a transactional test has flushed it."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def make_audio(title: str = "Narration", seconds: float = 1.0) -> Any:
    """An audio file in the media library, as a trainer uploads one for narration."""
    from django.core.files.base import ContentFile
    from wagtailmedia.models import get_media_model

    n = next(_counter)
    return get_media_model().objects.create(
        title=title,
        type="audio",
        duration=seconds,
        collection=root_collection(),
        file=ContentFile(wav_bytes(seconds), name=f"narration-{n}.wav"),
    )


def narrated_text(text: str, narration: Any = None) -> dict[str, Any]:
    """A text block, with its narration (a media item) or none."""
    return {
        "type": "text",
        "value": {"text": f"<p>{text}</p>", "narration": narration.pk if narration else None},
    }


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


def arabic_learner() -> Any:
    return make_learner(first_name="فاطمة الزهراء", last_name="بنعلي")


def complete(learner: Any, course: CoursePage) -> CourseCompletion:
    """Finish every lesson of ``course`` for real, passing its quiz."""
    services.enrol(learner, course)
    for lesson in lessons_of(course):
        if lesson.is_quiz:
            services.submit_quiz(learner, lesson, correct_answers(lesson))
        else:
            services.mark_lesson_done(learner, lesson)
    return CourseCompletion.objects.get(learner=learner, course_key=course.translation_key)


def reload(page: Page) -> Page:
    return page.specific_class.objects.get(pk=page.pk)


def make_arabic_copy(page: Page, title: str, **fields: Any) -> Page:
    """The published Arabic translation of ``page``, with Arabic ``title`` and ``fields``.

    Translate parents first; a parent with no Arabic copy yet (such as the site's home page)
    gets an alias, as Wagtail's own "translate" action does. A lesson ``body`` may be given as
    a list of blocks, like ``make_lesson`` takes.
    """
    return make_translation(page, "ar", title, **fields)


def make_translation(page: Page, language: str, title: str, **fields: Any) -> Page:
    """The published translation of ``page`` into ``language``; see ``make_arabic_copy``."""
    copy = page.specific.copy_for_translation(locale(language), copy_parents=True)
    copy.title = title
    for name, value in fields.items():
        setattr(copy, name, json.dumps(value) if name == "body" else value)
    copy.save()
    copy.save_revision().publish()
    return reload(copy)
