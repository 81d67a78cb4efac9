"""Celery tasks of budget_requests, found by the worker's ``autodiscover_tasks`` (which looks for ``<app>.tasks``).
The repair documents' task lives in ``pdf.py``; the complaint outbox's in ``complaints/tasks.py``; the fold of
the finance summaries' pending changes is here."""
from celery import shared_task

from workflows.tasks import RETRY

from .complaints.tasks import deliver_complaint_update, sweep_complaint_outbox  # noqa: F401


@shared_task(max_retries=3, soft_time_limit=120, time_limit=150, **RETRY)
def fold_finance_figures() -> int:
    """Add the pending summary changes to the finance summaries (``services.summaries.figures_fold``), so that
    readers seldom have any to fold. Idempotent: a change is added once and then deleted."""
    from .services.summaries import figures_fold

    return figures_fold()
