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
        from . import checks, receivers, tasks  # noqa: F401
