"""Radio on, no data ("lie-fi"): the phone says it is online, but taps get no answer. A tap
that gets no answer waits on the phone and is recorded once when the connection works again,
even when it did reach the server and only the answer was lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, Route, expect

from lms.courses import services
from lms.courses.models import CoursePage, LessonProgress, QuizAttempt, SyncEvent
from tests.builders import lessons_of, make_course, make_learner
from tests.i18n import french

from .journey import make_arabic_course, sign_in

# serialized_rollback puts back the home page and site that migrations created, which the
# flush after any transactional test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).parent / "screenshots"
QUEUED = "Saved on this phone. It will be sent when you are back online."
ALL_SAVED = "All progress saved."


def words(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def course_in(language: str, quiz: bool = False) -> CoursePage:
    if language == "ar":
        return make_arabic_course(lessons=2, quiz=quiz)
    return make_course(lessons=2, quiz=quiz)


def no_data(route: Route) -> None:
    route.abort("internetdisconnected")


def answer_lost(route: Route) -> None:
    # The post reaches the server, which records the tap; its answer never reaches the phone.
    route.fetch()
    route.abort("connectionreset")


def enrolled(course: CoursePage, context: Any, url: str) -> Any:
    learner = make_learner()
    services.enrol(learner, course)
    sign_in(context, learner, url)
    return learner


def assert_still_on_the_lesson(page: Page, title: str) -> None:
    expect(page.locator("h1")).to_have_text(title)
    assert page.evaluate("navigator.onLine")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_done_tap_that_gets_no_answer_waits_on_the_phone_and_is_recorded_once_later(
    live_server, context, page, language
):
    course = course_in(language)
    first = lessons_of(course)[0]
    learner = enrolled(course, context, live_server.url)
    page.goto(live_server.url + first.url)
    title = page.locator("h1").inner_text()

    page.route("**/lessons/*/done/", no_data)
    page.locator("main form[data-offline] button").click()

    expect(page.locator("main .badge.queued")).to_have_text(words(language, QUEUED))
    assert_still_on_the_lesson(page, title)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"lie-fi-done-{language}.png"), full_page=True)
    assert not LessonProgress.objects.exists()

    page.unroute("**/lessons/*/done/", no_data)
    page.reload()
    expect(page.locator("[data-sync-status]")).to_contain_text(words(language, ALL_SAVED))
    expect(page.locator("main .badge.queued")).to_have_count(0)

    assert LessonProgress.objects.filter(enrolment__learner=learner).count() == 1
    assert SyncEvent.objects.filter(learner=learner).count() == 1


def test_a_quiz_tap_whose_answer_was_lost_makes_one_attempt_when_the_queue_is_sent(
    live_server, context, page
):
    course = make_course(lessons=1, quiz=True)
    quiz = lessons_of(course)[-1]
    learner = enrolled(course, context, live_server.url)
    page.goto(live_server.url + quiz.url)

    page.route("**/lessons/*/quiz/", answer_lost)
    for label in ["The bank", "False", "A promise"]:
        page.get_by_label(label, exact=True).check()
    page.locator("section.quiz form button[type=submit]").click()

    expect(page.locator("main .badge.queued")).to_have_text(french(QUEUED))
    assert_still_on_the_lesson(page, quiz.title)
    assert QuizAttempt.objects.filter(enrolment__learner=learner).count() == 1

    page.unroute("**/lessons/*/quiz/", answer_lost)
    page.reload()
    status = page.locator("[data-sync-status]")
    expect(status).to_contain_text(french(ALL_SAVED))
    expect(status).to_contain_text(french("Not passed yet"))

    assert QuizAttempt.objects.filter(enrolment__learner=learner).count() == 1
    assert SyncEvent.objects.filter(learner=learner).count() == 1


def test_a_done_tap_on_a_page_kept_with_an_old_token_is_recorded_and_opens_the_next_lesson(
    live_server, context, page
):
    course = make_course(lessons=2, quiz=False)
    first, second = lessons_of(course)
    learner = enrolled(course, context, live_server.url)
    page.goto(live_server.url + first.url)
    # As on a page the service worker kept from before the learner signed in again.
    page.evaluate("document.querySelector('[name=csrfmiddlewaretoken]').value = 'x'.repeat(64)")

    page.locator("main form[data-offline] button").click()

    expect(page.locator("h1")).to_have_text(second.title)
    assert LessonProgress.objects.filter(enrolment__learner=learner).count() == 1
    assert SyncEvent.objects.filter(learner=learner).count() == 1


def test_an_unfinished_quiz_sent_online_shows_the_server_page_that_asks_for_every_answer(
    live_server, context, page
):
    course = make_course(lessons=1, quiz=True)
    quiz = lessons_of(course)[-1]
    learner = enrolled(course, context, live_server.url)
    page.goto(live_server.url + quiz.url)

    page.get_by_label("The bank", exact=True).check()
    page.locator("section.quiz form button[type=submit]").click()

    expect(page.locator("section.quiz [role=alert]")).to_have_text(
        french("Answer every question before you submit.")
    )
    expect(page.locator("fieldset.missing")).to_have_count(2)
    assert not QuizAttempt.objects.filter(enrolment__learner=learner).exists()
    assert not SyncEvent.objects.exists()


def test_a_lesson_reopened_while_the_network_hangs_comes_from_the_phone_and_its_tap_waits(
    live_server, context, page
):
    course = make_course(lessons=2, quiz=False)
    first = lessons_of(course)[0]
    learner = enrolled(course, context, live_server.url)
    page.goto(live_server.url + first.url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.goto(live_server.url + first.url)  # now kept by the service worker
    unanswered: list[Route] = []

    def hang(route: Route) -> None:
        unanswered.append(route)

    # The lesson page and its "done" address: asked, never answered.
    context.route(lambda address: "/lesson" in address, hang)

    page.goto(live_server.url + first.url, timeout=20_000)
    expect(page.locator("h1")).to_have_text(first.title)
    page.locator("main form[data-offline] button").click()

    expect(page.locator("main .badge.queued")).to_have_text(french(QUEUED), timeout=20_000)
    assert unanswered, "the network was never asked"
    assert not LessonProgress.objects.filter(enrolment__learner=learner).exists()


def test_an_online_done_tap_on_the_last_lesson_shows_the_course_completed_message(
    live_server, context, page
):
    course = make_course(lessons=1, quiz=False)
    enrolled(course, context, live_server.url)
    page.goto(live_server.url + lessons_of(course)[0].url)

    page.locator("main form[data-offline] button").click()

    page.wait_for_url(live_server.url + course.url)
    expect(page.locator(".messages")).to_contain_text(
        french("Well done! You have completed this course.")
    )
    assert LessonProgress.objects.count() == 1
