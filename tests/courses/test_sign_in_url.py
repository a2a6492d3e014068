"""Learners are sent to the sign-in page LMS_SIGN_IN_URL names, whatever the host's LOGIN_URL.

Without the setting they go to the host's LOGIN_URL, so a host that signs everyone in at one
place needs to set nothing.
"""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.builders import lessons_of, make_course

pytestmark = pytest.mark.django_db

LEARNERS_SIGN_IN = "/learners/sign-in/"
HOSTS_LOGIN = "/accounts/login/"


@pytest.fixture
def own_sign_in(settings):
    settings.LOGIN_URL = HOSTS_LOGIN
    settings.LMS_SIGN_IN_URL = LEARNERS_SIGN_IN


def test_every_learner_action_sends_a_visitor_to_the_learners_sign_in(client, own_sign_in):
    course = make_course(lessons=1, quiz=False)
    lesson = lessons_of(course)[0]
    visits = [
        client.get(lesson.url),
        client.get(reverse("lms:my_learning")),
        client.post(reverse("lms:enrol", args=[course.pk])),
        client.post(reverse("lms:lesson_done", args=[lesson.pk])),
        client.post(reverse("lms:submit_quiz", args=[lesson.pk])),
    ]

    for response in visits:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LEARNERS_SIGN_IN}?next=/fr/")


def test_the_pages_link_to_the_learners_sign_in(client, own_sign_in):
    course = make_course(lessons=1, quiz=False)

    html = BeautifulSoup(client.get(course.url).content, "html.parser")

    links = {a["href"] for a in html.select("a[href^='/learners/']")}
    assert links == {LEARNERS_SIGN_IN, f"{LEARNERS_SIGN_IN}?next={course.url}"}
    assert not html.select(f"a[href^='{HOSTS_LOGIN}']")


def test_without_the_setting_learners_sign_in_at_the_hosts_login_url(client, settings):
    settings.LOGIN_URL = HOSTS_LOGIN
    course = make_course(lessons=1, quiz=False)

    response = client.get(lessons_of(course)[0].url)

    assert response["Location"] == f"{HOSTS_LOGIN}?next={lessons_of(course)[0].url}"
