"""The one reading of phone numbers: mobiles in E.164 form, landlines and short numbers refused,
and the one mask that shows only the last two digits."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from maalem.core.phones import display_phone, mask_phone, normalise_phone


@pytest.fixture(autouse=True)
def _english():
    # The messages are checked in the source language.
    with translation.override("en"):
        yield


@pytest.mark.parametrize("value", ["0612345678", "+212 6 12 34 56 78", "0712345678"])
def test_moroccan_mobile_numbers_are_kept_in_international_form(value):
    assert normalise_phone(value).startswith(("+2126", "+2127"))


def test_a_landline_is_refused_because_it_cannot_receive_texts():
    with pytest.raises(ValidationError, match="this one is a landline"):
        normalise_phone("0522123456")


def test_a_number_with_too_few_digits_is_refused():
    with pytest.raises(ValidationError, match="does not exist"):
        normalise_phone("06123")


def test_a_number_of_the_region_is_shown_the_local_way_and_another_the_international_way(
    settings,
):
    assert display_phone("+212612345678") == "06 12 34 56 78"
    settings.MAALEM_PHONE_REGION = "TN"
    assert display_phone("+212612345678") == "+212 6 12 34 56 78"


@pytest.mark.parametrize("phone", ["+212612345678", "06 12 34 56 78", "+212-612-345-678"])
def test_a_masked_number_shows_only_its_last_two_digits(phone):
    masked = mask_phone(phone)
    assert masked.endswith("78")
    assert set(masked[:-2]) == {"*"}
    assert "612345" not in masked
