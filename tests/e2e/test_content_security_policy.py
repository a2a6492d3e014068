"""The site's own pages break none of its Content-Security-Policy: Chromium enforces it here
(the other browser tests bypass it, because Playwright's waits evaluate strings)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lms.courses import services
from tests.builders import lessons_of, make_course, make_learner

from .conftest import new_phone_context
from .journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_learner_pages_run_their_scripts_styles_and_service_worker_under_the_policy(
    live_server, browser
):
    course = make_course(lessons=2, quiz=True)
    first, *_ = lessons_of(course)
    learner = make_learner()
    services.enrol(learner, course)
    context = new_phone_context(browser, bypass_csp=False)
    refused: list[str] = []
    try:
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto(live_server.url + "/fr/learn/sign-in/")
        expect(page.locator("h1")).to_be_visible()
        sign_in(context, learner, live_server.url)
        for url in ("/fr/learn/", first.url, course.url):
            page.goto(live_server.url + url)
            expect(page.locator("h1")).to_be_visible()
        # The service worker registers from the site's own script, under the policy.
        registered = page.evaluate_handle("navigator.serviceWorker.ready")
        assert registered is not None
        stylesheet_applied = page.locator("body").evaluate(
            "body => getComputedStyle(body).fontFamily"
        )
    finally:
        context.close()

    assert refused == []
    assert stylesheet_applied not in ("", "Times New Roman")
