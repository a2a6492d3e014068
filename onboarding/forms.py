"""The learner's application form (KYC): what it asks, how each answer is checked, and what it
keeps of a draft.

The form checks and normalises; saving is :func:`onboarding.workflow.save_draft` and
:func:`onboarding.workflow.submit_application`. The national ID, the phone numbers and the RIB
are never shown back: a learner who returns sees them masked, with an empty input that keeps the
stored value unless they type a new one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from localflavor.ma.ma_regions import REGION_CHOICES
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from lms.crafts.models import Craft
from maalem.core import phones

from . import pii
from .conf import app_settings
from .models import ApplicantProfile, OnboardingCase, PayoutMethod

#: Shown above the consent box and stored with the application, in the learner's language.
CONSENT_TEXT = _(
    "I agree that Maalem sends my name, national ID number, phone number, shop details and "
    "payout details to the payment provider, to open my seller account and pay me. I can "
    "withdraw my consent at any time."
)
PHOTO_COLLECTION = "Seller photos"
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}

# django-localflavor names Morocco's regions in French and has no Arabic for them; the same
# names are marked here so that onboarding's catalogue translates them.
REGION_NAMES = (
    gettext_noop("Tanger-Tétouan-Al Hoceïma"),
    gettext_noop("L’Oriental"),
    gettext_noop("Fès-Meknès"),
    gettext_noop("Rabat-Salé-Kénitra"),
    gettext_noop("Béni Mellal-Khénifra"),
    gettext_noop("Casablanca-Settat"),
    gettext_noop("Marrakech-Safi"),
    gettext_noop("Drâa-Tafilalet"),
    gettext_noop("Souss-Massa"),
    gettext_noop("Guelmim-Oued Noun"),
    gettext_noop("Laâyoune-Sakia El Hamra"),
    gettext_noop("Dakhla-Oued Ed Dahab"),
)


def region_choices() -> list[tuple[str, str]]:
    """The regions a learner picks from: ``ONBOARDING_REGIONS`` if set, else Morocco's 12.

    The value stored is the region's untranslated name, so it reads the same in every language
    and ``ApplicantProfile.region_name`` translates it for display.
    """
    configured = app_settings.REGIONS
    if configured:
        names = [str(name) for _code, name in configured]
    else:
        with translation.override(None):
            names = [str(name) for _code, name in REGION_CHOICES]
    return [(name, translation.gettext(name)) for name in names]


def craft_choices() -> list[tuple[str, Any]]:
    """Crafts grouped by production chain, for a select with ``<optgroup>``s."""
    groups: dict[Any, list[tuple[str, str]]] = {}
    for craft in Craft.objects.select_related("chain").order_by("chain__code", "code"):
        groups.setdefault(craft.chain, []).append((str(craft.pk), craft.name))
    return [
        (chain.name, sorted(crafts, key=lambda choice: choice[1]))
        for chain, crafts in sorted(groups.items(), key=lambda item: item[0].name)
    ]


def photo_max_size() -> int:
    return app_settings.PHOTO_MAX_SIZE


class NeverShownInput(forms.TextInput):
    """A text input that is always rendered empty, even after a post with a mistake: a
    national ID or a phone number never goes back into a page."""

    def format_value(self, value: Any) -> None:
        return None


class KYCForm(forms.Form):
    """The application. ``submitting`` decides which answers are required: a draft may be
    incomplete, but whatever it holds must be valid."""

    consent = forms.BooleanField(label=_("I agree"), required=False)
    cin = forms.CharField(
        label=_("National ID card number (CIN)"),
        help_text=_("1 or 2 letters, then the digits, as on your card."),
        max_length=20,
        required=False,
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        help_text=_("We send you text messages on it. Example: 06 12 34 56 78."),
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
    photo = forms.FileField(
        label=_("A photo of you or of your work"),
        help_text=_("JPEG, PNG or WebP."),
        required=False,
    )
    payout_method = forms.ChoiceField(
        label=_("How do you want to be paid?"),
        choices=PayoutMethod.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose a mobile wallet or a bank account.")},
    )
    wallet_phone = forms.CharField(
        label=_("Mobile wallet number"),
        help_text=_("Leave it empty if the wallet is on your mobile number."),
        max_length=30,
        required=False,
    )
    rib = forms.CharField(
        label=_("Bank RIB (24 digits)"),
        help_text=_("It is on your bank card's papers or your cheque book."),
        max_length=40,
        required=False,
    )

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
        self.fields["region"].choices = [("", _("Choose your region"))] + region_choices()
        self.fields["region"].error_messages["invalid_choice"] = _("Choose a region in the list.")
        self.fields["craft"].choices = [("", _("Choose your craft"))] + craft_choices()
        self.fields["craft"].error_messages["invalid_choice"] = _("Choose a craft in the list.")
        self.fields["payout_method"].initial = self.initial.get(
            "payout_method", PayoutMethod.WALLET
        )
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        for name, attrs in {
            "cin": {"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"},
            "phone": {"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"},
            "wallet_phone": {"inputmode": "tel", "autocomplete": "off", "dir": "ltr"},
            "rib": {"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"},
            "shop_name": {"autocomplete": "organization"},
        }.items():
            self.fields[name].widget.attrs.update(attrs)
        for name in self.KEPT_WHEN_EMPTY:
            self.fields[name].widget = NeverShownInput(attrs=self.fields[name].widget.attrs)

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
            "phone": phones.mask_phone,
            "wallet_phone": phones.mask_phone,
            "rib": pii.mask_rib,
        }
        return {
            name: mask(self.stored(name)) for name, mask in maskers.items() if self.stored(name)
        }

    def has_photo(self) -> bool:
        return bool(self.profile and self.profile.photo_id)

    # -- Checks ---------------------------------------------------------------------------

    def _required(self, name: str, message: str) -> None:
        if self.submitting:
            raise ValidationError(message, code="required")

    def clean_cin(self) -> str:
        value = self.cleaned_data["cin"].strip()
        if not value:
            if not self.stored("cin"):
                self._required("cin", _("Enter your national ID card number."))
            return ""
        return pii.normalise_cin(value)

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if not value:
            if not self.stored("phone"):
                self._required("phone", _("Enter your mobile phone number."))
            return ""
        return phones.normalise_phone(value)

    def clean_wallet_phone(self) -> str:
        value = self.cleaned_data["wallet_phone"].strip()
        return phones.normalise_phone(value) if value else ""

    def clean_rib(self) -> str:
        value = self.cleaned_data["rib"].strip()
        return pii.validate_rib(value) if value else ""

    def clean_region(self) -> str:
        value = self.cleaned_data["region"]
        if not value:
            self._required("region", _("Choose your region."))
        return value

    def clean_craft(self) -> Craft | None:
        value = self.cleaned_data["craft"]
        if not value:
            self._required("craft", _("Choose your craft."))
            return None
        return Craft.objects.get(pk=value)

    def clean_shop_name(self) -> str:
        value = self.cleaned_data["shop_name"].strip()
        if not value:
            self._required("shop_name", _("Enter the name of your shop."))
        return value

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        if not upload:
            if not self.has_photo():
                self._required("photo", _("Add a photo of you or of your work."))
            return None
        if upload.size > photo_max_size():
            raise ValidationError(
                _("This photo is too big (%(size)s). Send a photo smaller than %(limit)s."),
                code="photo_too_big",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(photo_max_size()),
                },
            )
        try:
            with PILImage.open(upload) as image:
                image_format = image.format
                image.verify()
        except Exception:  # noqa: BLE001  Pillow raises many kinds of errors on a bad file.
            image_format = None
        upload.seek(0)
        if image_format not in PHOTO_FORMATS:
            raise ValidationError(
                _("This file is not a photo we can use. Send a JPEG, PNG or WebP photo."),
                code="photo_format",
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        method = cleaned.get("payout_method") or ""
        if self.submitting:
            if not cleaned.get("consent"):
                self.add_error(
                    "consent",
                    ValidationError(
                        _("Tick the box to agree before you send the form."), code="required"
                    ),
                )
            if not method and "payout_method" not in self.errors:
                self.add_error(
                    "payout_method",
                    ValidationError(
                        _("Choose a mobile wallet or a bank account."), code="required"
                    ),
                )
            if (
                method == PayoutMethod.BANK
                and not cleaned.get("rib")
                and not self.stored("rib")
                and "rib" not in self.errors
            ):
                self.add_error(
                    "rib",
                    ValidationError(_("Enter the 24 digits of your bank RIB."), code="required"),
                )
        return cleaned

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
        """The whole application for ``workflow.submit_application``, stored values filling
        the inputs left empty."""
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


def store_photo(case: OnboardingCase, upload: Any, learner: Any) -> Any:
    """Keep an uploaded photo as a Wagtail image in the "Seller photos" collection.

    The title names the case, not the person: image titles show up in the admin and in logs.
    """
    image_model = get_image_model()
    image = image_model(
        title=f"Seller photo, case {case.pk}",
        file=upload,
        collection=seller_photos_collection(),
        uploaded_by_user=learner,
    )
    image._set_image_file_metadata()
    image.save()
    return image


def seller_photos_collection() -> Collection:
    existing = Collection.objects.filter(name=PHOTO_COLLECTION).first()
    if existing is not None:
        return existing
    # Wagtail's migrations create the root collection; a site whose data was flushed has none.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return root.add_child(name=PHOTO_COLLECTION)
