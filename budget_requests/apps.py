from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetRequestsConfig(AppConfig):
    name = "budget_requests"
    verbose_name = _("Anggaran perbaikan TI")

    def ready(self) -> None:
        # Notifications and PDF documents follow the request's events.
        from . import notifications, pdf, signing

        notifications.connect()
        pdf.connect()
        signing.connect()  # its PDFs are documents their officials sign electronically (TTE)
