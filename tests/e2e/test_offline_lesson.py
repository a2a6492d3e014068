"""A learner loses the connection in the middle of a course: real Chromium, real service worker."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from lms.courses import services
from lms.courses.models import LessonProgress, SyncEvent
from tests.builders import lessons_of, make_course, make_learner
from tests.i18n import french

from .journey import go_offline, go_online, sign_in

# serialized_rollback puts back the home page and site that migrations created, which the
# flush after any transactional test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def assert_accessible(page: Page, step: str) -> None:
    violations = [
        violation
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not violations, f"{step}: " + ", ".join(v["id"] for v in violations)


def test_a_lesson_finished_offline_is_recorded_once_when_the_phone_is_back_online(
    live_server, context, page, artifacts
):
    course = make_course(lessons=3, quiz=False)
    first, second, never_opened = lessons_of(course)
    learner = make_learner()
    services.enrol(learner, course)
    url = live_server.url

    sign_in(context, learner, url)

    page.goto(url + first.url)
    expect(page.locator("h1")).to_have_text("Lesson 1")
    # The worker controls pages once it is active; from then on, the pages opened are kept.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.goto(url + first.url)
    page.goto(url + second.url)
    expect(page.locator("h1")).to_have_text("Lesson 2")
    expect(page.locator("[data-sync-status]")).to_contain_text(french("All progress saved."))

    go_offline(context)
    page.locator("main form[data-offline] button").click()
    expect(page.locator("main .badge.queued")).to_have_text(
        french("Saved on this phone. It will be sent when you are back online.")
    )
    waiting = french("Saved on this phone, waiting to send:") + " 1"
    expect(page.locator("[data-sync-status]")).to_contain_text(waiting)
    page.screenshot(path=str(artifacts / "offline-01-lesson-queued.png"), full_page=True)
    assert not LessonProgress.objects.exists()

    page.goto(url + first.url)
    expect(page.locator("h1")).to_have_text("Lesson 1")
    expect(page.locator("[data-sync-status]")).to_contain_text(waiting)
    assert_accessible(page, "cached lesson")
    page.goto(url + second.url)
    expect(page.locator("main .badge.queued")).to_be_visible()
    expect(page.locator("main form[data-offline]")).to_have_count(0)

    page.goto(url + never_opened.url)
    expect(page.locator("h1")).to_have_text(french("You are offline"))
    page.screenshot(path=str(artifacts / "offline-02-page-never-opened.png"), full_page=True)
    assert_accessible(page, "offline page")

    page.goto(url + first.url)
    go_online(context)
    status = page.locator("[data-sync-status]")
    expect(status).to_contain_text(french("All progress saved."))
    expect(status).to_contain_text(re.compile(r"Lesson 2: " + french("You finished this lesson.")))
    page.screenshot(path=str(artifacts / "offline-03-back-online.png"), full_page=True)
    page.reload()
    expect(page.locator("[data-sync-status]")).to_have_text(french("All progress saved."))

    assert LessonProgress.objects.filter(lesson_key=second.translation_key).count() == 1
    assert LessonProgress.objects.count() == 1
    assert SyncEvent.objects.filter(learner=learner).count() == 1
