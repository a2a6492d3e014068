from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaalemCoreConfig(AppConfig):
    name = "maalem.core"
    label = "maalem_core"
    verbose_name = _("Maalem core")
