"""A trainer in the Wagtail admin, in real Chromium: the lesson preview on a 360px phone in Arabic
and French, and, at desktop size, the missing translations and the progress by learner. The
screenshots are kept in tests/e2e/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Browser, Page
from wagtail.users.models import UserProfile

from lms.courses.services import enrol, mark_lesson_done, submit_quiz
from lms.courses.trainers import grant_trainer, setup_trainers_group
from tests.builders import (
    lessons_of,
    make_arabic_copy,
    make_catalogue,
    make_course,
    make_learner,
    question,
    wrong_answers,
)

from .conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DESKTOP = {"width": 1280, "height": 900}


def build_site():
    catalogue = make_catalogue()
    course = make_course(catalogue, lessons=2, title="Vendre avec son téléphone")
    quiz = lessons_of(course)[-1]
    arabic_course = make_arabic_copy(course, "البيع بالهاتف", summary="ما ستتعلمه.")
    make_arabic_copy(lessons_of(course)[0], "الدرس الأول")
    arabic_quiz = make_arabic_copy(
        quiz,
        "اختبار",
        body=[
            question("من يحق له أن يسألك عن رمزك السري؟", [("لا أحد", True), ("البنك", False)]),
            question("الرمز المرسل في رسالة قصيرة سري.", [("صحيح", True), ("خطأ", False)]),
        ],
    )
    setup_trainers_group(catalogue)
    setup_trainers_group(arabic_course.get_parent())
    trainer = make_learner("trainer")
    grant_trainer(trainer)
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "en"
    profile.save()
    reading = lessons_of(course)[0]
    for first, last in [("Fatima", "Benali"), ("Youssef", "Amrani"), ("Khadija", "Idrissi")]:
        learner = make_learner(first_name=first, last_name=last)
        enrol(learner, course)
        mark_lesson_done(learner, reading)
    submit_quiz(learner, quiz, wrong_answers(quiz))
    return quiz, arabic_quiz


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}{reverse('wagtailadmin_login')}")
    page.fill("input[name=username]", "trainer")
    page.fill("input[name=password]", "pass-Word-42")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{reverse('wagtailadmin_home')}")


def test_a_trainer_previews_lessons_on_a_phone_and_reads_the_reports(live_server, browser: Browser):
    quiz, arabic_quiz = build_site()
    SCREENSHOTS.mkdir(exist_ok=True)
    base = live_server.url

    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    sign_in(page, base)
    for name, lesson in (("fr", quiz), ("ar", arabic_quiz)):
        page.goto(f"{base}{reverse('wagtailadmin_pages:view_draft', args=[lesson.pk])}")
        page.screenshot(path=str(SCREENSHOTS / f"trainer-preview-{name}.png"), full_page=True)
        assert page.locator("form fieldset.question").count() >= 2
        assert page.locator("p.error").count() == 0
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
    assert page.locator("html").get_attribute("dir") == "rtl"
    cookies = {cookie["name"] for cookie in phone.cookies()}
    assert settings.LANGUAGE_COOKIE_NAME not in cookies
    page.goto(f"{base}{reverse('wagtailadmin_home')}")
    assert page.locator("html").get_attribute("lang") == "en"
    phone.close()

    desktop = browser.new_context(viewport=DESKTOP)
    page = desktop.new_page()
    sign_in(page, base)
    for name, url in (
        ("missing-translations", reverse("lms_missing_translations")),
        ("progress-by-learner", reverse("lms_learner_report")),
        ("progress-by-course", reverse("lms_progress_report")),
    ):
        page.goto(f"{base}{url}")
        page.screenshot(path=str(SCREENSHOTS / f"trainer-{name}.png"), full_page=True)
    page.goto(f"{base}{reverse('lms_learner_report')}")
    assert page.get_by_text("Fatima Benali").count() == 1
    page.goto(
        f"{base}{reverse('wagtailadmin_pages:edit', args=[lessons_of(quiz.get_parent())[1].pk])}"
    )
    page.screenshot(path=str(SCREENSHOTS / "trainer-edit-untranslated.png"))
    assert page.get_by_text("This page exists only in French.").count() == 1
    desktop.close()
