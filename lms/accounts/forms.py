from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .flows import CODE_DIGITS
from .phones import normalise_phone


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
