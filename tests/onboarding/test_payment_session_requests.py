"""What the sandbox takes in a payment session request, and its fee rule to the centime."""

from __future__ import annotations

from typing import Any

import pytest

from onboarding.sandbox.responses import BadRequest
from onboarding.sandbox.sales import fee, validate_session

VALID = {
    "account": "acct_1",
    "amount_minor": 15_000,
    "reference": "order-1",
    "description": "Tajine",
    "return_url": "https://shop.example/orders/1",
    "cancel_url": "http://127.0.0.1:8000/orders/1/cancel",
}


def refusal(**changes: Any) -> tuple[int, str, str]:
    with pytest.raises(BadRequest) as refused:
        validate_session({**VALID, **changes})
    error = refused.value.response.body["error"]
    return refused.value.response.status, error["code"], error.get("param", "")


def test_a_valid_request_is_taken_in_dirhams():
    assert validate_session(VALID)["currency"] == "MAD"


@pytest.mark.parametrize(
    ("changes", "code", "param"),
    [
        ({"amount_minor": 499}, "amount_invalid", "amount_minor"),
        ({"amount_minor": 150.5}, "parameter_invalid", "amount_minor"),
        ({"amount_minor": True}, "parameter_invalid", "amount_minor"),
        ({"currency": "EUR"}, "currency_invalid", "currency"),
        ({"reference": "order-1\n"}, "parameter_invalid", "reference"),
        ({"return_url": "http://shop.example/"}, "url_invalid", "return_url"),
        ({"return_url": "https://shop.example/\r\nSet-Cookie: a=b"}, "url_invalid", "return_url"),
        ({"cancel_url": "javascript:alert(1)"}, "url_invalid", "cancel_url"),
        ({"buyer_phone": "0612345678"}, "parameter_invalid", "buyer_phone"),
        ({"description": ""}, "parameter_invalid", "description"),
    ],
)
def test_a_wrong_field_is_named_and_refused(changes, code, param):
    assert refusal(**changes) == (422, code, param)


def test_an_unknown_field_is_refused():
    assert refusal(tip=100)[:2] == (422, "parameter_unknown")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(500, 108), (999, 115), (1_033, 115), (1_034, 116), (15_000, 325), (10_000_000, 150_100)],
)
def test_the_fee_is_one_and_a_half_percent_half_up_plus_one_dirham(amount, expected):
    assert fee(amount) == expected
