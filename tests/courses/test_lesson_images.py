"""Learner pages show every picture as WebP through their own renditions.

The host's WAGTAILIMAGES_FORMAT_CONVERSIONS is the host's business: a site that keeps its
images in their own formats still sends learners the light WebP renditions.
"""

import pytest
from bs4 import BeautifulSoup
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from lms.courses import services
from tests.builders import make_course, make_learner, make_lesson, question, root_collection

pytestmark = pytest.mark.django_db


def picture(title: str):
    return get_image_model().objects.create(
        title=title, file=get_test_image_file(f"{title}.png"), collection=root_collection()
    )


def image_urls(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    urls = []
    for img in html.select("main img"):
        urls.append(img["src"])
        urls += [
            candidate.split()[0] for candidate in img.get("srcset", "").split(",") if candidate
        ]
    return urls


def test_covers_lesson_pictures_and_quiz_pictures_are_webp_whatever_the_host_converts(
    client, settings
):
    settings.WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "png", "jpeg": "jpeg"}
    course = make_course(lessons=0, quiz=False, cover_image=picture("cover"))
    lesson = make_lesson(
        course,
        "A picture",
        body=[
            {
                "type": "image",
                "value": {
                    "image": {"image": picture("photo").pk, "alt_text": "", "decorative": True},
                    "caption": "",
                    "narration": None,
                },
            }
        ],
    )
    asked = question("Which one is sharp?", [("This one", True), ("That one", False)])
    asked["value"]["image"] = picture("question").pk
    asked["value"]["options"][0]["image"] = picture("answer").pk
    quiz = make_lesson(course, "Quiz", body=[asked])
    learner = make_learner()
    services.enrol(learner, course)
    client.force_login(learner)

    seen = {
        "catalogue": image_urls(client, course.get_parent().url),
        "course": image_urls(client, course.url),
        "lesson": image_urls(client, lesson.url),
        "quiz": image_urls(client, quiz.url),
    }

    # The lesson's picture comes in three widths, plus the fallback src.
    assert [len(urls) for urls in seen.values()] == [1, 1, 4, 2]
    for page, urls in seen.items():
        assert all(url.endswith(".webp") for url in urls), (page, urls)
