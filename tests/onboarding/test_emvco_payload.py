"""The EMV merchant-presented payload: its CRC proved against values published by others, the
specification's own example read back field by field, and every broken rule refused by name."""

from __future__ import annotations

import pytest

from onboarding import emvco

# EMV QRCPS Merchant-Presented Mode, the specification's example payload (Chinese alternate
# name and city: lengths count characters, the CRC runs over the UTF-8 bytes).
SPEC_EXAMPLE = (
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN"
    "5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603"
    "***0708A60086670902ME91320016A0112233449988770708123456786304A13A"
)
# Thai PromptPay codes (EMV MPM without a merchant name or city) as published by the
# promptpay-qr projects, with the CRC they print.
PROMPTPAY = {
    "00020101021129370016A000000677010111011300668999999995802TH53037646304": "FE29",
    "00020101021129370016A000000677010111011300660000000005802TH53037646304": "8956",
}


def test_the_crc_is_crc16_ccitt_false_by_its_published_check_value():
    assert emvco.crc16("123456789") == "29B1"


@pytest.mark.parametrize("body", sorted(PROMPTPAY))
def test_the_crc_matches_national_scheme_codes_published_by_others(body):
    assert emvco.crc16(body) == PROMPTPAY[body]


def test_the_specifications_example_parses_back_field_by_field():
    qr = emvco.parse(SPEC_EXAMPLE)

    assert qr.initiation == "12"
    assert qr.accounts == (
        emvco.MerchantAccount(gui="D15600000000", fields={"05": "A93FO3230Q"}, id="29"),
        emvco.MerchantAccount(gui="D15600000001", fields={"03": "12345678"}, id="31"),
    )
    assert (qr.mcc, qr.currency, qr.amount, qr.country) == ("4111", "156", "23.72", "CN")
    assert (qr.name, qr.city) == ("BEST TRANSPORT", "BEIJING")
    assert qr.alternate == emvco.LanguageTemplate("ZH", "最佳运输", "北京")
    assert qr.additional_data == {"03": "1234", "06": "***", "07": "A6008667", "09": "ME"}
    assert qr.other == {"55": "01", "91": "0016A011223344998877070812345678"}


def moroccan_seller(**changes) -> emvco.MerchantQR:
    values = {
        "accounts": (emvco.MerchantAccount("ma.maalem.sandbox", {"01": "000123456789012"}),),
        "mcc": "5713",
        "currency": "504",
        "country": "MA",
        "name": "Tapis Latifa",
        "city": "Fes",
        "alternate": emvco.LanguageTemplate("ar", "زرابي لطيفة", "فاس"),
        "additional_data": {"07": "STALL-1"},
    }
    return emvco.MerchantQR(**{**values, **changes})


def test_a_static_code_round_trips_with_its_arabic_name_counted_in_characters():
    payload = emvco.build(moroccan_seller())

    assert payload.startswith("000201010211")
    assert "64280002ar0111زرابي لطيفة0203فاس" in payload
    assert payload[-8:-4] == "6304" and payload[-4:] == emvco.crc16(payload[:-4])
    back = emvco.parse(payload)
    original = moroccan_seller()
    for name in ("accounts", "mcc", "currency", "country", "name", "city", "alternate"):
        assert getattr(back, name) == getattr(original, name), name
    assert back.additional_data == {"07": "STALL-1"}
    assert (back.amount, back.initiation) == ("", "11")


def test_a_code_with_an_amount_is_dynamic():
    payload = emvco.build(moroccan_seller(amount="150.00"))
    assert "010212" in payload and "5406150.00" in payload
    assert emvco.parse(payload).amount == "150.00"


def test_latin_fields_drop_accents_and_spell_arabic_in_latin_letters():
    assert emvco.latin("Fès-Meknès", 15) == "Fes-Meknes"
    assert emvco.latin("Laâyoune-Sakia El Hamra", 15) == "Laayoune-Sakia"
    assert emvco.latin("خشب", 25).isascii() and emvco.latin("خشب", 25)
    assert len(emvco.latin("Coopérative des tisserandes de Taznakht", 25)) <= 25


def with_crc(body: str) -> str:
    return body + emvco.crc16(body)


GOOD_BODY = emvco.build(moroccan_seller())[:-4]

MALFORMED = {
    "CRC is": GOOD_BODY + "0000",
    "must come first": with_crc(GOOD_BODY[6:-4] + "000201" + "6304"),
    "must be last": GOOD_BODY.replace("6304", "") + "6304ABCD" + "99020A",
    "not '01'": with_crc("000202" + GOOD_BODY[6:]),
    "appears twice": with_crc(GOOD_BODY.replace("5303504", "53035045303504")),
    "merchant name (ID 59) is missing": with_crc(GOOD_BODY.replace("5912Tapis Latifa", "")),
    "not 4 digits": with_crc(GOOD_BODY.replace("52045713", "520357A")),
    "at most 25": with_crc(GOOD_BODY.replace("5912Tapis Latifa", "5926" + "T" * 26)),
    "outside the EMV common character set": with_crc(GOOD_BODY.replace("6003Fes", "6003Fès")),
    "not 01 to 99": with_crc(GOOD_BODY.replace("6003Fes", "6000")),
    "only": GOOD_BODY[:20],
    "no globally unique identifier": with_crc(
        GOOD_BODY.replace("26400017ma.maalem.sandbox0115000123456789012", "26060102ab")
    ),
    "reserved for future use by EMVCo": with_crc(GOOD_BODY.replace("6304", "7002ab6304")),
    "no merchant account information": with_crc(
        GOOD_BODY.replace("26400017ma.maalem.sandbox0115000123456789012", "")
    ),
    "not '11' (static) or '12'": with_crc(GOOD_BODY.replace("010211", "010213")),
    "must not be zero": with_crc(GOOD_BODY.replace("5303504", "530350454040.00")),
    "needs a language (00) and a name (01)": with_crc(
        GOOD_BODY.replace("64280002ar0111زرابي لطيفة0203فاس", "64070203فاس")
    ),
}


@pytest.mark.parametrize("rule", sorted(MALFORMED))
def test_the_parser_refuses_each_broken_rule_by_name(rule):
    with pytest.raises(emvco.PayloadError, match=rule.replace("(", r"\(").replace(")", r"\)")):
        emvco.parse(MALFORMED[rule])


def test_a_national_scheme_code_without_the_mandatory_merchant_fields_is_refused():
    body = next(iter(sorted(PROMPTPAY)))
    with pytest.raises(emvco.PayloadError, match=r"merchant category code \(ID 52\) is missing"):
        emvco.parse(body + PROMPTPAY[body])


def test_the_builder_refuses_a_name_longer_than_the_specification_allows():
    with pytest.raises(emvco.PayloadError, match="at most 25"):
        emvco.build(moroccan_seller(name="A" * 26))
