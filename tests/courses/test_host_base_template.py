"""A host site wraps the learner pages in its own base template, named by LMS_BASE_TEMPLATE.

The host's template (tests/courses/host_templates/host/base.html, the example of
docs/templates.md) keeps what learners need: the page's language and direction, the learner
navigation, the messages, and the offline script that keeps lessons on the phone.
"""

import copy
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.checks import run_checks

from lms.courses import services
from lms.courses.checks import LEARNER_LAYOUT_PROCESSOR
from tests.builders import lessons_of, make_arabic_copy, make_course, make_learner

pytestmark = pytest.mark.django_db

HOST_TEMPLATES = Path(__file__).parent / "host_templates"


def host_templates(settings, processors: list[str]) -> None:
    engine = copy.deepcopy(settings.TEMPLATES[0])
    engine["DIRS"] = [HOST_TEMPLATES, *engine["DIRS"]]
    engine["OPTIONS"]["context_processors"] = [
        *engine["OPTIONS"]["context_processors"],
        *processors,
    ]
    settings.TEMPLATES = [engine]


@pytest.fixture
def host_layout(settings):
    host_templates(settings, [LEARNER_LAYOUT_PROCESSOR])
    settings.LMS_BASE_TEMPLATE = "host/base.html"


def test_an_arabic_lesson_in_the_host_layout_keeps_its_direction_and_offline_script(
    client, host_layout
):
    course = make_course(lessons=1, quiz=False)
    lesson = lessons_of(course)[0]
    arabic_course = make_arabic_copy(course, "تصوير المنتجات")
    arabic_lesson = make_arabic_copy(lesson, "الدرس الأول")
    learner = make_learner()
    services.enrol(learner, arabic_course)
    client.force_login(learner)

    response = client.get(arabic_lesson.url)

    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert (html.html["lang"], html.html["dir"]) == ("ar", "rtl")
    assert html.title.get_text() == "الدرس الأول | Host site"
    assert html.select_one("header.host-header nav a[href='/ar/learn/']") is not None
    script = html.select_one("head script[src$='lms/offline.js']")
    assert script["data-learner"] == str(learner.pk)
    assert script["data-sw"] == "/sw.js"
    assert html.select_one("head link[rel=stylesheet][href$='lms/lms.css']") is not None
    assert html.select_one("main h1").get_text() == "الدرس الأول"
    assert html.select_one("footer.foot") is None  # the layout that ships is not used


def test_a_message_shows_in_the_host_layout(client, host_layout):
    course = make_course(lessons=1, quiz=False)
    client.force_login(make_learner())

    response = client.get(lessons_of(course)[0].url, follow=True)

    html = BeautifulSoup(response.content, "html.parser")
    assert html.select_one("header.host-header") is not None
    assert html.select_one("main [role=status] .messages li") is not None


def test_the_offline_page_in_the_host_layout_names_no_learner(client, host_layout):
    client.force_login(make_learner())

    response = client.get("/fr/learn/offline/")

    html = BeautifulSoup(response.content, "html.parser")
    assert html.select_one("header.host-header") is not None
    assert html.select_one("head script[src$='lms/offline.js']")["data-learner"] == ""


def test_without_the_setting_learner_pages_keep_the_layout_that_ships(client, settings):
    host_templates(settings, [LEARNER_LAYOUT_PROCESSOR])
    course = make_course(lessons=0, quiz=False)

    html = BeautifulSoup(client.get(course.url).content, "html.parser")

    assert html.select_one("header.host-header") is None
    assert html.select_one("footer.foot") is not None


def test_the_setting_without_the_context_processor_fails_the_checks(settings):
    host_templates(settings, [])
    settings.LMS_BASE_TEMPLATE = "host/base.html"

    assert "lms.E003" in {message.id for message in run_checks()}

    host_templates(settings, [LEARNER_LAYOUT_PROCESSOR])
    assert "lms.E003" not in {message.id for message in run_checks()}
