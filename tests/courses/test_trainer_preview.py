"""A trainer previews a lesson as a learner who has just started the course sees it."""

import pytest
from django.conf import settings
from django.urls import reverse

from lms.courses.models import LessonPage
from lms.courses.trainers import setup_trainers_group
from tests.builders import lessons_of, make_arabic_copy, make_course, text_body

pytestmark = pytest.mark.django_db


def preview(client, page):
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert response.status_code == 200
    return response


def test_the_preview_of_a_quiz_shows_its_questions_and_all_its_attempts(client, trainer, catalogue):
    course = make_course(catalogue, lessons=2, max_quiz_attempts=3)
    quiz = lessons_of(course)[-1]
    client.force_login(trainer)

    html = preview(client, quiz).content.decode()

    assert "Leçon 3 sur 3" in html
    assert "Who may ask for your PIN?" in html
    assert html.count('type="radio"') == 4 and html.count('type="checkbox"') == 3
    assert "Il vous reste 3 tentatives." in html
    assert 'class="error"' not in html  # "You have used all your attempts"


def test_the_preview_of_a_draft_lesson_counts_it_among_the_lessons(client, trainer, catalogue):
    course = make_course(catalogue, lessons=2, quiz=False)
    draft = LessonPage(title="Draft lesson", slug="draft-lesson", live=False, body=text_body())
    course.add_child(instance=draft)
    client.force_login(trainer)

    html = preview(client, draft).content.decode()

    assert "Leçon 3 sur 3" in html
    assert "Lesson 2" in html  # the previous lesson, linked in the pager


def test_previewing_an_arabic_page_leaves_the_admin_language_alone(client, trainer, catalogue):
    course = make_course(catalogue)
    arabic = make_arabic_copy(course, "الأداء بالهاتف", summary="ما ستتعلمه.")
    setup_trainers_group(arabic.get_parent())
    client.force_login(trainer)

    response = preview(client, arabic)
    admin = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en")

    assert 'dir="rtl"' in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert '<html lang="en" dir="ltr"' in admin.content.decode()


def test_admin_pages_never_change_the_learners_language(client, trainer):
    client.force_login(trainer)
    client.get("/fr/learn/sign-in/")

    client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="ar")
    client.get(reverse("lms_progress_report"), HTTP_ACCEPT_LANGUAGE="ar")

    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_what_a_previewed_page_fetches_by_itself_leaves_the_language_alone(client):
    client.get("/fr/learn/sign-in/", HTTP_SEC_FETCH_DEST="document")

    client.get("/ar/learn/sign-in/", HTTP_SEC_FETCH_DEST="serviceworker")
    client.get("/ar/learn/sign-in/", HTTP_SEC_FETCH_DEST="empty")

    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
