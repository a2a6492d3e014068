"""Prices in dirhams: read as a seller types them, kept in centimes, written the local way.

A seller types "120", "120,50", "120.5", "1 200" or "١٢٠": all are read. What is kept is a
whole number of centimes (MAD minor units), so no sum ever rounds.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import format_currency
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.courses.templatetags.lms_tags import babel_locale

CURRENCY = "MAD"
#: The highest price a product may have, in centimes (one million dirhams).
MAX_PRICE = 100_000_000

# Arabic-Indic and Eastern Arabic-Indic digits, as some phone keyboards type them.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Spaces (including the narrow ones locales group thousands with) and the Arabic separators.
_SPACES = re.compile(r"[\s\u00a0\u202f\u066c']")
_PRICE = re.compile(r"^(\d+)(?:[.,\u066b](\d{1,2}))?$")

NOT_A_PRICE = _("Write the price in dirhams with numbers only, for example 120 or 120,50.")
TOO_HIGH = _("This price is too high. Check the number.")
ZERO = _("The price must be more than 0 dirhams.")


def parse_price(text: str) -> int:
    """The price ``text`` in centimes, or ``ValidationError`` saying how to write it."""
    cleaned = _SPACES.sub("", str(text).translate(_DIGITS))
    for suffix in ("dhs", "dh", "mad", "درهم", "د.م."):
        if cleaned.lower().endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
    match = _PRICE.match(cleaned)
    if match is None:
        raise ValidationError(NOT_A_PRICE, code="price_format")
    dirhams, cents = match.group(1), (match.group(2) or "0").ljust(2, "0")
    value = int(dirhams) * 100 + int(cents)
    if value <= 0:
        raise ValidationError(ZERO, code="price_zero")
    if value > MAX_PRICE:
        raise ValidationError(TOO_HIGH, code="price_too_high")
    return value


def price_input(centimes: int | None) -> str:
    """What the price field shows for a kept price: "120" or "120,50"."""
    if centimes is None:
        return ""
    dirhams, cents = divmod(centimes, 100)
    return f"{dirhams},{cents:02d}" if cents else str(dirhams)


def price_text(centimes: int | None) -> str:
    """The price written the way the reader's language writes an amount in dirhams."""
    if centimes is None:
        return ""
    amount = Decimal(centimes) / 100
    text: str = format_currency(
        amount,
        CURRENCY,
        locale=babel_locale(),
        format_type="standard",
        currency_digits=False,
        decimal_quantization=False,
    )
    return text


def price_decimal(centimes: int) -> str:
    """The price as schema.org's ``price`` wants it: a dot, two decimals."""
    return f"{Decimal(centimes) / 100:.2f}"
