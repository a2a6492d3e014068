"""The answers of an application, each read and checked in one place.

The form (:mod:`onboarding.forms`) and the services (:mod:`onboarding.applications`) read every
answer through these functions, so each rule and each message exists once. A reader returns the
value in its stored form or raises ``ValidationError``; the messages say what is wrong and never
repeat the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.crafts.models import Craft
from maalem.core import phones
from maalem.core.text import without_bidi_controls

from .providers.base import PayoutMethod

CIN_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")
RIB_LENGTH = 24
CHOOSE_PAYOUT_METHOD = _("Choose a mobile wallet or a bank account.")


def read_cin(value: str | None) -> str:
    """The national ID (CIN) in upper case without spaces; 1 or 2 letters, then up to 6 digits.

    There is no published official format, so this accepts what cards carry and never infers
    anything (such as a region) from the letters.
    """
    cin = re.sub(r"[\s\-]", "", str(value or "")).upper()
    if not cin:
        raise ValidationError(_("Enter your national ID card number."), code="required")
    if not CIN_PATTERN.match(cin):
        raise ValidationError(
            _("A national ID number is 1 or 2 letters followed by up to 6 digits, like BE471203."),
            code="invalid_cin",
        )
    return cin


def read_phone(value: str | None) -> str:
    """A mobile number in E.164 form, read in ``MAALEM_PHONE_REGION`` when it has no
    country code. The same rules and messages as sign-in: the number receives SMS and may carry
    a mobile wallet."""
    return phones.normalise_phone(str(value or ""))


def rib_key(first_22_digits: str) -> str:
    """The 2-digit key of a RIB's bank code (3), city code (3) and account number (16).

    The key makes the whole 24-digit number a multiple of 97: it is 97 minus the remainder of
    the 22 digits followed by "00" divided by 97, so it runs from 01 to 97.
    """
    return f"{97 - (int(first_22_digits) * 100) % 97:02d}"


def read_rib(value: str | None) -> str:
    """The bank RIB as 24 digits (spaces removed), after checking its length and its key."""
    rib = re.sub(r"[\s\-]", "", str(value or ""))
    if not rib:
        raise ValidationError(_("Enter the 24 digits of your bank RIB."), code="required")
    if not rib.isdigit() or len(rib) != RIB_LENGTH:
        raise ValidationError(
            _("A RIB has exactly 24 digits, without letters."), code="invalid_rib_length"
        )
    if rib_key(rib[:22]) != rib[22:]:
        raise ValidationError(
            _(
                "The key of this RIB (its last 2 digits) does not match the 22 digits before it: "
                "one digit is wrong. Check each digit on your bank papers."
            ),
            code="invalid_rib_key",
        )
    return rib


def read_payout_method(value: str | None) -> str:
    """How the seller is paid: one of :class:`PayoutMethod`."""
    if not value:
        raise ValidationError(CHOOSE_PAYOUT_METHOD, code="required")
    if value not in PayoutMethod.values:
        raise ValidationError(CHOOSE_PAYOUT_METHOD, code="invalid")
    return value


def read_consent(given: Any, text: str | None) -> str:
    """The consent text the learner agreed to; they must have ticked the box under it."""
    errors = []
    if not given:
        errors.append(
            ValidationError(_("Tick the box to agree before you send the form."), code="required")
        )
    if not str(text or "").strip():
        errors.append(ValidationError(_("The consent text is missing."), code="consent_text"))
    if errors:
        raise ValidationError(errors)
    return str(text)


@dataclass(frozen=True)
class Application:
    """A whole application as it is submitted, every answer read; the fields are the
    applicant profile's."""

    consent_text: str
    cin: str
    phone: str
    payout_method: str
    rib: str
    wallet_phone: str
    artisan_register_number: str
    region: str
    craft: Craft | None
    shop_name: str
    photo: Any

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Application:
        """Read the answers in ``data``; raise ``ValidationError`` with the messages by field.

        A missing payout method means the mobile wallet, on the learner's own number unless
        another wallet number is given.
        """
        errors: dict[str, ValidationError] = {}

        def read(name: str, reader: Callable[..., str], *args: Any) -> str:
            try:
                return reader(*args)
            except ValidationError as error:
                errors[name] = error
                return ""

        consent_text = read("consent", read_consent, data.get("consent"), data.get("consent_text"))
        cin = read("cin", read_cin, data.get("cin"))
        phone = read("phone", read_phone, data.get("phone"))
        payout_method = data.get("payout_method") or PayoutMethod.WALLET
        read("payout_method", read_payout_method, payout_method)
        rib = wallet_phone = ""
        if payout_method == PayoutMethod.BANK:
            rib = read("rib", read_rib, data.get("rib"))
        elif data.get("wallet_phone"):
            wallet_phone = read("wallet_phone", read_phone, data.get("wallet_phone"))
        if errors:
            raise ValidationError(errors)
        return cls(
            consent_text=consent_text,
            cin=cin,
            phone=phone,
            payout_method=payout_method,
            rib=rib,
            wallet_phone=wallet_phone,
            artisan_register_number=str(data.get("artisan_register_number") or "").strip(),
            region=str(data.get("region") or "").strip(),
            craft=data.get("craft"),
            shop_name=without_bidi_controls(str(data.get("shop_name") or "")).strip(),
            photo=data.get("photo") or "",
        )

    def profile_values(self) -> dict[str, Any]:
        """The answers by applicant profile field."""
        return {field.name: getattr(self, field.name) for field in fields(self)}
