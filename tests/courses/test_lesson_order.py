"""Trainers decide the order of a course's lessons; the course's quiz stays last unless moved."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.builders import lessons_of, make_course, make_lesson

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def add_lesson(client, course, title):
    url = reverse("wagtailadmin_pages:add", args=["maalem_courses", "lessonpage", course.pk])
    form = nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "minutes": 5,
            "body": streamfield([("text", {"text": rich_text("<p>Count the change.</p>")})]),
        }
    )
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_new_lesson_lands_before_the_course_quiz(client, trainer, catalogue):
    course = make_course(catalogue, lessons=2)
    client.force_login(trainer)

    add_lesson(client, course, "Giving change")

    assert [lesson.title for lesson in lessons_of(course)] == [
        "Lesson 1",
        "Lesson 2",
        "Giving change",
        "Quiz",
    ]


def test_a_new_lesson_follows_a_quiz_the_trainer_moved_away_from_the_end(
    client, trainer, catalogue
):
    course = make_course(catalogue, lessons=1)
    make_lesson(course, title="After the quiz")
    client.force_login(trainer)

    add_lesson(client, course, "Giving change")

    assert [lesson.title for lesson in lessons_of(course)][-2:] == [
        "After the quiz",
        "Giving change",
    ]


def test_a_trainer_reorders_the_lessons_of_a_course(client, trainer, catalogue):
    course = make_course(catalogue, lessons=2)
    first, second, quiz = lessons_of(course)
    client.force_login(trainer)

    listing = client.get(reverse("wagtailadmin_explore", args=[course.pk]), {"ordering": "ord"})
    response = client.post(
        reverse("wagtailadmin_pages:set_page_position", args=[second.pk]) + "?position=0"
    )

    assert "data-w-orderable-url-value" in listing.content.decode()
    assert response.status_code == 200
    assert [lesson.pk for lesson in lessons_of(course)] == [second.pk, first.pk, quiz.pk]
