"""A learner's phone in the tests: an Arabic course to take, a walk through the pages that looks
at each one, a session, and a connection that comes and goes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page, Route

from lms.courses.models import CoursePage
from tests.builders import (
    lessons_of,
    make_arabic_copy,
    make_catalogue,
    make_course,
    question,
    text_body,
)

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
        """Answer the quiz with exactly these choices: a failed attempt comes back with the
        learner's answers still ticked, so the boxes not named are unticked first."""
        for box in self.page.locator("section.quiz input[type=checkbox]:checked").all():
            box.uncheck()
        for label in labels:
            self.page.get_by_label(label, exact=True).check()
        self.page.locator("section.quiz form button[type=submit]").click()


def cut_the_service_worker_off(route: Route) -> None:
    # Chromium's offline mode stops the page's requests but not its service worker's, which
    # would still reach the live server: cut those too, as a lost connection would.
    if route.request.service_worker:
        route.abort("internetdisconnected")
    else:
        route.fallback()


def go_offline(context: BrowserContext) -> None:
    context.set_offline(True)
    context.route("**/*", cut_the_service_worker_off)


def go_online(context: BrowserContext) -> None:
    context.unroute("**/*", cut_the_service_worker_off)
    context.set_offline(False)


def sign_in(context: BrowserContext, learner: Any, url: str) -> None:
    # Signing in has its own tests; this one starts with a learner's session on the phone.
    client = Client()
    client.force_login(learner)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
