from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString
from wagtail import hooks


def your_data_url() -> str:
    """The "Your data" page, if the host site includes ``lms.accounts.rights_urls``."""
    try:
        return reverse("maalem_rights:your_data")
    except NoReverseMatch:
        return ""


@hooks.register("lms_my_learning_sections")
def your_name_on_certificates(request: HttpRequest) -> SafeString | None:
    """Shows the name that certificates print, with a link to change it, and the way to the
    learner's data."""
    if not request.user.is_authenticated:
        return None
    return render_to_string(
        "accounts/my_learning_section.html", {"your_data_url": your_data_url()}, request=request
    )
