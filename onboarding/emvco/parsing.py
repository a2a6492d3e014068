"""Reading a payload back and checking it against the specification, rule by rule."""

from __future__ import annotations

import re

from . import values as v
from .tlv import HEX4, crc16, is_ans, read

NUMERIC = {v.MERCHANT_CATEGORY_CODE: 4, v.TRANSACTION_CURRENCY: 3}
# Most characters of the Latin (ANS) objects.
MAX_LENGTH = {v.COUNTRY_CODE: 2, v.MERCHANT_NAME: 25, v.MERCHANT_CITY: 15, v.POSTAL_CODE: 10}
MANDATORY = {
    v.MERCHANT_CATEGORY_CODE: "merchant category code",
    v.TRANSACTION_CURRENCY: "transaction currency",
    v.COUNTRY_CODE: "country code",
    v.MERCHANT_NAME: "merchant name",
    v.MERCHANT_CITY: "merchant city",
}
AMOUNT = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")
PERCENTAGE = re.compile(r"[0-9]{1,2}(\.[0-9]{1,2})?")


def _fail(message: str) -> v.PayloadError:
    return v.PayloadError(message)


def _ans(where: str, value: str, limit: int = 99) -> str:
    if not is_ans(value):
        raise _fail(f"{where} has characters outside the EMV common character set")
    if len(value) > limit:
        raise _fail(f"{where} is {len(value)} characters long, at most {limit} are allowed")
    return value


def _amount(where: str, value: str) -> str:
    if len(value) > 13 or not AMOUNT.fullmatch(value):
        raise _fail(f"{where} {value!r} is not an amount (digits, one '.', 13 characters)")
    if float(value) == 0:
        raise _fail(f"{where} must not be zero")
    return value


def parse(payload: str) -> v.MerchantQR:
    """Read and check ``payload``; raise :class:`PayloadError` naming the first rule it breaks."""
    if not isinstance(payload, str) or not payload:
        raise _fail("the payload is empty")
    objects = read(payload)
    if objects[0][0] != v.PAYLOAD_FORMAT_INDICATOR:
        raise _fail(f"the payload starts with ID {objects[0][0]}: ID 00 must come first")
    if objects[0][1] != "01":
        raise _fail(f"payload format indicator is {objects[0][1]!r}, not '01'")
    if objects[-1][0] != v.CRC:
        raise _fail(f"the payload ends with ID {objects[-1][0]}: ID 63 (the CRC) must be last")
    crc = objects[-1][1]
    if not HEX4.fullmatch(crc):
        raise _fail(f"the CRC {crc!r} is not 4 hexadecimal digits")
    expected = crc16(payload[:-4])
    if crc.upper() != expected:
        raise _fail(f"the CRC is {crc}, the payload's is {expected}")
    found = dict(objects[1:-1])
    for id in (v.PAYLOAD_FORMAT_INDICATOR, v.CRC):
        if id in found:
            raise _fail(f"ID {id} appears twice")
    for id, name in MANDATORY.items():
        if id not in found:
            raise _fail(f"the {name} (ID {id}) is missing")
    initiation = found.pop(v.POINT_OF_INITIATION, "")
    if initiation and initiation not in (v.STATIC, v.DYNAMIC):
        raise _fail(f"point of initiation is {initiation!r}, not '11' (static) or '12'")
    for id, digits in NUMERIC.items():
        if len(found[id]) != digits or not found[id].isdigit():
            raise _fail(f"ID {id} is {found[id]!r}, not {digits} digits")
    for id, limit in MAX_LENGTH.items():
        if id in found:
            _ans(f"ID {id}", found[id], limit)
    if not found[v.COUNTRY_CODE].isalpha() or len(found[v.COUNTRY_CODE]) != 2:
        raise _fail(f"country code {found[v.COUNTRY_CODE]!r} is not two letters")
    amount = found.get(v.TRANSACTION_AMOUNT, "")
    if amount:
        _amount("the transaction amount (ID 54)", amount)
    accounts, other = _accounts_and_others(found)
    if not accounts and not any(int(id) in v.NETWORK_ACCOUNTS for id in other):
        raise _fail("no merchant account information (IDs 02-51)")
    _tips(found)
    return v.MerchantQR(
        accounts=tuple(accounts),
        mcc=found[v.MERCHANT_CATEGORY_CODE],
        currency=found[v.TRANSACTION_CURRENCY],
        country=found[v.COUNTRY_CODE],
        name=found[v.MERCHANT_NAME],
        city=found[v.MERCHANT_CITY],
        amount=amount,
        postal_code=found.get(v.POSTAL_CODE, ""),
        additional_data=_additional_data(found.get(v.ADDITIONAL_DATA)),
        alternate=_language_template(found.get(v.LANGUAGE_TEMPLATE)),
        other=other,
        initiation_method=initiation,
    )


