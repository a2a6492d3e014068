from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "maalem_accounts"
    verbose_name = _("Learner accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from maalem.core import personal_data, retention
        from maalem.core.sms import register_phone_finder

        from . import personal_data as learner_data
        from .models import phone_of_learner
        from .retention import purge_expired

        retention.register("accounts", purge_expired)
        personal_data.register("accounts", exporter=learner_data.export, eraser=learner_data.erase)

        # Onboarding texts a learner who has not applied yet at the number she signs in with.
        register_phone_finder(phone_of_learner)
