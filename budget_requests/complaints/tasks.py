"""Thin Celery tasks of the complaint outbox: send one status update back to its source, and sweep the ones
whose next attempt is due (beat). Both are idempotent: a delivered update is never sent again."""
from __future__ import annotations

from celery import shared_task
from django.conf import settings

from workflows.tasks import RETRY


@shared_task(bind=True, max_retries=settings.COMPLAINT_OUTBOX_MAX_ATTEMPTS, acks_late=True,
             soft_time_limit=settings.COMPLAINT_OUTBOX_TIMEOUT_SECONDS + 20,
             time_limit=settings.COMPLAINT_OUTBOX_TIMEOUT_SECONDS + 40, **RETRY)
def deliver_complaint_update(self, update_id: int) -> str:
    """Send update ``update_id``. The source being down is transient: retry with a doubling pause (the row's
    ``next_attempt_at``); once the retries are spent the row stays undelivered for the sweeper and the
    operator's page."""
    from .services import outbox_deliver, retry_pause

    outcome = outbox_deliver(update_id=update_id)
    # An eager run (tests, a seed) does not retry in place: the row waits for the sweeper instead.
    if outcome == "retry" and not self.request.is_eager and self.request.retries < self.max_retries:
        raise self.retry(countdown=retry_pause(self.request.retries + 1).total_seconds())
    return outcome


@shared_task(max_retries=3, **RETRY)
def sweep_complaint_outbox() -> list[int]:
    """Queue every undelivered update whose next attempt is due (beat)."""
    from .services import outbox_due

    due = outbox_due()
    for pk in due:
        deliver_complaint_update.delay(pk)
    return due
