"""Lesson blocks carry a narration, shown as a big Listen control."""

import pytest
from bs4 import BeautifulSoup
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from lms.courses import services
from lms.courses.blocks import LessonBodyBlock
from lms.courses.models import LessonPage
from tests.builders import (
    make_audio,
    make_course,
    make_learner,
    make_lesson,
    narrated_text,
    question,
    root_collection,
    text_body,
)
from tests.i18n import french

pytestmark = pytest.mark.django_db


def narrated_lesson_body(audio, image) -> list[dict]:
    """A text, an image, a callout and a quiz question, each with the same narration."""
    asked = question("Who may ask for your PIN?", [("Nobody", True), ("The bank", False)])
    asked["value"]["narration"] = audio.pk
    return [
        narrated_text("Hold the phone with both hands.", audio),
        {
            "type": "image",
            "value": {
                "image": {"image": image.pk, "alt_text": "A phone", "decorative": False},
                "caption": "Daylight",
                "narration": audio.pk,
            },
        },
        {
            "type": "callout",
            "value": {"tone": "tip", "text": "Stand by a window.", "narration": audio.pk},
        },
        asked,
    ]


def open_as_learner(client, lesson: LessonPage, course) -> BeautifulSoup:
    learner = make_learner()
    services.enrol(learner, course)
    client.force_login(learner)
    response = client.get(lesson.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_each_narrated_block_shows_a_listen_control_that_loads_nothing_until_played(client):
    audio = make_audio("Lesson read aloud")
    image = get_image_model().objects.create(
        title="Phone", file=get_test_image_file(), collection=root_collection()
    )
    course = make_course(lessons=0, quiz=False)
    lesson = make_lesson(course, "Read aloud", body=narrated_lesson_body(audio, image))

    html = open_as_learner(client, lesson, course)

    controls = html.select("main [data-listen]")
    assert len(controls) == 4
    for control in controls:
        player = control.find("audio")
        assert player["src"] == audio.url and audio.url.endswith(".wav")
        assert player["preload"] == "none"
        assert player.has_attr("controls")
        assert control.select_one(".listen-label svg use")["href"].endswith("icons.svg#listen")
    labels = [control.select_one(".listen-label").get_text(strip=True) for control in controls]
    assert labels == [french("Listen")] * 3 + [french("Listen to the question")]
    assert french("Listen") != "Listen"
    assert [c.find("audio")["aria-label"] for c in controls] == labels
    # The controls sit with their own blocks: in the text, the figure, the callout, the quiz.
    assert html.select_one(".text + [data-listen]") is not None
    assert html.select_one("figure.figure [data-listen]") is not None
    assert html.select_one("aside.callout [data-listen]") is not None
    assert html.select_one("fieldset.question [data-listen]") is not None


def test_a_lesson_without_narration_has_no_listen_control(client):
    course = make_course(lessons=1, quiz=False)
    lesson = LessonPage.objects.child_of(course).get()

    html = open_as_learner(client, lesson, course)

    assert html.select("[data-listen]") == []
    assert html.find("audio") is None
    assert "Hold the phone with both hands." in html.select_one("article.lesson").get_text()


def test_every_content_block_offers_a_narration_in_the_editor(client):
    body = LessonBodyBlock()
    for name in ("text", "image", "video", "file", "callout", "question"):
        narration = body.child_blocks[name].child_blocks["narration"]
        assert not narration.required, name
    course = make_course(lessons=0, quiz=False)
    lesson = make_lesson(course, "Read aloud", body=text_body("Written to be read aloud."))
    editor = make_learner(is_staff=True, is_superuser=True)
    client.force_login(editor)

    response = client.get(f"/admin/pages/{lesson.pk}/edit/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Written to be read aloud." in page
    # The block definitions travel as JSON, with accented letters escaped.
    assert "Narration (lue \\u00e0 voix haute)" in page
