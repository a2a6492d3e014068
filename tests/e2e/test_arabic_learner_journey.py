"""An Arabic-reading artisan takes a whole course on a 360px phone, in real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.builders import make_learner

from .journey import (
    CARD,
    COURSE_TITLE,
    FALSE,
    LESSON_TITLES,
    NOBODY,
    PROMISE,
    QUIZ_TITLE,
    THE_BANK,
    TRUE,
    WALLET,
    Journey,
    make_arabic_course,
)

# serialized_rollback puts back the home page and site that migrations created, which the
# flush after any transactional test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_arabic_learner_takes_a_course_from_the_catalogue_to_my_learning_on_a_small_phone(
    live_server, page, artifacts
):
    course = make_arabic_course(lessons=3, quiz=True)
    learner = make_learner()
    journey = Journey(page, live_server.url, artifacts, "ar")

    journey.open(course.get_parent().get_url())
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    journey.look("catalogue")

    page.get_by_role("link", name=COURSE_TITLE).click()
    expect(page.locator("h1")).to_have_text(COURSE_TITLE)
    journey.look("course")

    page.locator("main a.button[href*='/ar/learn/sign-in/']").click()
    expect(page).to_have_url(re.compile(r"/ar/learn/sign-in/\?next="))
    journey.look("sign-in")
    journey.sign_in(learner.username)
    expect(page).to_have_url(live_server.url + course.get_url())

    journey.look("course-signed-in")
    page.locator(f"form[action='/ar/learn/courses/{course.pk}/enrol/'] button").click()
    for title in LESSON_TITLES:
        expect(page.locator("h1")).to_have_text(title)
        journey.look(f"lesson-{LESSON_TITLES.index(title) + 1}")
        page.locator("main form[action$='/done/'] button").click()

    expect(page.locator("h1")).to_have_text(QUIZ_TITLE)
    expect(page.locator("section.quiz > p").first).to_contain_text("5")
    journey.look("quiz")
    journey.answer(THE_BANK, FALSE, PROMISE)
    expect(page.locator("#result.failed")).to_be_visible()
    expect(page.locator("section.quiz > p").first).to_contain_text("4")
    journey.look("quiz-failed")

    journey.answer(NOBODY, TRUE, CARD, WALLET)
    expect(page.locator("#result.passed")).to_be_visible()
    expect(page.locator("section.quiz form")).to_have_count(0)
    journey.look("quiz-passed")

    page.locator("nav.crumbs a").click()
    expect(page.locator("h1")).to_have_text(COURSE_TITLE)
    expect(page.locator("section.progress progress")).to_have_attribute("value", "100")
    expect(page.locator("section.progress .badge.done")).to_be_visible()
    expect(page.locator("ol.lessons li.done")).to_have_count(4)
    journey.look("course-completed")

    page.locator("header a[href='/ar/learn/']").click()
    completed = page.locator("section[aria-labelledby=completed] .card-title")
    expect(completed).to_have_text([COURSE_TITLE])
    expect(page.locator("section[aria-labelledby=in-progress] .card")).to_have_count(0)
    journey.look("my-learning")


def test_a_learner_without_javascript_finishes_a_lesson_with_plain_forms(
    live_server, page_without_javascript, artifacts
):
    page = page_without_javascript
    course = make_arabic_course(lessons=2, quiz=False)
    learner = make_learner()
    # axe-core and scrollWidth need scripts, which this phone does not run.
    journey = Journey(page, live_server.url, artifacts, "ar-nojs", accessibility=False)

    journey.open(course.get_url())
    page.locator("main a.button[href*='/ar/learn/sign-in/']").click()
    journey.look("sign-in")
    journey.sign_in(learner.username)
    page.locator(f"form[action='/ar/learn/courses/{course.pk}/enrol/'] button").click()
    expect(page.locator("h1")).to_have_text(LESSON_TITLES[0])
    journey.look("lesson-1")

    page.locator("main form[action$='/done/'] button").click()
    expect(page.locator("h1")).to_have_text(LESSON_TITLES[1])
    page.locator("nav.crumbs a").click()
    expect(page.locator("ol.lessons li.done")).to_have_text([re.compile(LESSON_TITLES[0])])
    expect(page.locator("section.progress progress")).to_have_attribute("value", "50")
    journey.look("course")
