"""The application form helps the learner fix her own answers: a refused national ID, phone or
RIB stays in its input for her to see, the photo's size limit and the RIB's key are explained
where she reads them, and numbers read left to right in Arabic."""

from __future__ import annotations

import html
import re

import pytest

from tests.i18n import french

from .onboarding_builders import application_url, form_data, make_case, make_craft, valid_rib

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


def input_value(page: str, name: str) -> str | None:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert found, f"no input {name}"
    value = re.search(r'value="([^"]*)"', found.group(0))
    return html.unescape(value.group(1)) if value else None


def hint(page: str, name: str) -> str:
    found = re.search(rf'<p class="hint" id="id_{name}_hint">(.*?)</p>', page, re.S)
    assert found, f"no hint for {name}"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def test_the_kyc_form_keeps_a_rejected_cin_phone_and_rib_visible_to_the_learner(client):
    case = make_case()
    client.force_login(case.learner)
    wrong_rib = valid_rib()[:23] + str((int(valid_rib()[23]) + 1) % 10)
    data = form_data(make_craft(), cin="ABC12", phone="06 12", payout_method="bank", rib=wrong_rib)

    response = client.post(application_url(case), data)

    page = response.content.decode()
    assert input_value(page, "cin") == "ABC12"
    assert input_value(page, "phone") == "06 12"
    assert input_value(page, "rib") == wrong_rib
    # Only in this answer to her own post: not kept by any cache, and not in the address.
    assert "no-store" in response["Cache-Control"]
    assert "ABC12" not in response.get("Location", "")


def test_the_kyc_form_shows_an_accepted_cin_masked_not_in_its_input(client):
    case = make_case()
    client.force_login(case.learner)

    response = client.post(application_url(case), form_data(make_craft(), phone="06 12"))

    page = response.content.decode()
    assert input_value(page, "cin") is None
    assert "AB****56" in page


def test_the_kyc_form_states_the_photo_size_limit_next_to_the_control(client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    case = make_case()
    client.force_login(case.learner)

    page = client.get(application_url(case)).content.decode()

    limit = french("%(number)s MB", number="10")
    assert hint(page, "photo") == french("JPEG, PNG or WebP, up to %(limit)s.", limit=limit)
    photo_input = re.search(r'<input type="file"[^>]*>', page).group(0)
    assert f'data-max-bytes="{10 * 1024 * 1024}"' in photo_input
    too_big = html.unescape(re.search(r'data-too-big="([^"]*)"', photo_input).group(1))
    assert too_big == french(
        "This photo is too big (%(size)s). Send a photo smaller than %(limit)s.",
        size="{size}",
        limit=limit,
    )
    assert "onboarding/photo_size" in page


def test_the_kyc_form_explains_the_rib_key(client):
    case = make_case()
    client.force_login(case.learner)

    page = client.get(application_url(case)).content.decode()

    assert hint(page, "rib") == french(
        "It is on your bank papers or your cheque book: the bank code (3 digits), the city "
        "code (3), the account number (16) and the key (2). The key is calculated from the "
        "22 digits before it, so if one digit is wrong, the key does not match."
    )
