from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "lms.courses"
    label = "maalem_courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, signal_handlers  # noqa: F401  (registers the system checks)

        signal_handlers.register()

        from maalem.core import personal_data as kernel

        from . import personal_data

        kernel.register("courses", exporter=personal_data.export, eraser=personal_data.erase)
