from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerdaConfig(AppConfig):
    name = "perda"
    verbose_name = _("Pembentukan Perda")
