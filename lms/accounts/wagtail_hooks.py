from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from wagtail import hooks


@hooks.register("lms_my_learning_sections")
def your_name_on_certificates(request: HttpRequest) -> SafeString | None:
    """Shows the name that certificates print, with a link to change it."""
    if not request.user.is_authenticated:
        return None
    return render_to_string("accounts/my_learning_section.html", request=request)
