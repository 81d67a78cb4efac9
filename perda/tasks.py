"""Thin, idempotent Celery tasks of the formation process. Each takes ids and calls one service; retries only on
transient errors, under the settings' time limits (the PDF under the render limits)."""
from celery import shared_task

from workflows.tasks import RENDER_LIMITS, RETRY


@shared_task(max_retries=5, **RETRY, **RENDER_LIMITS)
def enacted_pdf_render(regulation_id: int) -> str:
    """Render and freeze the enacted regulation's PDF (SHA-256 stored). A second run changes nothing."""
    from .services.enactment import enacted_pdf_freeze

    return enacted_pdf_freeze(regulation_id=regulation_id)


@shared_task(max_retries=3, **RETRY)
def formation_check_deadlines() -> int:
    """Send due reminders and escalations for the formation deadlines. Scheduled daily by beat; idempotent."""
    from .services.formation import formation_check_deadlines as check

    return len(check())

