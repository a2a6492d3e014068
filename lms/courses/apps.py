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

        from maalem.core import background_exports

        from .reports import can_view_progress_report

        # The progress by learner has a row per enrolment, 600,000 nationally: a worker writes
        # it, so that no web process waits on it. The per-course report reads its few rows from
        # the totals kept as learners work (CourseRollup), so it downloads at once.
        background_exports.register(
            "lms_learner_report",
            label=_("Progress by learner"),
            may_export=can_view_progress_report,
        )
