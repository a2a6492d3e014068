"""Wagtail's page privacy still guards lessons once the lesson page has been served and cached."""

import pytest
from wagtail.models import PageViewRestriction

from lms.courses.services import enrol
from tests.builders import lessons_of, make_course, make_learner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_password_set_on_a_course_after_a_visit_guards_its_lessons(client, catalogue):
    course = make_course(catalogue, lessons=2)
    lesson = lessons_of(course)[0]
    learner = make_learner("amina")
    enrol(learner, course)
    client.force_login(learner)
    assert client.get(lesson.url).status_code == 200  # remembered as unrestricted

    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="souk"
    )
    guarded = client.get(lesson.url)
    assert b'name="password"' in guarded.content

    PageViewRestriction.objects.filter(page=course).delete()
    assert b'name="password"' not in client.get(lesson.url).content


def test_an_unknown_lesson_slug_is_not_found(client, catalogue):
    course = make_course(catalogue, lessons=1)
    learner = make_learner("amina")
    enrol(learner, course)
    client.force_login(learner)

    assert client.get(f"{course.url}no-such-lesson/").status_code == 404
