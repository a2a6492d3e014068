"""Trainers see what exists only in one language, and make the translated copy in one action."""

import pytest
from django.urls import reverse

from lms.courses.models import LessonPage
from lms.courses.trainers import setup_trainers_group
from tests.builders import lessons_of, locale, make_arabic_copy, make_course, make_translation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

REPORT_URL = "lms_missing_translations"


@pytest.fixture
def languages():
    return [locale(code) for code in ("fr", "ar", "en")]


def test_the_report_lists_a_lesson_that_exists_only_in_french(
    client, trainer, catalogue, languages
):
    course = make_course(catalogue, lessons=1, quiz=False, title="Mobile payments")
    make_arabic_copy(course, "الأداء بالهاتف")
    make_translation(course, "en", "Mobile payments")
    client.force_login(trainer)

    html = client.get(reverse(REPORT_URL), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    lesson = lessons_of(course)[0]
    assert reverse("simple_translation:submit_page_translation", args=[lesson.pk]) in html
    assert reverse("simple_translation:submit_page_translation", args=[course.pk]) not in html
    assert "Lesson 1" in html and "Arabic, English" in html


def test_the_report_filters_by_missing_language_and_course(client, trainer, catalogue, languages):
    course = make_course(catalogue, lessons=1, quiz=False, title="Mobile payments")
    make_translation(course, "en", "Mobile payments")
    other = make_course(catalogue, lessons=0, quiz=False, title="Weaving basics")
    client.force_login(trainer)

    missing_en = client.get(reverse(REPORT_URL), {"missing_in": "en"}).content.decode()
    of_other = client.get(reverse(REPORT_URL), {"course": other.pk}).content.decode()

    translate = "simple_translation:submit_page_translation"
    assert reverse(translate, args=[course.pk]) not in missing_en
    assert reverse(translate, args=[other.pk]) in missing_en
    assert reverse(translate, args=[other.pk]) in of_other
    assert reverse(translate, args=[lessons_of(course)[0].pk]) not in of_other


def test_a_trainer_makes_the_arabic_copy_from_the_report(client, trainer, catalogue, languages):
    course = make_course(catalogue, lessons=1, quiz=False)
    arabic_course = make_arabic_copy(course, "الأداء بالهاتف")
    setup_trainers_group(arabic_course.get_parent())
    lesson = lessons_of(course)[0]
    client.force_login(trainer)

    response = client.post(
        reverse("simple_translation:submit_page_translation", args=[lesson.pk]),
        {"locales": [languages[1].pk]},
    )

    assert response.status_code == 302
    copy = LessonPage.objects.get(translation_key=lesson.translation_key, locale=languages[1])
    assert copy.get_parent().pk == arabic_course.pk
    assert client.get(response["Location"]).status_code == 200


def test_the_edit_view_says_a_lesson_exists_only_in_french(client, trainer, catalogue, languages):
    lesson = lessons_of(make_course(catalogue, lessons=1, quiz=False))[0]
    client.force_login(trainer)

    html = client.get(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "This page exists only in French." in html
    assert reverse("simple_translation:submit_page_translation", args=[lesson.pk]) in html
