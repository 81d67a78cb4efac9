"""Thin, idempotent Celery tasks of the shared engine. Each takes plain values and calls one service."""
import socket

from celery import shared_task
from django.db import transaction


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def fire_workflow_timers() -> int:
    """Fire viewflow timers that are due (reminders, escalations). Scheduled by beat every minute."""
    from viewflow.workflow.timers import fire_due_timers

    return fire_due_timers()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def seal_audit_log() -> int | None:
    """Seal the audit events written since the last seal. Running it twice in a row seals nothing new."""
    from .services.audit import audit_seal

    seal = audit_seal()
    return seal.pk if seal else None


@shared_task
def heartbeat(token: str) -> str:
    """Write one row so a caller can see that a real worker ran (health checks, the services test)."""
    from .models import WorkerHeartbeat

    with transaction.atomic():
        WorkerHeartbeat.objects.get_or_create(token=token, defaults={"worker": socket.gethostname()})
    return token


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=6)
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification. Idempotent: does nothing when its ``emailed_at`` is already set."""
    from .services.notify import notification_send_email

    return notification_send_email(notification_id=notification_id)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def render_document(doc_id: int) -> str | None:
    """Render a requested PDF. Idempotent: a document already ready is not rendered again."""
    from .services.documents import document_render

    doc = document_render(doc_id=doc_id)
    return doc.status if doc else None
