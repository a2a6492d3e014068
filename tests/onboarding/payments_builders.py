"""Builders of the values the payment backends take."""

from __future__ import annotations

from typing import Any

from onboarding.providers.base import Applicant, PayoutMethod


def make_applicant(**overrides: Any) -> Applicant:
    """A valid applicant; national ID endings choose the sandbox's outcome (see its docs)."""
    values: dict[str, Any] = {
        "reference": "1",
        "name": "Fatima Zahra El Idrissi",
        "national_id": "AB123456",
        "phone": "+212612345678",
        "shop_name": "Zellige Fatima",
        "payout_method": PayoutMethod.WALLET,
        "payout_phone": "+212612345678",
    }
    return Applicant(**{**values, **overrides})
