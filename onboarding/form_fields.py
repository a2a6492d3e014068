"""Fields and widgets of the application form."""

from __future__ import annotations

from typing import Any

from babel.numbers import get_decimal_symbol
from django import forms
from django.utils.translation import gettext

from lms.courses.templatetags.lms_tags import babel_locale

from .photos import check_photo, photo_max_size
from .sizes import file_size_words, megabyte_words


class PersonalValueInput(forms.TextInput):
    """A text input for a national ID, a phone number or a RIB: rendered empty, so that a
    stored value never goes back into a page, except for the answer just refused, which the
    learner who typed it sees again to correct it (``shows_value``, set by the form)."""

    shows_value = False

    def format_value(self, value: Any) -> str | None:
        return super().format_value(value) if self.shows_value else None


class PhotoField(forms.FileField):
    """An uploaded photo, checked by :func:`onboarding.photos.check_photo`."""

    default_validators = [check_photo]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "accept": "image/jpeg,image/png,image/webp"}

    def describe_limit(self) -> None:
        """State the size limit in the hint, and give the page's script what it needs to refuse
        a photo that is too big before it is sent, in the words the server would use."""
        limit = photo_max_size()
        words = file_size_words(limit)
        self.help_text = gettext("JPEG, PNG or WebP, up to %(limit)s.") % {"limit": words}
        self.widget.attrs.update(
            {
                "data-max-bytes": str(limit),
                "data-too-big": gettext(
                    "This photo is too big (%(size)s). Send a photo smaller than %(limit)s."
                )
                % {"size": "{size}", "limit": words},
                "data-megabytes": megabyte_words(),
                "data-decimal": get_decimal_symbol(babel_locale()),
            }
        )
