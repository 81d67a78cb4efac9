from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerdaConfig(AppConfig):
    name = "perda"
    verbose_name = _("Pembentukan Perda")

    def ready(self) -> None:
        # The enacted regulation is a document the Wali Kota signs electronically (TTE).
        from . import signing

        signing.connect()
