"""A translated course read before its lessons were translated can be published again safely.

Wagtail copies a course into another language first, then its lessons under the copy. An instance
of the copy read in between still says it has no children; publishing it through
``maalem.core.pages.publish`` must not write that back, or every lesson of the translation
answers 404.
"""

from __future__ import annotations

import pytest
from wagtail.models import Page

from lms.courses import services
from lms.courses.models import CoursePage
from maalem.core.pages import pages_with_wrong_children_count, publish, with_current_tree
from tests.builders import lessons_of, locale, make_arabic_copy, make_course, make_learner, reload

pytestmark = pytest.mark.django_db


def translated_with_an_instance_read_too_early() -> CoursePage:
    """The Arabic course, as an instance read before its lessons were translated."""
    course = make_course(lessons=3)
    arabic = make_arabic_copy(course, "تصوير منتجاتك")
    for number, lesson in enumerate(lessons_of(course), start=1):
        make_arabic_copy(lesson, f"الدرس {number}")
    return arabic


def wrong_children_counts() -> list:
    return list(Page.find_problems()[4])


def test_publishing_the_early_instance_keeps_every_arabic_lesson_reachable(client) -> None:
    arabic = translated_with_an_instance_read_too_early()
    arabic.summary = "ما ستتعلمينه."
    publish(arabic)

    learner = make_learner()
    services.enrol(learner, arabic)
    client.force_login(learner)
    lessons = lessons_of(reload(arabic))
    assert len(lessons) == 4
    for lesson in lessons:
        assert client.get(lesson.url).status_code == 200, lesson.url
    assert wrong_children_counts() == []
    assert pages_with_wrong_children_count() == []
    assert reload(arabic).summary == "ما ستتعلمينه."


def test_a_plain_save_of_the_early_instance_keeps_the_count_once_read_again() -> None:
    arabic = translated_with_an_instance_read_too_early()
    with_current_tree(arabic).save()
    assert reload(arabic).numchild == 4
    assert wrong_children_counts() == []


def test_a_page_not_saved_yet_is_left_as_it_is() -> None:
    course = CoursePage(title="Nouveau", slug="nouveau", locale=locale("fr"))
    assert with_current_tree(course) is course
    assert course.numchild == 0
