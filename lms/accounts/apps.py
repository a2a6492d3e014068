from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "maalem_accounts"
    verbose_name = _("Learner accounts")
    default_auto_field = "django.db.models.BigAutoField"
