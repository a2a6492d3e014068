"""A new artisan who reads only Arabic goes from her phone number to a live shop on a 360px
phone, and never sees a French page: she signs in by SMS code, takes the course, fails the quiz
once then passes, gets her certificate, applies to sell, and when the payment provider asks for
a photo of both sides of her national ID card she sends them from her phone. The real Celery
worker sends them to the payments sandbox (a real HTTP server), whose webhooks move her case to
an active account and a live seller page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image as PILImage
from PIL import ImageDraw
from playwright.sync_api import Page, Request, expect

from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import OnboardingStep
from tests.builders import lessons_of
from tests.onboarding.onboarding_builders import make_craft, make_rule, photo_upload
from tests.onboarding.sandbox_process import sandbox_for_worker
from tests.worker import celery_worker

from .full_journey_scripts import SCRIPTS
from .journey import Journey
from .test_full_journeys import (
    download_the_certificate,
    find_the_shop_on_the_marketplace,
    send_the_application,
    take_the_course,
)
from .waiting import reload_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("kyc", "sms_outbox", "patient"),
]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
# The sandbox restricts an account whose national ID ends in 0000 until it has both sides of
# the ID card (docs/payments-sandbox.md).
ASKS_FOR_THE_ID_CARD = "ab120000"


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def patient(page: Page) -> Iterator[None]:
    # The whole road, with a worker and the sandbox beside the site, on a busy two-core machine:
    # pages may take longer than the usual few seconds to come.
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def pages_opened(page: Page) -> Iterator[list[str]]:
    opened: list[str] = []

    def record(request: Request) -> None:
        if request.is_navigation_request():
            opened.append(request.url)

    page.on("request", record)
    yield opened


def id_card_photo(path: Path, side: str) -> Path:
    """A phone photo of one side of an ID card: a big JPEG, as a camera makes it."""
    image = PILImage.new("RGB", (1600, 1000), (235, 225, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 80, 1520, 920), outline=(40, 60, 120), width=12)
    draw.text((140, 140), f"CARTE NATIONALE - {side}", fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    path.write_bytes(buffer.getvalue())
    return path


def test_an_arabic_only_learner_answers_the_providers_request_and_ends_with_a_live_shop(
    live_server, context, page, screenshots, pages_opened, settings, monkeypatch, tmp_path
):
    script = SCRIPTS["ar"]
    course = script.make_course()
    lessons = lessons_of(course)
    make_rule(course)
    craft = make_craft()
    photo = tmp_path / "atelier.png"
    photo.write_bytes(photo_upload().read())
    front = id_card_photo(tmp_path / "front.jpg", "recto")
    back = id_card_photo(tmp_path / "back.jpg", "verso")

    url = live_server.url
    journey = Journey(page, url, screenshots, "arabic-seller")
    with sandbox_for_worker(url, settings, monkeypatch, timeout=2) as sandbox:
        with celery_worker(name="arabic-seller-journey"):
            learner = take_the_course(journey, context, script, course, lessons)
            download_the_certificate(journey, script, learner, tmp_path)
            case = send_the_application(
                journey, script, learner, craft, photo, cin=ASKS_FOR_THE_ID_CARD
            )

            # The provider asks for more: the status page says what, in Arabic, and where.
            reload_until(page, ".onb-next.fix", "the provider to ask for the ID card")
            expect(page.locator(".onb-next.fix li")).to_have_count(1)
            journey.look("action-required")
            page.locator(".onb-next.fix a.button").click()
            expect(page).to_have_url(f"{url}/ar/onboarding/cases/{case.pk}/action-required/")
            expect(page.locator("input[type=file]")).to_have_count(2)
            journey.look("id-card-asked")

            # Sent with nothing chosen: a clear message, nothing sent.
            page.locator("main form button[type=submit]").click()
            expect(page.locator("#error-summary")).to_be_visible()
            journey.look("id-card-nothing-chosen")
            page.locator("#id_identity_card_front").set_input_files(str(front))
            page.locator("#id_identity_card_back").set_input_files(str(back))
            page.locator("main form button[type=submit]").click()
            expect(page.locator(".onb-done")).to_be_visible()
            journey.look("id-card-sent")

            page.locator(f"main a[href='/ar/onboarding/cases/{case.pk}/']").click()
            reload_until(page, ".onb-next.shop", "the provider to accept the ID card", timeout=60)
            expect(page.locator(".onb-step.done")).to_have_count(5)
            journey.look("shop-live")
        stats = sandbox.stats()
        events = sandbox.events()

    case.refresh_from_db()
    assert case.state == "active"
    assert stats["accounts_by_case"] == {str(case.pk): 1}
    # Each side reached the provider once, and the photos are no longer kept here.
    assert stats["requests_by_route"]["POST /v1/accounts/{account_id}/documents"] == 2
    documents = OnboardingStep.objects.filter(case=case, kind="document")
    assert sorted(documents.values_list("status", flat=True)) == ["succeeded", "succeeded"]
    assert not case.provider_answers.exclude(sealed="").exists()
    # pending (opened), restricted (asks), pending (documents in review), active.
    assert [event["status"] for event in events] == ["pending", "restricted", "pending", "active"]
    assert SellerProfilePage.objects.get(case=case).live

    find_the_shop_on_the_marketplace(journey, script, case)
    assert journey.steps[-8:] == [
        "kyc-sent",
        "action-required",
        "id-card-asked",
        "id-card-nothing-chosen",
        "id-card-sent",
        "shop-live",
        "marketplace",
        "seller-profile",
    ]
    # Arabic from the first page to the last: no French page was ever opened.
    assert pages_opened and all("/fr/" not in opened for opened in pages_opened), pages_opened
