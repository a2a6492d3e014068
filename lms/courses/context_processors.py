"""What every learner template needs from the settings, whoever renders it."""

from __future__ import annotations

from django.http import HttpRequest

from lms.conf import app_settings


def learner_layout(request: HttpRequest) -> dict[str, str]:
    """``lms_base_template``: the template learner pages extend (``LMS_BASE_TEMPLATE``).

    Learner templates of every app start with
    ``{% extends lms_base_template|default:"lms/base.html" %}``, so without this context
    processor they keep the layout that ships with lms.courses.
    """
    return {"lms_base_template": app_settings.BASE_TEMPLATE}
