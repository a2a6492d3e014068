"""A seller types a price the way she writes it; it is kept in centimes and written back the
way the reader's language writes dirhams."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from onboarding.marketplace.prices import parse_price, price_input, price_text


@pytest.mark.parametrize(
    ("typed", "centimes"),
    [
        ("120", 12000),
        ("120,50", 12050),
        ("120.5", 12050),
        ("1 200", 120000),
        ("١٢٠٫٥٠", 12050),  # Arabic-Indic digits and decimal separator
        ("120 DH", 12000),
        ("120 درهم", 12000),
    ],
)
def test_a_price_is_read_as_she_types_it(typed, centimes):
    assert parse_price(typed) == centimes


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("cent vingt", "price_format"),
        ("12,345", "price_format"),
        ("-5", "price_format"),
        ("0", "price_zero"),
        ("99999999", "price_too_high"),
    ],
)
def test_a_price_that_is_not_one_says_how_to_write_it(typed, code):
    with pytest.raises(ValidationError) as refused:
        parse_price(typed)

    assert refused.value.code == code


def test_a_kept_price_is_shown_back_in_the_form_and_on_pages():
    assert (price_input(12050), price_input(12000), price_input(None)) == ("120,50", "120", "")
    with translation.override("fr"):
        assert price_text(12050).replace("\u202f", " ").replace("\xa0", " ") == "120,50 MAD"
    with translation.override("ar"):
        assert "120" in price_text(12000) or "١٢٠" in price_text(12000)
