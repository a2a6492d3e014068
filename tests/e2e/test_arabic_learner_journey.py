"""An Arabic-reading artisan takes a whole course on a 360px phone, in real Chromium."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from lms.courses.models import CoursePage
from tests.builders import (
    lessons_of,
    make_arabic_copy,
    make_catalogue,
    make_course,
    make_learner,
    question,
    text_body,
)

# serialized_rollback puts back the home page and site that migrations created, which the
# flush after any transactional test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_WIDTH = 360
BLOCKING_IMPACTS = {"serious", "critical"}

COURSE_TITLE = "البيع بالهاتف"
LESSON_TITLES = ["الدرس الأول: الصور", "الدرس الثاني: الأسعار", "الدرس الثالث: الزبائن"]
QUIZ_TITLE = "اختبار قصير"
NOBODY, THE_BANK = "لا أحد", "البنك"
TRUE, FALSE = "صحيح", "خطأ"
CARD, WALLET, PROMISE = "البطاقة", "المحفظة الإلكترونية", "وعد"


def arabic_quiz_body() -> list[dict[str, Any]]:
    """The questions of ``builders.quiz_body``, in Arabic."""
    return [
        question("من يمكنه أن يطلب رقمك السري؟", [(NOBODY, True), (THE_BANK, False)]),
        question("الرمز المرسل في رسالة قصيرة سري.", [(TRUE, True), (FALSE, False)], "true_false"),
        question(
            "ما طرق الدفع التي يمكنك قبولها؟ (اختر كل ما ينطبق)",
            [(CARD, True), (WALLET, True), (PROMISE, False)],
            "multiple",
        ),
    ]


def make_arabic_course(lessons: int, quiz: bool) -> CoursePage:
    """A French course with its Arabic translation; returns the Arabic course page."""
    catalogue = make_catalogue()
    course = make_course(catalogue, lessons=lessons, quiz=quiz, max_quiz_attempts=5)
    make_arabic_copy(catalogue, "الدورات")
    arabic_course = make_arabic_copy(course, COURSE_TITLE, summary="كيف تبيع منتجاتك بهاتفك.")
    titles = LESSON_TITLES[:lessons] + ([QUIZ_TITLE] if quiz else [])
    for lesson, title in zip(lessons_of(course), titles, strict=True):
        if lesson.is_quiz:
            make_arabic_copy(lesson, title, body=arabic_quiz_body())
        else:
            make_arabic_copy(lesson, title, body=text_body("أمسك الهاتف بيديك الاثنتين."))
    return arabic_course


@dataclass
class Journey:
    """Walks the site like a learner and looks at every page it lands on."""

    page: Page
    base_url: str
    artifacts: Path
    name: str
    accessibility: bool = True
    steps: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def look(self, step: str) -> None:
        """Screenshot the page, then fail on sideways scrolling or serious accessibility faults."""
        self.steps.append(step)
        shot = self.artifacts / f"{self.name}-{len(self.steps):02d}-{step}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        if not self.accessibility:
            return
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"{step}: the page is {width}px wide, it scrolls sideways"
        violations = [
            violation
            for violation in Axe().run(self.page).response["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]
        assert not violations, f"{step}: axe found\n" + "\n".join(
            f"- {v['impact']} {v['id']}: {v['help']} at "
            + ", ".join(str(node["target"]) + " " + node["html"][:120] for node in v["nodes"])
            for v in violations
        )

    def sign_in(self, username: str) -> None:
        # Learners sign in by phone; this demo account uses the password page linked from it.
        self.page.locator("main a[href*='/sign-in/password/']").click()
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill("pass-Word-42")
        self.page.locator("main form button[type=submit]").click()

    def answer(self, *labels: str) -> None:
        for label in labels:
            self.page.get_by_label(label, exact=True).check()
        self.page.locator("section.quiz form button[type=submit]").click()


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
