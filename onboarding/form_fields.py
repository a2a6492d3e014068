"""Fields and widgets of the application form."""

from __future__ import annotations

from typing import Any

from django import forms

from .photos import check_photo


class NeverShownInput(forms.TextInput):
    """A text input that is always rendered empty, even after a post with a mistake: a
    national ID or a phone number never goes back into a page."""

    def format_value(self, value: Any) -> None:
        return None


class PhotoField(forms.FileField):
    """An uploaded photo, checked by :func:`onboarding.photos.check_photo`."""

    default_validators = [check_photo]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "accept": "image/jpeg,image/png,image/webp"}
