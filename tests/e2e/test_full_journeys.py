"""A brand-new artisan goes from a phone number to a live shop, on a 360px phone, in Arabic and
in French: sign in by SMS code, take a course (one lesson finished offline), fail then pass
the quiz, download the certificate the worker renders, apply to sell, and find the shop on
the marketplace. Real Chromium, a real Celery worker, the payments sandbox as a real server,
and whatever database and broker the run is configured with."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from lms.certificates.models import Certificate
from lms.courses.models import CoursePage, Enrolment, LessonProgress, SyncEvent
from onboarding.marketplace.models import MarketplaceIndexPage, SellerProfilePage
from onboarding.models import OnboardingCase
from tests.accounts.phone_sign_in import last_code
from tests.builders import lessons_of
from tests.onboarding.onboarding_builders import make_craft, make_rule, photo_upload, valid_rib
from tests.onboarding.sandbox_process import sandbox_for_worker
from tests.worker import celery_worker

from .full_journey_scripts import SCRIPTS, Script
from .journey import Journey, go_offline, go_online
from .waiting import reload_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("kyc", "sms_outbox"),
]

PHONE_NUMBER = "06 12 34 56 78"


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_new_artisan_goes_from_a_phone_number_to_a_live_shop_on_a_small_phone(
    language, live_server, context, page, artifacts, settings, monkeypatch, tmp_path
):
    script = SCRIPTS[language]
    # What the operator sets up in the admin beforehand.
    course = script.make_course()
    lessons = lessons_of(course)
    make_rule(course)
    craft = make_craft()
    photo = tmp_path / "atelier.png"
    photo.write_bytes(photo_upload().read())

    url = live_server.url
    journey = Journey(page, url, artifacts, f"full-{language}")
    with sandbox_for_worker(url, settings, monkeypatch, timeout=2) as sandbox:
        # Started first: it is ready long before the course is finished.
        with celery_worker(name=f"full-journey-{language}"):
            learner = take_the_course(journey, context, script, course, lessons)
            download_the_certificate(journey, script, learner, tmp_path)
            case = apply_to_sell(journey, script, learner, craft, photo)
        stats = sandbox.stats()

    assert stats["accounts_by_case"] == {str(case.pk): 1}
    assert SellerProfilePage.objects.get(case=case).live
    find_the_shop_on_the_marketplace(journey, script, case)
    assert journey.steps == [
        "catalogue",
        "course",
        "phone-number",
        "sms-code",
        "your-name",
        "course-signed-in",
        "lesson-1",
        "lesson-2-queued-offline",
        "lesson-2-synced",
        "lesson-3",
        "quiz",
        "quiz-failed",
        "quiz-passed",
        "course-completed",
        "certificate-ready",
        "kyc-form",
        "kyc-sent",
        "shop-live",
        "marketplace",
        "seller-profile",
    ]


def take_the_course(
    journey: Journey, context: Any, script: Script, course: CoursePage, lessons: list[Any]
) -> Any:
    """Steps 1 to 6: from the catalogue to a passed quiz; returns the learner signed up."""
    page, url, lang = journey.page, journey.base_url, script.language
    journey.open(course.get_parent().get_url())
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    journey.look("catalogue")

    page.get_by_role("link", name=script.course_title).click()
    expect(page.locator("h1")).to_have_text(script.course_title)
    journey.look("course")

    page.locator(f"main a.button[href*='/{lang}/learn/sign-in/']").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/learn/sign-in/\?next="))
    journey.look("phone-number")
    page.locator("#id_phone").fill(PHONE_NUMBER)
    page.locator("main form.sign-in button[type=submit]").click()
    expect(page.locator("main bdi")).to_have_text(PHONE_NUMBER)
    page.locator("#id_code").fill(last_code())
    journey.look("sms-code")
    page.locator("main form.sign-in button[type=submit]").click()
    # A new account has only a phone number: the learner gives the name certificates print.
    expect(page).to_have_url(re.compile(rf"/{lang}/learn/sign-in/name/\?next="))
    journey.look("your-name")
    page.locator("#id_first_name").fill(script.first_name)
    page.locator("#id_last_name").fill(script.last_name)
    page.locator("main form.sign-in button[type=submit]").click()
    expect(page).to_have_url(url + course.get_url())
    expect(page.locator(f"header form[action='/{lang}/learn/sign-out/']")).to_be_visible()
    journey.look("course-signed-in")

    page.locator(f"form[action='/{lang}/learn/courses/{course.pk}/enrol/'] button").click()
    first, second, third, quiz = lessons
    expect(page.locator("h1")).to_have_text(script.lesson_titles[0])
    learner = Enrolment.objects.get(course_key=course.translation_key).learner
    # The phone sign-in made the account: a new learner, with no password.
    assert not learner.has_usable_password()
    assert learner.get_full_name() == f"{script.first_name} {script.last_name}"
    # The service worker keeps the pages opened once it controls them.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.reload()
    journey.look("lesson-1")
    page.locator("main form[action$='/done/'] button").click()

    expect(page.locator("h1")).to_have_text(script.lesson_titles[1])
    status = page.locator("[data-sync-status]")
    saved = status.get_attribute("data-saved")
    expect(status).to_contain_text(saved)
    go_offline(context)
    page.locator("main form[data-offline] button").click()
    expect(page.locator("main .badge.queued")).to_have_text(status.get_attribute("data-queued"))
    expect(status).to_contain_text(status.get_attribute("data-waiting") + " 1")
    journey.look("lesson-2-queued-offline")
    assert not LessonProgress.objects.filter(lesson_key=second.translation_key).exists()

    go_online(context)
    expect(status).to_contain_text(saved)
    expect(status).to_contain_text(script.lesson_titles[1] + ": ")
    # The lesson's own note no longer says it is waiting.
    expect(page.locator("main .badge.queued")).to_have_count(0)
    expect(page.locator("main .badge.done")).to_be_visible()
    journey.look("lesson-2-synced")
    page.reload()
    expect(page.locator("main .badge.done")).to_be_visible()
    assert (
        LessonProgress.objects.filter(
            enrolment__learner=learner, lesson_key=second.translation_key
        ).count()
        == 1
    )
    # Online taps are recorded under their own ids too; the synced one is recorded once.
    assert SyncEvent.objects.filter(learner=learner, payload__lesson_id=second.pk).count() == 1

    page.locator("nav.pager a[rel=next]").click()
    expect(page.locator("h1")).to_have_text(script.lesson_titles[2])
    journey.look("lesson-3")
    page.locator("main form[action$='/done/'] button").click()

    expect(page.locator("h1")).to_have_text(script.quiz_title)
    journey.look("quiz")
    journey.answer(*script.wrong_answers)
    expect(page.locator("#result.failed")).to_be_visible()
    journey.look("quiz-failed")
    journey.answer(*script.right_answers)
    expect(page.locator("#result.passed")).to_be_visible()
    expect(page.locator("section.quiz form")).to_have_count(0)
    journey.look("quiz-passed")

    page.locator("nav.crumbs a").click()
    expect(page.locator("h1")).to_have_text(script.course_title)
    expect(page.locator("section.progress .badge.done")).to_be_visible()
    expect(page.locator("ol.lessons li.done")).to_have_count(len(lessons))
    journey.look("course-completed")
    # Each lesson recorded once, the quiz and the one finished offline included.
    recorded = LessonProgress.objects.filter(enrolment__learner=learner)
    assert sorted(recorded.values_list("lesson_key", flat=True)) == sorted(
        lesson.translation_key for lesson in lessons
    )
    return learner


def download_the_certificate(
    journey: Journey, script: Script, learner: Any, tmp_path: Path
) -> None:
    """Step 7: the worker renders the PDF; "My learning" offers it once it is ready."""
    page, lang = journey.page, script.language
    page.locator(f"header a[href='/{lang}/learn/']").click()
    expect(page.locator("section[aria-labelledby=completed] .card-title")).to_have_text(
        [script.course_title]
    )
    download_link = "section[aria-labelledby=certificates] a[href$='/pdf/']"
    reload_until(page, download_link, "the worker to render the certificate")
    journey.look("certificate-ready")

    with page.expect_download() as download_info:
        page.locator(download_link).click()
    pdf = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    certificate = Certificate.objects.get(learner=learner)
    assert certificate.pdf_rendered_at is not None
    text = pdf_text(pdf)
    assert any(title in text for title in certificate.course_titles.values()), text
    assert certificate.learner_name == f"{script.first_name} {script.last_name}"
    assert certificate.learner_name in text, text


def apply_to_sell(journey: Journey, script: Script, learner: Any, craft: Any, photo: Path) -> Any:
    """Step 8: the application form, filled and sent; the worker and sandbox open the account."""
    case = send_the_application(journey, script, learner, craft, photo)
    page = journey.page
    reload_until(page, ".onb-next.shop", "the seller account to open")
    expect(page.locator(".onb-step.done")).to_have_count(5)
    journey.look("shop-live")
    case.refresh_from_db()
    assert case.state == "active"
    return case


def send_the_application(
    journey: Journey, script: Script, learner: Any, craft: Any, photo: Path, cin: str = "ab123456"
) -> Any:
    """From "My learning" to the application sent; ``cin`` chooses the sandbox's answer."""
    page, url, lang = journey.page, journey.base_url, script.language
    case = OnboardingCase.objects.get(learner=learner)
    section = page.locator("section.onb-section")
    expect(section.locator("li[aria-current=step]")).to_have_count(1)
    section.locator("a.button").click()
    expect(page).to_have_url(f"{url}/{lang}/onboarding/cases/{case.pk}/application/")
    journey.look("kyc-form")

    page.locator("#id_cin").fill(cin)
    page.locator("#id_phone").fill("0612345678")
    page.locator("#id_region").select_option("Fès-Meknès")
    page.locator("#id_craft").select_option(str(craft.pk))
    page.locator("#id_shop_name").fill(script.shop_name)
    page.locator("#id_photo").set_input_files(str(photo))
    page.locator("#id_payout_method_1").check()
    page.locator("#id_rib").fill(valid_rib())
    page.locator("#id_consent").check()
    page.locator("button[value=submit]").click()
    expect(page).to_have_url(f"{url}/{lang}/onboarding/cases/{case.pk}/?done=sent")
    expect(page.locator(".onb-done")).to_be_visible()
    journey.look("kyc-sent")
    return case


