"""Celery tasks of budget_requests, found by the worker's ``autodiscover_tasks`` (which looks for ``<app>.tasks``).
The repair documents' task lives in ``pdf.py``; the complaint outbox's in ``complaints/tasks.py``."""
from .complaints.tasks import deliver_complaint_update, sweep_complaint_outbox  # noqa: F401
