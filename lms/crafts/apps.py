from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CraftsConfig(AppConfig):
    name = "lms.crafts"
    label = "maalem_crafts"
    verbose_name = _("Crafts")
    default_auto_field = "django.db.models.BigAutoField"
