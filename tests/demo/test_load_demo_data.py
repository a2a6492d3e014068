"""load_demo_data builds the "Sell online" site in French, Arabic and English, and can run again.

The command takes several seconds, so it runs once for the whole module, inside a transaction
that is rolled back at the end: the other test modules never see the demo site.
"""

from __future__ import annotations

import os
import re
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from demo.narration import can_speak
from lms.courses.models import (
    CourseCompletion,
    CoursePage,
    Enrolment,
    LearningPath,
    LessonPage,
    LessonProgress,
    QuizAttempt,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]

ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture(scope="module")
def demo_site(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Any:
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        with transaction.atomic():
            call_command("load_demo_data", stdout=StringIO())
            yield
            transaction.set_rollback(True)


def courses_in(language: str) -> list[CoursePage]:
    return list(CoursePage.objects.live().filter(locale__language_code=language).order_by("path"))


def course_in(language: str, slug: str) -> CoursePage:
    return CoursePage.objects.get(locale__language_code=language, slug=slug)


def test_five_courses_are_built_in_french_and_in_arabic_each_with_lessons_and_a_quiz() -> None:
    for language in ("fr", "ar"):
        courses = courses_in(language)
        assert len(courses) == 5
        for course in courses:
            lessons = list(course.lessons())
            reading = [lesson for lesson in lessons if not lesson.is_quiz]
            assert len(reading) >= 3, course.slug
            assert lessons[-1].is_quiz, course.slug
            assert sum(lesson.is_quiz for lesson in lessons) == 1, course.slug


def test_the_arabic_course_page_and_its_lessons_are_written_in_arabic() -> None:
    course = course_in("ar", "smartphone-basics")
    assert ARABIC.search(course.title)
    assert ARABIC.search(course.summary)
    lesson = course.lessons().first()
    assert ARABIC.search(lesson.title)
    assert all(
        ARABIC.search(" ".join(block.block.get_searchable_content(block.value)))
        for block in lesson.body
    )


def test_an_arabic_quiz_keeps_the_ids_of_the_french_questions_and_answers() -> None:
    french = course_in("fr", "accepting-payments").lessons().last()
    arabic = course_in("ar", "accepting-payments").lessons().last()

    def ids(quiz: LessonPage) -> list[tuple[str, list[str]]]:
        return [
            (question.id, [option.id for option in question.value["options"].bound_blocks])
            for question in quiz.questions
        ]

    assert ids(arabic) == ids(french)
    assert len(ids(french)) >= 3
    assert ARABIC.search(arabic.questions[0].value["prompt"])
    assert not ARABIC.search(french.questions[0].value["prompt"])


def test_arabic_prerequisites_are_the_arabic_courses() -> None:
    course = course_in("ar", "selling-on-a-marketplace")
    prerequisites = list(course.prerequisites.all())
    assert len(prerequisites) == 3
    assert {page.locale.language_code for page in prerequisites} == {"ar"}


def test_the_learning_path_lists_the_five_courses_in_each_language() -> None:
    for language in ("fr", "ar", "en"):
        path = LearningPath.objects.get(locale__language_code=language)
        courses = path.courses()
        assert len(courses) == 5
        assert {course.locale.language_code for course in courses} == {language}


def test_hassan_has_completed_every_course_of_the_path() -> None:
    hassan = get_user_model().objects.get(username="hassan")
    completed = set(
        CourseCompletion.objects.filter(learner=hassan).values_list("course_key", flat=True)
    )
    assert len(completed) == 5
    assert completed == {course.translation_key for course in courses_in("fr")}


def test_the_other_learners_are_at_their_own_stage() -> None:
    users = get_user_model().objects
    assert not Enrolment.objects.filter(learner=users.get(username="fatima")).exists()

    youssef = Enrolment.objects.get(learner=users.get(username="youssef"))
    assert youssef.lessons_done.count() == 1
    assert not hasattr(youssef, "completion")

    khadija = users.get(username="khadija")
    assert CourseCompletion.objects.filter(learner=khadija).count() == 1
    second = course_in("fr", "accepting-payments")
    attempts = QuizAttempt.objects.filter(
        enrolment__learner=khadija, enrolment__course_key=second.translation_key
    )
    assert [attempt.passed for attempt in attempts] == [False]


def site_counts() -> dict[str, int]:
    models = [
        Locale,
        Page,
        CoursePage,
        LessonPage,
        LearningPath,
        Enrolment,
        LessonProgress,
        QuizAttempt,
        CourseCompletion,
        get_user_model(),
        get_image_model(),
    ]
    return {model._meta.label: model.objects.count() for model in models}


def test_running_the_command_again_changes_nothing() -> None:
    before = site_counts()
    call_command("load_demo_data", stdout=StringIO())
    assert site_counts() == before


def test_the_arabic_catalogue_is_served_right_to_left_with_arabic_course_titles(client) -> None:
    response = client.get("/ar/courses/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert course_in("ar", "pricing-and-costing").title in html


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_home_page_leads_to_the_demo_courses_and_shops(client, language: str) -> None:
    response = client.get(f"/{language}/")
    html = response.content.decode()

    assert response.status_code == 200
    for address in ("courses/", "marketplace/", "certificates/verify/", "learn/"):
        assert f'href="/{language}/{address}"' in html, address
    assert client.get(f"/{language}/marketplace/").status_code == 200


def test_each_reading_lesson_opens_with_a_narration_in_its_own_language(client) -> None:
    if not can_speak():
        if os.environ.get("CI"):
            pytest.fail(
                "espeak-ng and opusenc should have been installed by scripts/system-deps.sh"
            )
        pytest.skip("espeak-ng and opusenc are not installed")
    client.force_login(get_user_model().objects.get(username="hassan"))  # enrolled in every course
    heard = {}
    for language in ("fr", "ar", "en"):
        lesson = course_in(language, "smartphone-basics").lessons().first()
        first = lesson.body[0]
        assert first.block_type == "text"
        narration = first.value["narration"]
        assert narration is not None and narration.type == "audio", language
        with narration.file.open("rb") as audio:
            assert audio.read(4) == b"OggS", language
        heard[language] = narration.pk
        response = client.get(lesson.url)
        assert response.status_code == 200, language
        html = response.content.decode()
        assert f'src="{narration.url}"' in html, language
        assert 'preload="none"' in html
    assert len(set(heard.values())) == 3  # each language has its own voice


def test_every_lesson_of_every_course_opens_in_each_language(client) -> None:
    client.force_login(get_user_model().objects.get(username="hassan"))  # enrolled in every course
    for language in ("fr", "ar", "en"):
        courses = courses_in(language)
        assert len(courses) == 5, language
        for course in courses:
            lessons = list(course.lessons())
            assert lessons, course.url
            for lesson in lessons:
                assert client.get(lesson.url).status_code == 200, lesson.url


def test_the_page_tree_counts_agree_with_the_tree() -> None:
    assert Page.find_problems() == ([], [], [], [], [])
