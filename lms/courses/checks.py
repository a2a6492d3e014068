from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Info, register


@register()
def check_i18n(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        errors.append(
            Error(
                "lms.courses needs WAGTAIL_I18N_ENABLED = True: a learner's progress follows a "
                "course across its translations.",
                id="lms.E001",
            )
        )
    if "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE:
        errors.append(
            Error(
                "lms.courses needs django.middleware.locale.LocaleMiddleware for learner pages "
                "in Arabic, French and English.",
                id="lms.E002",
            )
        )
    return errors


@register()
def check_shared_cache(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or "locmem" not in backend.lower():
        return []
    return [
        Info(
            "The default cache is local to each process. Learner pages cache page URLs and lesson "
            "lists for 5 minutes; with several web processes, use a shared cache such as Redis so "
            "that an edit shows everywhere at once.",
            id="lms.I001",
        )
    ]


LEARNER_LAYOUT_PROCESSOR = "lms.courses.context_processors.learner_layout"


@register()
def check_learner_layout(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not hasattr(settings, "LMS_BASE_TEMPLATE"):
        return []
    engines: list[dict[str, Any]] = settings.TEMPLATES
    processors = [
        processor
        for engine in engines
        if engine.get("BACKEND") == "django.template.backends.django.DjangoTemplates"
        for processor in engine.get("OPTIONS", {}).get("context_processors", [])
    ]
    if LEARNER_LAYOUT_PROCESSOR in processors:
        return []
    return [
        Error(
            f"LMS_BASE_TEMPLATE is set, but learner pages only see it through the context "
            f"processor {LEARNER_LAYOUT_PROCESSOR}: add it to TEMPLATES' context_processors.",
            id="lms.E003",
        )
    ]
