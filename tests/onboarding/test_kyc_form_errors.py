"""Every mistake in the application form gets its own message, in French, next to the field and
in the summary at the top; nothing is sent while a mistake remains."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from onboarding.models import CaseState, OnboardingStep
from onboarding.sizes import file_size_words
from onboarding.values import rib_key
from tests.i18n import french

from .onboarding_builders import (
    application_url,
    error_summary,
    field_error,
    form_data,
    make_case,
    make_craft,
    photo_upload,
    valid_rib,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


def wrong_key_rib() -> str:
    rib = valid_rib()
    wrong = f"{(int(rib[22:]) % 97) + 1:02d}"
    assert wrong != rib_key(rib[:22])
    return rib[:22] + wrong


MISTAKES = [
    ("consent", {"consent": None}, "Tick the box to agree before you send the form."),
    ("cin", {"cin": ""}, "Enter your national ID card number."),
    (
        "cin",
        {"cin": "ABC12"},
        "A national ID number is 1 or 2 letters followed by up to 6 digits, like BE471203.",
    ),
    ("phone", {"phone": ""}, "Enter your mobile phone number."),
    ("phone", {"phone": "06 12"}, "This phone number does not exist. Check the digits."),
    ("phone", {"phone": "0522123456"}, "Enter a mobile number: this one is a landline."),
    ("region", {"region": ""}, "Choose your region."),
    ("region", {"region": "Atlantis"}, "Choose a region in the list."),
    ("craft", {"craft": ""}, "Choose your craft."),
    ("shop_name", {"shop_name": "  "}, "Enter the name of your shop."),
    ("shop_name", {"shop_name": "x" * 121}, "This name is too long: at most 120 characters."),
    ("photo", {"photo": None}, "Add a photo of you or of your work."),
    ("payout_method", {"payout_method": "cash"}, "Choose a mobile wallet or a bank account."),
    ("rib", {"payout_method": "bank"}, "Enter the 24 digits of your bank RIB."),
    (
        "rib",
        {"payout_method": "bank", "rib": "1234"},
        "A RIB has exactly 24 digits, without letters.",
    ),
    (
        "rib",
        {"payout_method": "bank", "rib": wrong_key_rib()},
        "The key of this RIB (its last 2 digits) does not match the 22 digits before it: "
        "one digit is wrong. Check each digit on your bank papers.",
    ),
    ("wallet_phone", {"wallet_phone": "12"}, "This phone number does not exist. Check the digits."),
    (
        "artisan_register_number",
        {"artisan_register_number": "9" * 51},
        "This number is too long: at most 50 characters.",
    ),
]


@pytest.mark.parametrize(
    ("field", "overrides", "message"), MISTAKES, ids=[f"{m[0]}-{i}" for i, m in enumerate(MISTAKES)]
)
def test_a_mistake_is_explained_in_french_next_to_its_field_and_in_the_summary(
    client, field, overrides, message
):
    case = make_case()
    client.force_login(case.learner)

    data = form_data(make_craft(), **overrides)

    response = client.post(application_url(case), data)

    assert response.status_code == 200
    page = response.content.decode()
    # Personal values typed in come back into the page only when refused, for the learner to
    # see her mistake; the accepted ones are kept, and shown masked.
    for name in ("cin", "phone", "wallet_phone", "rib"):
        assert re.search(rf'<input[^>]*name="{name}"', page)
        shown = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
        if name == field and data.get(name):
            assert shown is not None and html.unescape(shown.group(1)) == data[name]
        else:
            assert shown is None
    assert field_error(page, field) == french(message)
    summary = error_summary(page)
    assert len(summary) == 1
    target, text = summary[0]
    assert text.endswith(french(message))
    assert f'id="{target}"' in page
    # The input points at its message, for screen readers.
    described = re.search(rf'<[^>]*aria-describedby="([^"]*id_{field}_error[^"]*)"', page)
    assert described is not None
    case.refresh_from_db()
    assert case.state == CaseState.KYC_PENDING
    assert not OnboardingStep.objects.filter(case=case).exists()


def test_a_photo_that_is_too_big_is_refused_with_its_size_and_the_limit(client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    case = make_case()
    client.force_login(case.learner)
    photo = photo_upload()

    response = client.post(application_url(case), form_data(make_craft(), photo=photo))

    with translation.override("fr"):
        size, limit = file_size_words(photo.size), file_size_words(100)
    assert field_error(response.content.decode(), "photo") == french(
        "This photo is too big (%(size)s). Send a photo smaller than %(limit)s.",
        size=size,
        limit=limit,
    )


@pytest.mark.parametrize(
    "upload",
    [
        lambda: photo_upload(name="animation.gif", image_format="GIF"),
        lambda: SimpleUploadedFile("notes.jpg", b"not an image at all", content_type="image/jpeg"),
    ],
    ids=["gif", "text"],
)
def test_a_file_that_is_not_a_usable_photo_is_refused(client, upload):
    case = make_case()
    client.force_login(case.learner)

    response = client.post(application_url(case), form_data(make_craft(), photo=upload()))

    assert field_error(response.content.decode(), "photo") == french(
        "This file is not a photo we can use. Send a JPEG, PNG or WebP photo."
    )


def test_a_rib_with_its_right_key_is_accepted_and_spaces_do_not_matter(client):
    case = make_case()
    client.force_login(case.learner)
    rib = valid_rib()
    spaced = " ".join(rib[i : i + 4] for i in range(0, 24, 4))

    response = client.post(
        application_url(case), form_data(make_craft(), payout_method="bank", rib=spaced)
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.applicant.rib == rib
    assert case.applicant.payout_method == "bank"
