"""Renderer module for ``workflows.services.documents``: the consultation report PDF (comments per provision
with dispositions). ``document_request`` stores the HTML and a Celery task renders it, with a status the page
shows; ``can_view`` decides who may download it."""
from __future__ import annotations

from .models import Consultation

REPORT_KIND = "perda-consultation-report"
REPORT_RENDERER = "perda.reports.consultation_report_html"


def consultation_report_html(consultation: Consultation) -> str:
    from .services.consultation import consultation_report_html as build

    return build(consultation=consultation)


def can_view(user, consultation: Consultation) -> bool:
    from .policy import may_view_formation

    return may_view_formation(user)