def _accounts_and_others(found: dict[str, str]) -> tuple[list[v.MerchantAccount], dict[str, str]]:
    accounts, other = [], {}
    for id, value in found.items():
        number = int(id)
        if number in v.ACCOUNT_TEMPLATES or number in v.UNRESERVED_TEMPLATES:
            fields = dict(read(value, f"template {id}"))
            for sub_id, sub_value in fields.items():
                _ans(f"ID {id} sub-ID {sub_id}", sub_value)
            if "00" not in fields:
                raise _fail(f"template {id} has no globally unique identifier (sub-ID 00)")
            gui = _ans(f"the globally unique identifier of template {id}", fields.pop("00"), 32)
            if number in v.ACCOUNT_TEMPLATES:
                accounts.append(v.MerchantAccount(gui=gui, fields=fields, id=id))
            else:
                other[id] = value
        elif number in v.NETWORK_ACCOUNTS or 55 <= number <= 57:
            other[id] = _ans(f"ID {id}", value)
        elif 65 <= number <= 79:
            raise _fail(f"ID {id} is reserved for future use by EMVCo and must not appear")
    return accounts, other


def _tips(found: dict[str, str]) -> None:
    indicator = found.get(v.TIP_OR_CONVENIENCE_INDICATOR)
    fixed, percentage = found.get(v.CONVENIENCE_FEE_FIXED), found.get(v.CONVENIENCE_FEE_PERCENTAGE)
    if indicator not in (None, "01", "02", "03"):
        raise _fail(f"tip or convenience indicator (ID 55) is {indicator!r}, not 01, 02 or 03")
    if (fixed is not None) != (indicator == "02"):
        raise _fail("a fixed convenience fee (ID 56) goes with indicator 02 (ID 55), and only")
    if (percentage is not None) != (indicator == "03"):
        raise _fail("a convenience fee percentage (ID 57) goes with indicator 03, and only")
    if fixed is not None:
        _amount("the fixed convenience fee (ID 56)", fixed)
    if percentage is not None and not PERCENTAGE.fullmatch(percentage):
        raise _fail(f"convenience fee percentage (ID 57) {percentage!r} is not 00.01 to 99.99")


def _additional_data(value: str | None) -> dict[str, str]:
    if value is None:
        return {}
    fields = dict(read(value, "additional data (ID 62)"))
    for sub_id, sub_value in fields.items():
        number = int(sub_id)
        where = f"additional data sub-ID {sub_id}"
        if number == 0 or 12 <= number <= 49:
            raise _fail(f"{where} is reserved for future use and must not appear")
        limit = {9: 3, 11: 3}.get(number, 25 if number <= 11 else 99)
        _ans(where, sub_value, limit)
        if number == 9 and (set(sub_value) - set("AME") or len(set(sub_value)) != len(sub_value)):
            raise _fail(f"{where} asks for {sub_value!r}: only A, M and E, each once")
    return fields


def _language_template(value: str | None) -> v.LanguageTemplate | None:
    if value is None:
        return None
    fields = dict(read(value, "language template (ID 64)"))
    for sub_id in fields:
        if sub_id not in ("00", "01", "02"):
            raise _fail(f"language template sub-ID {sub_id} is reserved for future use")
    if "00" not in fields or "01" not in fields:
        raise _fail("the language template (ID 64) needs a language (00) and a name (01)")
    language = fields["00"]
    if len(language) != 2 or not language.isascii() or not language.isalpha():
        raise _fail(f"language preference {language!r} is not a two-letter ISO 639 code")
    if len(fields["01"]) > 25:
        raise _fail("the alternate merchant name (ID 64 sub-ID 01) is over 25 characters")
    if len(fields.get("02", "")) > 15:
        raise _fail("the alternate merchant city (ID 64 sub-ID 02) is over 15 characters")
    return v.LanguageTemplate(language=language, name=fields["01"], city=fields.get("02", ""))
