from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maalem.core"
    label = "maalem_core"
    verbose_name = _("Maalem core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # checks registers the system checks.
        from . import checks, export_jobs, kernel_data, personal_data, retention  # noqa: F401

        personal_data.register("account", exporter=kernel_data.export, eraser=kernel_data.erase)
        retention.register("exports", export_jobs.purge_expired)
