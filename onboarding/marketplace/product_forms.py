"""The seller's product form: every field optional for a draft, checked for sale."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.crafts.models import Craft

from ..photos import check_photo, photo_max_size
from .prices import parse_price, price_input
from .product_models import Availability, Product

QUANTITY_NEEDED = _("Write how many you have in stock, 0 or more.")


class CraftChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ProductForm(forms.ModelForm):
    price_text = forms.CharField(
        label=_("Price in dirhams"),
        required=False,
        max_length=20,
        help_text=_("For example 120 or 120,50"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    craft = CraftChoice(
        label=_("Craft"), queryset=Craft.objects.order_by("name_fr"), required=False
    )
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        validators=[check_photo],
        help_text=_("Optional. You can add up to 5 photos."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = Product
        fields = [
            "title_ar",
            "title_fr",
            "description_ar",
            "description_fr",
            "availability",
            "quantity",
            "craft",
        ]
        labels = {
            "title_ar": _("Name in Arabic"),
            "title_fr": _("Name in French"),
            "description_ar": _("Description in Arabic (optional)"),
            "description_fr": _("Description in French (optional)"),
            "availability": _("How do you sell it?"),
            "quantity": _("How many do you have?"),
        }
        help_texts = {"quantity": _("Only for a product in stock.")}
        widgets = {
            "title_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "title_fr": forms.TextInput(attrs={"dir": "ltr", "lang": "fr"}),
            "description_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
            "description_fr": forms.Textarea(attrs={"rows": 3, "dir": "ltr", "lang": "fr"}),
            "availability": forms.RadioSelect,
            "quantity": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args: Any, for_sale: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.for_sale = for_sale
        self.fields["quantity"].required = False
        self.fields["availability"].required = False
        self.fields["photo"].widget.attrs["data-max-bytes"] = str(photo_max_size())
        if not self.is_bound and self.instance.price is not None:
            self.initial["price_text"] = price_input(self.instance.price)

    def clean_price_text(self) -> int | None:
        text = self.cleaned_data.get("price_text", "").strip()
        if not text:
            return None
        return parse_price(text)

    def clean_availability(self) -> str:
        return self.cleaned_data.get("availability") or Availability.MADE_TO_ORDER

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("availability") == Availability.IN_STOCK and data.get("quantity") is None:
            self.add_error("quantity", QUANTITY_NEEDED)
        return data

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if "price_text" not in self.errors:
            self.instance.price = self.cleaned_data.get("price_text")
        if self.cleaned_data.get("quantity") is None:
            self.instance.quantity = 0

    def check_for_sale(self, missing: dict[str, Any]) -> None:
        """Add what the product lacks to be put on sale as errors on its fields."""
        for name, message in missing.items():
            field = "price_text" if name == "price" else name
            if field not in self.errors:
                self.add_error(field, ValidationError(message, code="needed_for_sale"))


class PhotoForm(forms.Form):
    photo = forms.ImageField(
        label=_("Add a photo"),
        validators=[check_photo],
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        error_messages={"required": _("Choose a photo first.")},
    )
