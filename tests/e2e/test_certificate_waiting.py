"""A learner whose certificate failed to issue sees it coming on "My learning", on a phone, in
Arabic and in French."""

from pathlib import Path

import pytest

from lms.certificates import pending
from lms.certificates.models import Certificate
from tests.builders import complete, default_site, make_arabic_copy, make_course, make_learner
from tests.e2e.journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def test_a_certificate_still_being_issued_shows_as_being_prepared_on_my_learning(
    live_server, context, page
):
    default_site()
    course = make_course(title="Teindre la laine", lessons=1, quiz=False)
    make_arabic_copy(course, "صباغة الصوف")
    learner = make_learner(first_name="Hind")
    completion = complete(learner, course)
    Certificate.objects.filter(completion=completion).delete()
    pending.record(completion)  # as when issuing failed: the row waits for its retry
    sign_in(context, learner, live_server.url)
    SCREENSHOTS.mkdir(exist_ok=True)

    for language, title, waiting in (
        ("ar", "صباغة الصوف", "شهادتك قيد التحضير"),
        ("fr", "Teindre la laine", "Votre certificat est en préparation"),
    ):
        page.goto(f"{live_server.url}/{language}/learn/")
        section = page.locator("section[aria-labelledby=certificates]")
        section.scroll_into_view_if_needed()
        items = section.locator("li")
        assert items.count() == 1
        assert title in items.inner_text() and waiting in items.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(
            path=str(SCREENSHOTS / f"certificate-waiting-{language}.png"), full_page=True
        )
