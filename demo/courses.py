"""The demo courses, their lessons and the learning path, in French and as translations.

The translations keep the French StreamField block ids and answer ids, so a quiz answered in
Arabic is graded against the same ids as in French, and a learner's progress follows them from one
language to the other.
"""

from __future__ import annotations

import json
from io import BytesIO
from typing import Any

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Locale
from wagtail.utils.file import hash_filelike

from demo.narration import Voices
from lms.courses.models import (
    CourseIndexPage,
    CoursePage,
    LearningPath,
    LearningPathCourse,
    LessonPage,
)
from lms.courses.trainers import trainers_collection

from .covers import draw_cover
from .lessons import lesson_blocks, quiz_blocks, translated_body
from .site import (
    SOURCE_LANGUAGE,
    TRANSLATED_LANGUAGES,
    DemoSite,
    languages,
    publish,
    translate_page,
)


def in_prerequisite_order(courses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The courses with every prerequisite before the courses that need it, else as written."""
    placed: set[str] = set()
    ordered: list[dict[str, Any]] = []
    pending = list(courses)
    while pending:
        ready = next((c for c in pending if set(c["prerequisites"]) <= placed), None)
        if ready is None:
            raise ValueError("The prerequisites of the demo courses form a cycle.")
        pending.remove(ready)
        placed.add(ready["slug"])
        ordered.append(ready)
    return ordered


def ensure_cover_image(course: dict[str, Any], variant: int) -> Any:
    """The course's generated cover, found by title so a rerun reuses it."""
    image_model = get_image_model()
    title = f"Couverture : {course['title'][SOURCE_LANGUAGE]}"
    image = image_model.objects.filter(title=title).first()
    if image is not None:
        return image
    data = draw_cover(variant)
    image = image_model(
        title=title,
        # The trainers' own collection: the pictures they may choose for their courses.
        collection=trainers_collection(),
        file=ImageFile(BytesIO(data), name=f"{course['slug']}-cover.jpg"),
        file_size=len(data),
        file_hash=hash_filelike(BytesIO(data)),
    )
    image.save()
    return image


def ensure_course(
    catalogue: CourseIndexPage,
    course: dict[str, Any],
    prerequisites: list[CoursePage],
    cover: Any,
    voices: Voices | None = None,
) -> CoursePage:
    """The French course page and its lessons, then the quiz as the last lesson."""
    page = CoursePage.objects.child_of(catalogue).filter(slug=course["slug"]).first()
    if page is None:
        page = CoursePage(
            title=course["title"][SOURCE_LANGUAGE],
            slug=course["slug"],
            summary=course["summary"][SOURCE_LANGUAGE],
            duration_minutes=course["duration_minutes"],
            level=course["level"],
            pass_mark=course["pass_mark"],
            max_quiz_attempts=course["max_quiz_attempts"],
            cover_image=cover,
            locale=catalogue.locale,
        )
        page.prerequisites = prerequisites
        catalogue.add_child(instance=page)
        publish(page)
    for lesson in course["lessons"]:
        ensure_lesson(
            page,
            slug=lesson["slug"],
            title=lesson["title"][SOURCE_LANGUAGE],
            minutes=lesson["minutes"],
            blocks=lesson_blocks(lesson, SOURCE_LANGUAGE, voices),
        )
    quiz = course["quiz"]
    ensure_lesson(
        page,
        slug=quiz["slug"],
        title=quiz["title"][SOURCE_LANGUAGE],
        minutes=quiz_minutes(quiz),
        blocks=quiz_blocks(quiz, SOURCE_LANGUAGE),
    )
    return CoursePage.objects.get(pk=page.pk)


def quiz_minutes(quiz: dict[str, Any]) -> int:
    # About a minute to read and answer each question on a phone, plus the intro.
    return len(quiz["questions"]) + 1


def ensure_lesson(
    course: CoursePage, slug: str, title: str, minutes: int, blocks: list[dict[str, Any]]
) -> LessonPage:
    lesson = LessonPage.objects.child_of(course).filter(slug=slug).first()
    if lesson is None:
        # Raw JSON: LessonPage.save binds ids to every block and answer before storing them.
        lesson = LessonPage(
            title=title, slug=slug, minutes=minutes, body=json.dumps(blocks), locale=course.locale
        )
        course.add_child(instance=lesson)
        publish(lesson)
    return lesson


def translate_course(
    source: CoursePage,
    course: dict[str, Any],
    locale: Locale,
    prerequisites: list[CoursePage],
    voices: Voices | None = None,
) -> CoursePage:
    """The course in ``locale``, lessons included, with prerequisites in the same language."""
    language = locale.language_code

    def fill(page: CoursePage) -> None:
        page.title = course["title"][language]
        page.summary = course["summary"][language]
        page.prerequisites = prerequisites

    translation = translate_page(source, locale, fill)
    lessons = {lesson.slug: lesson for lesson in source.get_children().type(LessonPage).specific()}
    for lesson in course["lessons"]:
        translate_lesson(
            lessons[lesson["slug"]],
            locale,
            title=lesson["title"][language],
            blocks=lesson_blocks(lesson, language, voices),
        )
    quiz = course["quiz"]
    translate_lesson(
        lessons[quiz["slug"]],
        locale,
        title=quiz["title"][language],
        blocks=quiz_blocks(quiz, language),
    )
    # Read again: the instance above was read before its lessons were added under it.
    return CoursePage.objects.get(pk=translation.pk)


def translate_lesson(
    source: LessonPage, locale: Locale, title: str, blocks: list[dict[str, Any]]
) -> LessonPage:
    def fill(page: LessonPage) -> None:
        page.title = title
        page.body = json.dumps(translated_body(page.body.get_prep_value(), blocks))

    return translate_page(source, locale, fill)


def ensure_courses(content: dict[str, Any], site: DemoSite) -> dict[str, dict[str, CoursePage]]:
    # Covers follow the written order, so each course keeps its colours if prerequisites change.
    covers = {
        course["slug"]: ensure_cover_image(course, variant)
        for variant, course in enumerate(content["courses"])
    }
    ordered = in_prerequisite_order(content["courses"])
    courses: dict[str, dict[str, CoursePage]] = {language: {} for language in languages()}
    for course in ordered:
        courses[SOURCE_LANGUAGE][course["slug"]] = ensure_course(
            site.catalogues[SOURCE_LANGUAGE],
            course,
            prerequisites=[courses[SOURCE_LANGUAGE][slug] for slug in course["prerequisites"]],
            cover=covers[course["slug"]],
            voices=site.voices,
        )
    for language in TRANSLATED_LANGUAGES:
        for course in ordered:
            courses[language][course["slug"]] = translate_course(
                courses[SOURCE_LANGUAGE][course["slug"]],
                course,
                site.locales[language],
                prerequisites=[courses[language][slug] for slug in course["prerequisites"]],
                voices=site.voices,
            )
    return courses


def ensure_learning_paths(content: dict[str, Any], site: DemoSite) -> dict[str, LearningPath]:
    spec = content["path"]
    slugs = [course["slug"] for course in content["courses"]]

    def items(language: str) -> list[LearningPathCourse]:
        return [
            LearningPathCourse(course=site.courses[language][slug], sort_order=i)
            for i, slug in enumerate(slugs)
        ]

    source_locale = site.locales[SOURCE_LANGUAGE]
    path = LearningPath.objects.filter(
        locale=source_locale, title=spec["title"][SOURCE_LANGUAGE]
    ).first()
    if path is None:
        path = LearningPath(
            locale=source_locale,
            title=spec["title"][SOURCE_LANGUAGE],
            intro=spec["intro"][SOURCE_LANGUAGE],
        )
        path.items = items(SOURCE_LANGUAGE)
        path.save()
    paths = {SOURCE_LANGUAGE: path}
    for language in TRANSLATED_LANGUAGES:
        translation = path.get_translation_or_none(site.locales[language])
        if translation is None:
            translation = path.copy_for_translation(site.locales[language])
            translation.title = spec["title"][language]
            translation.intro = spec["intro"][language]
            # The copied items still point at the French courses.
            translation.items = items(language)
            translation.save()
        paths[language] = translation
    return paths
