"""An Arabic learner listens to a lesson on a 360px phone, with and without JavaScript."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page, Route, expect

from lms.courses import services
from lms.courses.models import LessonPage
from tests.builders import (
    lessons_of,
    make_arabic_copy,
    make_audio,
    make_catalogue,
    make_course,
    make_learner,
    narrated_text,
)
from tests.e2e.journey import Journey

# serialized_rollback puts back the home page and site that migrations created, which the
# flush after any transactional test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LISTEN = "استمع"
LESSON_TITLE = "الدرس الأول: الصور"


def serve_media(context: BrowserContext) -> None:
    """Hand out uploaded files as the site's web server does (the test server serves none)."""

    def media(route: Route) -> None:
        name = route.request.url.split(settings.MEDIA_URL, 1)[1].split("?")[0]
        route.fulfill(path=Path(settings.MEDIA_ROOT) / name)

    context.route(f"**{settings.MEDIA_URL}**", media)


def sign_in(context: BrowserContext, learner: Any, url: str) -> None:
    client = Client()
    client.force_login(learner)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])


def narrated_arabic_lesson() -> tuple[LessonPage, Any]:
    """A one-lesson course whose Arabic lesson is read aloud; returns it and the learner."""
    catalogue = make_catalogue()
    course = make_course(catalogue, lessons=1, quiz=False)
    make_arabic_copy(catalogue, "الدورات")
    make_arabic_copy(course, "البيع بالهاتف", summary="كيف تبيع منتجاتك بهاتفك.")
    audio = make_audio("قراءة الدرس", seconds=3)
    lesson = make_arabic_copy(
        lessons_of(course)[0], LESSON_TITLE, body=[narrated_text("أمسك الهاتف بيديك.", audio)]
    )
    learner = make_learner()
    services.enrol(learner, course)
    return lesson, learner


def is_playing(page: Page) -> bool:
    return page.evaluate(
        "(a => !a.paused && !a.ended)(document.querySelector('[data-listen] audio'))"
    )


def test_the_listen_button_plays_and_pauses_the_narration(live_server, context, page, artifacts):
    lesson, learner = narrated_arabic_lesson()
    serve_media(context)
    sign_in(context, learner, live_server.url)
    journey = Journey(page, live_server.url, artifacts, "listen")

    journey.open(lesson.url)
    expect(page.locator("h1")).to_have_text(LESSON_TITLE)
    button = page.get_by_role("button", name=LISTEN, exact=True)
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(page.locator("[data-listen] audio")).to_be_hidden()
    box = button.bounding_box()
    assert box and box["height"] >= 48 and box["width"] >= 48
    journey.look("lesson")

    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("document.querySelector('[data-listen] audio').currentTime > 0")
    assert is_playing(page)
    # The words and icon stay; the icon turns to "pause" while it plays.
    expect(button).to_have_accessible_name(LISTEN)
    expect(button.locator("svg.when-playing")).to_be_visible()
    journey.look("playing")

    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    assert not is_playing(page)

    # The navigation words come with icons, and arrows point the Arabic way (right to left).
    back = page.locator("nav.crumbs a svg.icon-flip")
    expect(back).to_have_css("transform", "matrix(-1, 0, 0, 1, 0, 0)")
    main_nav = page.locator("header nav:not(.langs) li").locator("a, button")
    expect(main_nav).to_have_count(3)
    for link in main_nav.all():
        expect(link.locator("svg[aria-hidden=true]")).to_have_count(1)
        assert link.inner_text().strip()


def test_without_javascript_the_native_player_is_there_and_loads_nothing_first(
    live_server, browser, artifacts
):
    lesson, learner = narrated_arabic_lesson()
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="ar",
        java_script_enabled=False,
        bypass_csp=True,
    )
    try:
        serve_media(context)
        sign_in(context, learner, live_server.url)
        page = context.new_page()
        asked_for_sound = []
        page.on(
            "request",
            lambda request: (
                asked_for_sound.append(request.url) if settings.MEDIA_URL in request.url else None
            ),
        )
        journey = Journey(page, live_server.url, artifacts, "listen-nojs", accessibility=False)

        journey.open(lesson.url)
        control = page.locator("[data-listen]")
        expect(control.locator(".listen-label")).to_have_text(LISTEN)
        player = control.locator("audio[controls][preload=none]")
        expect(player).to_be_visible()
        expect(player).to_have_attribute("aria-label", LISTEN)
        assert (player.bounding_box() or {}).get("height", 0) >= 48
        expect(page.get_by_role("button", name=LISTEN)).to_have_count(0)
        journey.look("lesson")
        assert asked_for_sound == []
    finally:
        context.close()
