"""Thin, idempotent Celery tasks of the formation process. Each takes ids and calls one service."""
from celery import shared_task


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def enacted_pdf_render(regulation_id: int) -> str:
    """Render and freeze the enacted regulation's PDF (SHA-256 stored). A second run changes nothing."""
    from .services.enactment import enacted_pdf_freeze

    return enacted_pdf_freeze(regulation_id=regulation_id)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def formation_check_deadlines() -> int:
    """Send due reminders and escalations for the formation deadlines. Scheduled daily by beat; idempotent."""
    from .services.formation import formation_check_deadlines as check

    return len(check())

