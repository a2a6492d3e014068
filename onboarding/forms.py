"""The learner's application form (KYC): what it asks, which answers it needs, and what it keeps
of a draft.

Each answer is read by :mod:`onboarding.values`, the same readers the services use; the form
decides only which answers a draft may leave out. Saving is
:func:`onboarding.applications.save_draft` and :func:`onboarding.applications.submit_application`.
The national ID, the phone numbers and the RIB are shown back only when refused, to the learner
who typed them, so that she can see her mistake; once stored, they are shown masked, with an empty
input that keeps the stored value unless she types a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lms.crafts.models import Craft
from maalem.core.phones import example_phone, mask_phone
from maalem.core.text import without_bidi_controls

from . import pii
from .choices import craft_choices, region_choices
from .form_fields import PersonalValueInput, PhotoField
from .models import ApplicantProfile
from .values import (
    CHOOSE_PAYOUT_METHOD,
    PayoutMethod,
    read_cin,
    read_consent,
    read_payout_method,
    read_phone,
    read_rib,
)

#: Shown above the consent box and stored with the application, in the learner's language.
CONSENT_TEXT = _(
    "I agree that Maalem sends my name, national ID number, phone number, shop details and "
    "payout details to the payment provider, to open my seller account and pay me. I can "
    "withdraw my consent at any time."
)


class KYCForm(forms.Form):
    """The application. ``submitting`` decides which answers are required: a draft may be
    incomplete, but whatever it holds must be valid. The fields are in the page's order, so
    that the error summary is too."""

    cin = forms.CharField(
        label=_("National ID card number (CIN)"),
        help_text=_("1 or 2 letters, then the digits, as on your card."),
        max_length=20,
        required=False,
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        help_text=_("We send you text messages on it."),
        max_length=30,
        required=False,
    )
    artisan_register_number = forms.CharField(
        label=_("National artisan register number (optional)"),
        max_length=50,
        required=False,
        error_messages={"max_length": _("This number is too long: at most 50 characters.")},
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    craft = forms.ChoiceField(label=_("Craft"), required=False)
    shop_name = forms.CharField(
        label=_("Shop name"),
        help_text=_("The name buyers will see."),
        max_length=120,
        required=False,
        error_messages={"max_length": _("This name is too long: at most 120 characters.")},
    )
    photo = PhotoField(
        label=_("A photo of you or of your work"),
        help_text=_("JPEG, PNG or WebP."),  # with the size limit, added when the form is made
        required=False,
    )
    payout_method = forms.ChoiceField(
        label=_("How do you want to be paid?"),
        choices=PayoutMethod.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": CHOOSE_PAYOUT_METHOD},
    )
    wallet_phone = forms.CharField(
        label=_("Mobile wallet number"),
        help_text=_("Leave it empty if the wallet is on your mobile number."),
        max_length=30,
        required=False,
    )
    rib = forms.CharField(
        label=_("Bank RIB (24 digits)"),
        help_text=_(
            "It is on your bank papers or your cheque book: the bank code (3 digits), the city "
            "code (3), the account number (16) and the key (2). The key is calculated from the "
            "22 digits before it, so if one digit is wrong, the key does not match."
        ),
        max_length=40,
        required=False,
    )
    consent = forms.BooleanField(label=_("I agree"), required=False)

    # Inputs that keep their stored value when left empty: they are never sent back to the page.
    KEPT_WHEN_EMPTY = ("cin", "phone", "wallet_phone", "rib")

    def __init__(
        self,
        *args: Any,
        profile: ApplicantProfile | None = None,
        submitting: bool = False,
        **kwargs: Any,
    ) -> None:
        if profile is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "artisan_register_number": profile.artisan_register_number,
                "region": profile.region,
                "craft": str(profile.craft_id or ""),
                "shop_name": profile.shop_name,
                "payout_method": profile.payout_method or PayoutMethod.WALLET,
            }
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.submitting = submitting
        region = cast(forms.ChoiceField, self.fields["region"])
        region.choices = [("", gettext("Choose your region")), *region_choices()]
        region.error_messages["invalid_choice"] = _("Choose a region in the list.")
        craft = cast(forms.ChoiceField, self.fields["craft"])
        craft.choices = [("", gettext("Choose your craft")), *craft_choices()]
        craft.error_messages["invalid_choice"] = _("Choose a craft in the list.")
        self.fields["payout_method"].initial = self.initial.get(
            "payout_method", PayoutMethod.WALLET
        )
        for name, attrs in {
            "cin": {"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"},
            "phone": {"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"},
            "wallet_phone": {"inputmode": "tel", "autocomplete": "off", "dir": "ltr"},
            "rib": {"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"},
            "shop_name": {"autocomplete": "organization"},
        }.items():
            self.fields[name].widget.attrs.update(attrs)
        for name in self.KEPT_WHEN_EMPTY:
            self.fields[name].widget = PersonalValueInput(attrs=self.fields[name].widget.attrs)
        example = example_phone()
        if example:
            self.fields["phone"].help_text = gettext(
                "We send you text messages on it. Example: %(example)s."
            ) % {"example": example}
        cast(PhotoField, self.fields["photo"]).describe_limit()

    def describe_fields(self) -> None:
        """Point each input at its hint, its stored value and its error, for screen readers.

        Called just before rendering: what is stored and what failed are known only then.
        """
        for name, field in self.fields.items():
            described = [f"id_{name}_hint"] if field.help_text else []
            if name in self.KEPT_WHEN_EMPTY and self.stored(name):
                described.append(f"id_{name}_kept")
            if name in self.errors:
                described.append(f"id_{name}_error")
                field.widget.attrs["aria-invalid"] = "true"
                if isinstance(field.widget, PersonalValueInput):
                    field.widget.shows_value = True
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    def error_target(self, name: str) -> str:
        """The id the error summary links to for field ``name``."""
        return f"id_{name}_0" if name == "payout_method" else f"id_{name}"

    # -- What is stored -------------------------------------------------------------------

    def stored(self, name: str) -> str:
        return str(getattr(self.profile, name, "") or "") if self.profile else ""

    def masked(self) -> dict[str, str]:
        """The stored personal values, masked, by field name (missing ones left out)."""
        maskers = {
            "cin": pii.mask_cin,
            "phone": mask_phone,
            "wallet_phone": mask_phone,
            "rib": pii.mask_rib,
        }
        return {
            name: mask(self.stored(name)) for name, mask in maskers.items() if self.stored(name)
        }

    def has_photo(self) -> bool:
        return bool(self.profile and self.profile.photo)

    # -- Checks ---------------------------------------------------------------------------

    def _needed(self, given: Any, stored: Any = False) -> bool:
        """Whether an answer must be read: it was given, or the application is being sent
        without one stored."""
        return bool(given) or (self.submitting and not stored)

    def _missing(self, message: str) -> None:
        if self.submitting:
            raise ValidationError(message, code="required")

    def _read_kept(self, name: str, reader: Callable[[str], str]) -> str:
        # An empty input keeps the stored value; the reader says what is wrong with the rest,
        # including an answer missing when there is none.
        value = self.cleaned_data[name].strip()
        return reader(value) if self._needed(value, self.stored(name)) else ""

    def clean_cin(self) -> str:
        return self._read_kept("cin", read_cin)

    def clean_phone(self) -> str:
        return self._read_kept("phone", read_phone)

    def clean_wallet_phone(self) -> str:
        value = self.cleaned_data["wallet_phone"].strip()
        return read_phone(value) if value else ""

    def clean_payout_method(self) -> str:
        value = self.cleaned_data["payout_method"]
        return read_payout_method(value) if self._needed(value) else ""

    def clean_rib(self) -> str:
        value = self.cleaned_data["rib"].strip()
        if self.cleaned_data.get("payout_method") != PayoutMethod.BANK:
            return read_rib(value) if value else ""
        return self._read_kept("rib", read_rib)

    def clean_region(self) -> str:
        value = self.cleaned_data["region"]
        if not value:
            self._missing(gettext("Choose your region."))
        return value

    def clean_craft(self) -> Craft | None:
        value = self.cleaned_data["craft"]
        if not value:
            self._missing(gettext("Choose your craft."))
            return None
        return Craft.objects.get(pk=value)

    def clean_shop_name(self) -> str:
        value = without_bidi_controls(self.cleaned_data["shop_name"]).strip()
        if not value:
            self._missing(gettext("Enter the name of your shop."))
        return value

    def clean_photo(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("photo")
        if not upload and not self.has_photo():
            self._missing(gettext("Add a photo of you or of your work."))
        return upload or None

    def clean_consent(self) -> bool:
        given = bool(self.cleaned_data["consent"])
        if self.submitting:
            read_consent(given, str(CONSENT_TEXT))
        return given

    # -- What the services get ------------------------------------------------------------

    def draft_values(self, photo: Any = None) -> dict[str, Any]:
        """The fields to change in the draft: every valid answer, except empty inputs that keep
        a stored personal value, and the fields that failed their check."""
        values: dict[str, Any] = {}
        for name in (
            "cin",
            "phone",
            "wallet_phone",
            "rib",
            "artisan_register_number",
            "region",
            "craft",
            "shop_name",
            "payout_method",
        ):
            if name in self.errors or name not in self.cleaned_data:
                continue
            value = self.cleaned_data[name]
            if name in self.KEPT_WHEN_EMPTY and not value:
                continue
            values[name] = value
        if values.get("payout_method") == PayoutMethod.BANK:
            values["wallet_phone"] = ""
        if photo is not None:
            values["photo"] = photo
        return values

    def application(self, photo: Any = None) -> dict[str, Any]:
        """The whole application for :func:`onboarding.applications.submit_application`,
        stored values filling the inputs left empty."""
        data = self.cleaned_data

        def answer(name: str) -> str:
            return data.get(name) or self.stored(name)

        method = data.get("payout_method") or PayoutMethod.WALLET
        return {
            "consent": bool(data.get("consent")),
            "consent_text": str(CONSENT_TEXT),
            "cin": answer("cin"),
            "phone": answer("phone"),
            "wallet_phone": answer("wallet_phone") if method == PayoutMethod.WALLET else "",
            "rib": answer("rib") if method == PayoutMethod.BANK else "",
            "payout_method": method,
            "artisan_register_number": data.get("artisan_register_number", ""),
            "region": data.get("region", ""),
            "craft": data.get("craft"),
            "shop_name": data.get("shop_name", ""),
            "photo": photo if photo is not None else (self.profile.photo if self.profile else None),
        }