def find_the_shop_on_the_marketplace(journey: Journey, script: Script, case: Any) -> None:
    """Step 9: the public marketplace lists the shop; its page shows the verified training."""
    page = journey.page
    lang = script.language
    profile = SellerProfilePage.objects.get(case=case)
    assert profile.live
    # The status page links to the shop, under the marketplace of the learner's language.
    shop_link = page.locator(".onb-next.shop a.button")
    expect(shop_link).to_have_attribute("href", f"/{lang}/marketplace/{profile.slug}/")
    marketplace = MarketplaceIndexPage.objects.get(locale__language_code=lang)
    journey.open(marketplace.url)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_text(marketplace.title)
    shop = page.locator("ul.sellers a.card-link", has_text=script.shop_name)
    expect(shop).to_have_count(1)
    journey.look("marketplace")

    shop.click()
    expect(page).to_have_url(journey.base_url + quote(f"/{lang}/marketplace/{profile.slug}/"))
    expect(page.locator("h1")).to_have_text(script.shop_name)
    training = page.locator("section[aria-labelledby=certificates] li")
    expect(training).to_have_count(1)
    certificate = Certificate.objects.get(learner=case.learner)
    expect(training).to_contain_text(certificate.course_title(lang))
    expect(training.locator("a[href*='/certificates/verify/']")).to_have_count(1)
    journey.look("seller-profile")
