"""The catalogue's and My learning's course cards and a course page's head and description are
shared fragments (lms.courses.templatetags.lms_fragments): a trainer's publish and a new lesson
show on the very next request, and each learner still sees her own progress."""

import pytest

from lms.courses import services
from tests.builders import lessons_of, make_course, make_learner, reload

pytestmark = pytest.mark.django_db


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_course_shows_its_new_title_summary_and_level_at_once(client):
    course = make_course(lessons=2, quiz=False, title="Photos au téléphone")
    catalogue = course.get_parent()
    other = make_course(catalogue.specific, lessons=1, quiz=False, title="Fixer un prix")
    learner = make_learner()
    services.enrol(learner, course)
    services.enrol(learner, other)
    client.force_login(learner)
    for url in (catalogue.url, course.url, "/fr/learn/"):
        assert "Photos au téléphone" in html(client, url)
    for url in (catalogue.url, other.url, "/fr/learn/"):
        assert "Fixer un prix" in html(client, url)

    course = reload(course)
    course.title = "Photographier ses pièces"
    course.summary = "Trois photos qui vendent."
    course.level = "advanced"
    course.save_revision().publish()

    for url in (catalogue.url, course.url, "/fr/learn/"):
        page = html(client, url)
        assert "Photographier ses pièces" in page and "Photos au téléphone" not in page
    assert "Trois photos qui vendent." in html(client, course.url)
    assert "Avancé" in html(client, catalogue.url) or "Advanced" in html(client, catalogue.url)


def test_a_new_lesson_counts_on_the_card_at_once_and_progress_stays_each_learners(client):
    course = make_course(lessons=2, quiz=False)
    catalogue = course.get_parent()
    amina, badr = make_learner("amina"), make_learner("badr")
    for learner in (amina, badr):
        services.enrol(learner, course)
    services.mark_lesson_done(amina, lessons_of(course)[0])
    client.force_login(amina)
    assert 'value="50"' in html(client, catalogue.url)
    client.force_login(badr)
    page = html(client, catalogue.url)
    assert 'value="0"' in page and 'value="50"' not in page

    make_course_lesson = lessons_of(course)[0].copy(
        to=course, update_attrs={"slug": "encore", "title": "Encore"}
    )
    make_course_lesson.save_revision().publish()

    assert "3 leçons" in html(client, catalogue.url) or "3 lessons" in html(client, catalogue.url)
