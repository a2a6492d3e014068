from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "onboarding"
    label = "maalem_onboarding"
    verbose_name = _("Seller onboarding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the checks, connects the receivers, and registers the tasks, which the
        # outbox queues by name (see onboarding.queueing).
        from maalem.core import personal_data as kernel_data
        from maalem.core import retention as kernel_retention

        from . import checks, erasure, personal_data, receivers, retention, tasks  # noqa: F401

        kernel_data.register(
            "onboarding", exporter=personal_data.export, eraser=personal_data.erase
        )

        kernel_retention.register("onboarding", retention.purge_expired)

        # Every case (50,000 nationally) in one file: written by a worker.
        from maalem.core import background_exports

        background_exports.register(
            "onboarding_case:index",
            label=_("Cases"),
            may_export=lambda user: user.has_perm("maalem_onboarding.view_onboardingcase"),
        )
        kernel_retention.register("onboarding_erasure", erasure.purge_expired)
