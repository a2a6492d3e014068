"""A learner on a 360px phone, in Arabic and in French, sees the road to selling and fixes her
own mistakes: the required courses on "My learning", on a required course's page and on the
onboarding page; a failed quiz that keeps her answers; the application form that keeps her
refused ID, phone and RIB, and refuses a photo too big before sending it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from lms.courses import services
from onboarding import applications
from tests.builders import lessons_of, make_course, make_learner
from tests.i18n import french
from tests.onboarding.onboarding_builders import make_craft, make_rule, valid_rib

from .journey import CARD, FALSE, NOBODY, Journey, make_arabic_course, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("kyc"),
]

WORDS = {
    "ar": {"answers": (NOBODY, FALSE, CARD), "not started": "لم تبدأ بعد", "in progress": None},
    "fr": {"answers": ("Nobody", "False", "Card"), "not started": None, "in progress": None},
}


def a_photo_too_big(folder: Path) -> Path:
    photo = folder / "big.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024))
    return photo


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_road_to_selling_and_the_learners_own_answers_on_a_small_phone(
    live_server, context, page, artifacts, tmp_path, language
):
    if language == "ar":
        course = make_arabic_course(lessons=1, quiz=True)
    else:
        course = make_course(lessons=1, quiz=True, max_quiz_attempts=5)
    other = make_course(lessons=1, quiz=False, title="Photographier ses produits")
    make_rule(course, other)
    learner = make_learner()
    services.enrol(learner, course)
    sign_in(context, learner, live_server.url)
    journey = Journey(page, live_server.url, artifacts, f"road-{language}")

    # "My learning" names the two courses that open a seller account, and the next step.
    journey.open(f"/{language}/learn/")
    panel = page.locator("section.road-panel")
    expect(panel.locator("ol.road li")).to_have_count(2)
    expect(panel.locator("ol.road li.started a")).to_have_text(course.title)
    expect(panel.locator("ol.road li.not_started a")).to_have_text(other.title)
    expect(panel.locator("progress")).to_have_attribute("value", "0")
    expect(panel.locator("a.button")).to_contain_text(course.title)
    journey.look("my-learning")

    # The required course's own page says so, and marks it in the list.
    panel.locator("ol.road li.started a").click()
    expect(page.locator("h1")).to_have_text(course.title)
    expect(page.locator("section.road-panel li[aria-current=page] a")).to_have_text(course.title)
    journey.look("required-course")

    # The onboarding page exists before any case, and explains the way in.
    journey.open(f"/{language}/onboarding/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main ol.road li")).to_have_count(2)
    journey.look("onboarding-no-case")

    # A failed quiz comes back with the answers still ticked and the wrong ones marked.
    quiz = lessons_of(course)[-1]
    journey.open(quiz.url)
    journey.answer(*WORDS[language]["answers"])
    expect(page.locator("#result.failed")).to_be_visible()
    for label in WORDS[language]["answers"]:
        expect(page.get_by_label(label, exact=True)).to_be_checked()
    expect(page.locator("fieldset.question.wrong")).to_have_count(2)
    journey.look("failed-quiz")

    # The application form: a photo too big is refused before it is sent...
    case, _created = applications.open_case(learner, reason="test")
    craft = make_craft()
    journey.open(f"/{language}/onboarding/cases/{case.pk}/application/")
    expect(page.locator("#id_photo_hint")).to_contain_text("10")
    page.locator("#id_photo").set_input_files(str(a_photo_too_big(tmp_path)))
    expect(page.locator("#id_photo_error")).to_be_visible()
    assert page.evaluate("document.getElementById('id_photo').files.length") == 0
    journey.look("kyc-photo-too-big")

    # ...and a refused ID, phone and RIB stay in their inputs for her to correct.
    wrong_rib = valid_rib()[:22] + f"{int(valid_rib()[22:]) % 97 + 1:02d}"
    page.locator("#id_cin").fill("ABC12")
    page.locator("#id_phone").fill("06 12")
    page.locator("#id_region").select_option("Fès-Meknès")
    page.locator("#id_craft").select_option(str(craft.pk))
    page.locator("#id_shop_name").fill("Atelier")
    page.locator("#id_payout_method_1").check()
    page.locator("#id_rib").fill(wrong_rib)
    page.locator("#id_consent").check()
    page.locator("button[value=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_cin")).to_have_value("ABC12")
    expect(page.locator("#id_phone")).to_have_value("06 12")
    expect(page.locator("#id_rib")).to_have_value(wrong_rib)
    if language == "fr":
        expect(page.locator("#id_rib_error")).to_have_text(
            french(
                "The key of this RIB (its last 2 digits) does not match the 22 digits before "
                "it: one digit is wrong. Check each digit on your bank papers."
            )
        )
    # The phone example reads left to right on one line, in its own isolated run.
    example = page.locator("#id_phone_hint bdi[dir=ltr]")
    expect(example).to_have_css("white-space", "nowrap")
    journey.look("kyc-errors")
    # Each line of the error summary starts inside the box: nothing is clipped.
    box = page.locator("#error-summary").bounding_box()
    for line in page.locator("#error-summary li").all():
        line_box = line.bounding_box()
        assert box is not None and line_box is not None
        assert (
            box["x"] <= line_box["x"]
            and line_box["x"] + line_box["width"] <= box["x"] + box["width"]
        )
