"""What a merchant-presented QR code says, and the identifiers the specification gives it."""

from __future__ import annotations

from dataclasses import dataclass, field

PAYLOAD_FORMAT_INDICATOR = "00"
POINT_OF_INITIATION = "01"
MERCHANT_CATEGORY_CODE = "52"
TRANSACTION_CURRENCY = "53"
TRANSACTION_AMOUNT = "54"
TIP_OR_CONVENIENCE_INDICATOR = "55"
CONVENIENCE_FEE_FIXED = "56"
CONVENIENCE_FEE_PERCENTAGE = "57"
COUNTRY_CODE = "58"
MERCHANT_NAME = "59"
MERCHANT_CITY = "60"
POSTAL_CODE = "61"
ADDITIONAL_DATA = "62"
CRC = "63"
LANGUAGE_TEMPLATE = "64"

STATIC = "11"  # the same code for every payment: the buyer types the amount
DYNAMIC = "12"  # a code for one payment, with its amount

# IDs 02-25 are primitive merchant account information objects reserved for the card networks
# (02-03 Visa, 04-05 Mastercard, ...); 26-51 are templates, each opened by a globally unique
# identifier (sub-ID 00) of the network or provider that reads the rest.
NETWORK_ACCOUNTS = range(2, 26)
ACCOUNT_TEMPLATES = range(26, 52)
UNRESERVED_TEMPLATES = range(80, 100)

# Additional Data Field Template (62): sub-IDs 01-11 are EMVCo's, 50-99 payment systems'.
ADDITIONAL_DATA_NAMES = {
    "01": "bill number",
    "02": "mobile number",
    "03": "store label",
    "04": "loyalty number",
    "05": "reference label",
    "06": "customer label",
    "07": "terminal label",
    "08": "purpose of transaction",
    "09": "additional consumer data request",
    "10": "merchant tax ID",
    "11": "merchant channel",
}


class PayloadError(ValueError):
    """A payload that breaks a rule of the specification; the message names the rule."""


@dataclass(frozen=True)
class MerchantAccount:
    """One Merchant Account Information template (ID 26-51): who reads it (``gui``, sub-ID 00)
    and the provider's own sub-fields (sub-ID 01-99, e.g. ``{"01": merchant id}``)."""

    gui: str
    fields: dict[str, str] = field(default_factory=dict)
    id: str = "26"


@dataclass(frozen=True)
class LanguageTemplate:
    """Merchant Information—Language Template (ID 64): the name (and city) in another language,
    in any Unicode script."""

    language: str  # ISO 639-1, e.g. "ar"
    name: str
    city: str = ""


@dataclass(frozen=True)
class MerchantQR:
    """A merchant-presented payload, as :func:`build` writes it and :func:`parse` reads it.

    ``amount`` empty makes a static code (point of initiation ``11``), one for a single
    payment otherwise (``12``). ``currency`` is the ISO 4217 numeric code, ``country`` ISO
    3166-1 alpha-2. ``name`` and ``city`` are in the EMV common character set (printable
    ASCII): :func:`latin` makes them so.
    """

    accounts: tuple[MerchantAccount, ...]
    mcc: str
    currency: str
    country: str
    name: str
    city: str
    amount: str = ""
    postal_code: str = ""
    additional_data: dict[str, str] = field(default_factory=dict)
    alternate: LanguageTemplate | None = None
    # What parse() found besides: network accounts (02-25), tips (55-57), templates 80-99.
    other: dict[str, str] = field(default_factory=dict)
    # As read by parse(); empty when building: static without an amount, dynamic with one.
    initiation_method: str = ""

    @property
    def initiation(self) -> str:
        return self.initiation_method or (DYNAMIC if self.amount else STATIC)
