"""Every learner page, in Arabic, French and English, on a 360px phone: axe-core finds no serious
or critical fault, nothing scrolls sideways, and controls are big enough for a thumb.

axe-core checks colour contrast (WCAG AA) and target size (WCAG 2.2: 24px, or spacing); the
thumb check here asks more of the controls a learner types into or presses: buttons, fields,
button-like links and the labels of choices must be at least 44px high and wide (Apple's and
Android's guidance, WCAG's AAA size). Links inside running text are left to axe: they are words
in a sentence, not targets of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from lms.certificates.issuing import issue_certificate, revoke
from lms.certificates.models import Certificate
from lms.courses import services
from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import MarketplaceIndexPage, SellerProfilePage
from tests.builders import complete, make_course, make_learner
from tests.onboarding.marketplace_builders import applied_case, open_account
from tests.onboarding.onboarding_builders import make_case

from .conftest import new_phone_context
from .content import LANGUAGES, WORDS, Course, make_trilingual_course
from .journey import Journey, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THUMB = 44
# Controls a thumb presses, and their size as a learner meets it: a radio button or a checkbox
# is pressed through its label, so the label is what must be big enough.
THUMB_TARGETS_SCRIPT = """(minimum) => {
  const controls = document.querySelectorAll(
    "main :is(button, input, select, textarea, summary, a.button), " +
    "header :is(button, input, select, textarea, summary, a.button)");
  const small = [];
  for (const control of controls) {
    if (control.type === "hidden") continue;
    const style = getComputedStyle(control);
    if (style.display === "inline" && control.closest("p")) continue; // a word in a sentence
    let target = control;
    if (control.type === "radio" || control.type === "checkbox") {
      target = control.closest("label") || document.querySelector(`label[for="${control.id}"]`);
      if (!target) { small.push(`${control.outerHTML.slice(0, 100)} has no label to press`); continue; }
    }
    const box = target.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue; // not shown
    if (box.width < minimum || box.height < minimum) {
      small.push(`${Math.round(box.width)}x${Math.round(box.height)}px ` +
        target.outerHTML.replace(/\\s+/g, " ").slice(0, 120));
    }
  }
  return small;
}"""


@dataclass
class Site:
    """Everything the learner pages show, built once for the three languages."""

    courses: dict[str, Course]
    learner: Any
    case: Any
    certificate: Certificate
    revoked: Certificate
    marketplace: dict[str, str]
    seller: dict[str, str]


def certify(learner: Any, course: Any) -> Certificate:
    """A certificate for ``learner``, issued as the after-commit receiver issues it."""
    completion = complete(learner, course)
    existing = Certificate.objects.filter(completion=completion).first()
    return existing or issue_certificate(completion)


def build_site() -> Site:
    courses = make_trilingual_course()
    learner = make_learner(first_name="Khadija", last_name="Alaoui")
    services.enrol(learner, courses["fr"].course)
    services.mark_lesson_done(learner, courses["fr"].lessons[0])
    case = make_case(learner=learner, state="eligible")

    certified = make_learner(first_name="Youssef", last_name="Amrani")
    certificate = certify(certified, make_course(title="Photographier ses produits", quiz=False))
    revoked_certificate = certify(make_learner(), make_course(title="Fixer ses prix", quiz=False))
    revoke(revoked_certificate, by=None, reason="issued in error")

    seller_case = open_account(applied_case(learner=certified, shop_name="Atelier Zellige"))
    # The provider's QR identifiers: the seller page shows her code.
    seller_case.merchant_qr = {"gui": "ma.maalem.sandbox", "merchant_id": "000000000000042"}
    seller_case.save(update_fields=["merchant_qr"])
    LocalMarketplaceBackend(payment_provider="Sandbox Pay").create_or_update_seller(seller_case)
    seller = SellerProfilePage.objects.get(case=seller_case)
    marketplace = seller.get_parent().specific
    # One page per seller, in the default language's tree; the marketplace of every language
    # with a home page lists and serves it.
    marketplaces = {
        language: MarketplaceIndexPage.objects.get(
            translation_key=marketplace.translation_key, locale__language_code=language
        ).url
        for language in LANGUAGES
    }
    sellers = {language: f"{url}{seller.slug}/" for language, url in marketplaces.items()}
    return Site(courses, learner, case, certificate, revoked_certificate, marketplaces, sellers)


@dataclass
class Audit(Journey):
    """A journey that also checks thumb-sized targets, and collects faults instead of stopping."""

    faults: list[str] | None = None

    def look(self, step: str) -> None:
        self.faults = self.faults if self.faults is not None else []
        expect(self.page.locator("h1").first).to_be_visible()
        try:
            super().look(step)
        except AssertionError as fault:
            self.faults.append(f"{self.name} {fault}")
        small = self.page.evaluate(THUMB_TARGETS_SCRIPT, THUMB)
        if small:
            self.faults.append(
                f"{self.name} {step}: smaller than {THUMB}x{THUMB}px for a thumb:\n"
                + "\n".join(f"- {target}" for target in small)
            )
        # WCAG 2.2 target size (24px, or enough space around), whether or not axe runs it
        # by default.
        result = Axe().run(
            self.page,
            options={"runOnly": {"type": "rule", "values": ["target-size"]}},
        )
        for violation in result.response["violations"]:
            nodes = ", ".join(node["html"][:100] for node in violation["nodes"])
            self.faults.append(f"{self.name} {step}: target-size: {nodes}")


def visit_every_page(audit: Audit, page: Page, site: Site, language: str) -> None:
    course = site.courses[language]
    words = WORDS[language]

    for step, path in [
        ("home", f"/{language}/"),
        ("catalogue", course.catalogue.url),
        ("course", course.course.url),
        ("password-sign-in", f"/{language}/learn/sign-in/password/"),
        ("offline", f"/{language}/learn/offline/"),
        ("verify-valid", f"/{language}/certificates/verify/{site.certificate.display_code}/"),
        ("verify-revoked", f"/{language}/certificates/verify/{site.revoked.display_code}/"),
        ("verify-form", f"/{language}/certificates/verify/"),
        ("marketplace", site.marketplace[language]),
        ("seller", site.seller[language]),
        ("phone-sign-in", f"/{language}/learn/sign-in/"),
    ]:
        audit.open(path)
        audit.look(step)

    page.locator("#id_phone").fill("0612345678")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#id_code")).to_be_visible()
    audit.look("code")

    sign_in(page.context, site.learner, audit.base_url)
    for step, path in [
        ("course-signed-in", course.course.url),
        ("lesson", course.lessons[1].url),
        ("my-learning", f"/{language}/learn/"),
        ("your-name", f"/{language}/learn/sign-in/name/"),
        ("kyc-form", f"/{language}/onboarding/cases/{site.case.pk}/application/"),
    ]:
        audit.open(path)
        audit.look(step)

    page.locator("main form button[value=submit]").click()
    expect(page.locator("main [aria-invalid=true]").first).to_be_visible()
    audit.look("kyc-form-errors")

    audit.open(f"/{language}/onboarding/cases/{site.case.pk}/")
    audit.look("case-status")

    audit.open(course.quiz.url)
    audit.look("quiz")
    wrong = [options[-1][0] for _prompt, options in words["questions"]]
    audit.answer(*wrong)
    expect(page.locator("#result.failed")).to_be_visible()
    audit.look("quiz-failed")


def audit_pages(
    browser: Browser, base_url: str, artifacts: Any, name: str, visit: Any
) -> list[str]:
    context = new_phone_context(browser)
    try:
        page = context.new_page()
        audit = Audit(page, base_url, artifacts, name, faults=[])
        visit(audit, page)
        return audit.faults or []
    finally:
        context.close()


def test_every_learner_page_is_accessible_in_every_language_on_a_small_phone(
    live_server, browser: Browser, artifacts
):
    site = build_site()
    faults: list[str] = []
    for language in LANGUAGES:
        faults += audit_pages(
            browser,
            live_server.url,
            artifacts,
            f"a11y-{language}",
            lambda audit, page, language=language: visit_every_page(audit, page, site, language),
        )
    assert not faults, f"{len(faults)} pages have faults:\n\n" + "\n\n".join(faults)
