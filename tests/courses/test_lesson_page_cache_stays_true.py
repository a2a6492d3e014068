"""The lesson page keeps what every learner sees alike in the cache
(lms.courses.templatetags.lms_fragments); a trainer's publish, an unpublished or renamed lesson,
a learner's progress and her language must all show on the very next request, and the page's
queries must not grow."""

import pytest
from django.urls import reverse

from lms.courses import services
from tests.builders import lessons_of, make_course, make_learner, reload, text_body

pytestmark = pytest.mark.django_db

# A learner's second visit to a lesson: the locale, the home page's specific row, the catalogue,
# the course and the lesson (routing), the session, the learner, and her enrolment with the
# lessons she finished, in one query. The site is kept by the process (lms.courses.middleware)
# when the cache is shared by every process, as in production; else it is one query more.
LESSON_PAGE_QUERIES = 8


def enrolled(course, username=None):
    learner = make_learner(username)
    services.enrol(learner, course)
    return learner


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_trainers_publish_shows_at_once(client):
    course = make_course(lessons=2, quiz=False)
    first = lessons_of(course)[0]
    client.force_login(enrolled(course))
    assert "Hold the phone with both hands." in html(client, first.url)

    first.title = "Tenir le téléphone"
    first.body = text_body("Posez le coude sur la table.")
    first.save_revision().publish()

    page = html(client, first.url)
    assert "Posez le coude sur la table." in page and "Tenir le téléphone" in page
    assert "Hold the phone with both hands." not in page


def test_an_unpublished_lesson_leaves_its_neighbours_at_once(client):
    course = make_course(lessons=3, quiz=False)
    _first, second, third = lessons_of(course)
    client.force_login(enrolled(course))
    page = html(client, second.url)
    assert "Lesson 2 of 3" in page or "Leçon 2 sur 3" in page
    assert f'href="{third.url}"' in page

    reload(third).unpublish()

    page = html(client, second.url)
    assert f'href="{third.url}"' not in page
    assert "Lesson 2 of 2" in page or "Leçon 2 sur 2" in page


def test_a_renamed_neighbour_shows_in_the_links_at_once(client):
    course = make_course(lessons=3, quiz=False)
    _first, second, third = lessons_of(course)
    client.force_login(enrolled(course))
    assert "Oser la lumière" not in html(client, second.url)

    third.title = "Oser la lumière"
    third.save_revision().publish()

    assert "Oser la lumière" in html(client, second.url)


def test_each_learner_sees_her_own_progress_at_once(client):
    course = make_course(lessons=3, quiz=False)
    first = lessons_of(course)[0]
    amina, badr = enrolled(course, "amina"), enrolled(course, "badr")
    done_form = reverse("lms:lesson_done", args=[first.pk])
    client.force_login(amina)
    assert done_form in html(client, first.url)

    client.post(done_form)

    page = html(client, first.url)
    assert done_form not in page and '<progress max="100" value="33"' in page
    client.force_login(badr)
    page = html(client, first.url)
    assert done_form in page and '<progress max="100" value="0"' in page


def test_each_language_has_its_own_page_pieces(client):
    client.force_login(make_learner())
    assert "Aller au contenu" in html(client, "/fr/learn/")
    page = html(client, "/ar/learn/")
    assert "انتقل إلى المحتوى" in page and "Aller au contenu" not in page


@pytest.mark.parametrize("shared", [True, False], ids=["shared cache", "cache per process"])
def test_a_lesson_page_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, settings, shared
):
    settings.MAALEM_SHARED_CACHE = shared
    course = make_course(lessons=3, quiz=False)
    second = lessons_of(course)[1]
    client.force_login(enrolled(course))
    html(client, second.url)  # the first visit records where she is
    with django_assert_num_queries(LESSON_PAGE_QUERIES + (0 if shared else 1)):
        html(client, second.url)
