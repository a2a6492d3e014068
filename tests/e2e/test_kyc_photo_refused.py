"""A learner on a 360px phone sends a photo the site cannot take: one with too many pixels,
then one too big to be received. Each time the form comes back with a message in her language
next to the photo, and nothing else is lost."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.builders import default_site, make_learner
from tests.onboarding.onboarding_builders import make_case
from tests.onboarding.photo_builders import pixel_bomb

from .journey import Journey, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("kyc"),
]


def translated(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_pixel_bomb_and_fifty_megabyte_photo_are_refused_with_a_message_on_a_phone(
    live_server, context, page, artifacts, tmp_path, language
):
    default_site()
    case = make_case(make_learner())
    sign_in(context, case.learner, live_server.url)
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(pixel_bomb().read())
    huge = tmp_path / "huge.jpg"
    huge.write_bytes(b"\xff\xd8" + b"x" * (12 * 1024 * 1024))
    journey = Journey(page, live_server.url, artifacts, f"kyc-photo-refused-{language}")
    journey.open(f"/{language}/onboarding/cases/{case.pk}/application/")

    page.locator("#id_shop_name").fill("Atelier")
    page.locator("#id_photo").set_input_files(str(bomb))
    page.locator("button[value=save]").click()
    expect(page.locator("#id_photo_error")).to_have_text(
        translated(
            language,
            "This photo has too many pixels for us to open. Send a smaller copy of it, or take "
            "it again with a lower resolution.",
        )
    )
    expect(page.locator("#id_shop_name")).to_have_value("Atelier")
    journey.look("pixels")

    # The page's script refuses it as soon as it is chosen, before a byte is sent; without the
    # script the server refuses it unread (tests/onboarding/test_private_photo_uploads.py).
    page.locator("#id_photo").set_input_files(str(huge))
    expect(page.locator("#id_photo_error")).to_be_visible()
    assert page.locator("#id_photo").evaluate("input => input.files.length") == 0
    expect(page.locator("#id_shop_name")).to_have_value("Atelier")
    journey.look("too-big")
