"""Writing a payload, and making names fit the Latin fields."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

from . import values as v
from .tlv import crc16, data_object, is_ans


def latin(text: str, limit: int) -> str:
    """``text`` in the common character set, at most ``limit`` characters, for the merchant
    name (25) and city (15).

    Accents are dropped (``Fès`` → ``Fes``), other scripts are transliterated letter by letter
    by anyascii (``خشب`` → ``khshb``), and whatever is still outside printable ASCII is removed.
    Spaces are collapsed; a cut falls between words when one is near enough.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = "".join(c for c in anyascii(stripped) if is_ans(c))
    ascii_text = re.sub(r"\s+", " ", ascii_text).strip()
    if len(ascii_text) <= limit:
        return ascii_text
    cut = ascii_text[: limit + 1].rsplit(" ", 1)[0]
    return (cut if len(cut) >= limit // 2 else ascii_text[:limit]).strip()


def _template(objects: list[tuple[str, str]]) -> str:
    return "".join(data_object(id, value) for id, value in objects if value)


def build(qr: v.MerchantQR) -> str:
    """The payload of ``qr``, CRC included, in ascending ID order (``63`` last).

    It is read back with :func:`onboarding.emvco.parse` before it is returned, so a payload
    that breaks a rule raises :class:`PayloadError` here rather than at the buyer's phone.
    """
    from .parsing import parse

    objects: dict[str, str] = {
        v.PAYLOAD_FORMAT_INDICATOR: "01",
        v.POINT_OF_INITIATION: qr.initiation,
    }
    for account in qr.accounts:
        fields = [("00", account.gui), *sorted(account.fields.items())]
        objects[account.id] = _template(fields)
    objects.update(
        {
            v.MERCHANT_CATEGORY_CODE: qr.mcc,
            v.TRANSACTION_CURRENCY: qr.currency,
            v.TRANSACTION_AMOUNT: qr.amount,
            v.COUNTRY_CODE: qr.country,
            v.MERCHANT_NAME: qr.name,
            v.MERCHANT_CITY: qr.city,
            v.POSTAL_CODE: qr.postal_code,
            v.ADDITIONAL_DATA: _template(sorted(qr.additional_data.items())),
        }
    )
    if qr.alternate is not None:
        alternate = qr.alternate
        objects[v.LANGUAGE_TEMPLATE] = _template(
            [("00", alternate.language), ("01", alternate.name), ("02", alternate.city)]
        )
    objects.update(qr.other)
    body = "".join(data_object(id, objects[id]) for id in sorted(objects) if objects[id])
    body += v.CRC + "04"
    payload = body + crc16(body)
    parse(payload)
    return payload
