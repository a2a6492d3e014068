from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maalem.core.phones import normalise_phone
from maalem.core.text import without_bidi_controls

from .flows import CODE_DIGITS


def western_digits(text: str) -> str:
    """``text`` with Arabic-Indic and other Unicode digits turned into 0-9, spaces removed.

    Phones set to Arabic type ٠١٢٣٤٥٦٧٨٩; the code in the SMS may be read and typed either way.
    """
    return "".join(
        str(unicodedata.digit(char)) if char.isdigit() else char
        for char in text
        if not char.isspace() and char not in "-."
    )


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=32,
        error_messages={"required": _("Enter your mobile phone number.")},
    )

    def clean_phone(self) -> str:
        return normalise_phone(western_digits(self.cleaned_data["phone"]))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        error_messages={"required": _("Type the code from the SMS.")},
    )

    def clean_code(self) -> str:
        code = western_digits(self.cleaned_data["code"])
        if len(code) != CODE_DIGITS or not code.isdigit():
            raise ValidationError(_("The code has 6 digits."), code="invalid")
        return code


def has_a_letter(value: str) -> None:
    if not any(char.isalpha() for char in value):
        raise ValidationError(_("Write your name with letters."), code="no_letters")


class NameForm(forms.Form):
    """The name printed on the learner's certificates, as on their national ID card."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        validators=[has_a_letter],
        error_messages={"required": _("Write your first name.")},
    )
    last_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        validators=[has_a_letter],
        error_messages={"required": _("Write your family name.")},
    )

    def clean_first_name(self) -> str:
        return without_bidi_controls(self.cleaned_data["first_name"]).strip()

    def clean_last_name(self) -> str:
        return without_bidi_controls(self.cleaned_data["last_name"]).strip()
