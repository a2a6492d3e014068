from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "lms.certificates"
    label = "maalem_certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # receivers connects the course_completed receiver; tasks registers the tasks that
        # lms.certificates.queueing sends by name.
        from maalem.core import personal_data as kernel

        from . import checks, personal_data, receivers, tasks  # noqa: F401

        kernel.register("certificates", exporter=personal_data.export, eraser=personal_data.erase)
