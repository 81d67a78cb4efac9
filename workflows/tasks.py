"""Thin, idempotent Celery tasks of the shared engine. Each takes plain values and calls one service.

Every task runs under the time limits of the settings (``CELERY_TASK_SOFT_TIME_LIMIT``/``CELERY_TASK_TIME_LIMIT``;
PDF renders under ``PAMONG_RENDER_*``) and retries only on ``TRANSIENT_ERRORS`` — a lost database or broker
connection, a timeout — never on a business error, which would fail the same way again.
"""
import smtplib
import socket

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerOperationalError

# Errors worth a retry: the database or the broker went away, a connection was refused or timed out.
TRANSIENT_ERRORS = (
    OperationalError, InterfaceError, BrokerOperationalError, ConnectionError, TimeoutError, socket.timeout,
    smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError,
)
RETRY = dict(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=settings.PAMONG_TASK_RETRY_BACKOFF_MAX,
             retry_jitter=True)
RENDER_LIMITS = dict(soft_time_limit=settings.PAMONG_RENDER_SOFT_TIME_LIMIT, time_limit=settings.PAMONG_RENDER_TIME_LIMIT)


@shared_task(max_retries=5, **RETRY)
def fire_workflow_timers() -> int:
    """Fire viewflow timers that are due (reminders, escalations). Scheduled by beat every minute."""
    from viewflow.workflow.timers import fire_due_timers

    return fire_due_timers()


@shared_task(max_retries=5, **RETRY)
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


@shared_task(max_retries=6, **RETRY)
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification. Idempotent: does nothing when its ``emailed_at`` is already set."""
    from .services.notify import notification_send_email

    return notification_send_email(notification_id=notification_id)


@shared_task(bind=True, max_retries=5, **RETRY, **RENDER_LIMITS)
def render_document(self, doc_id: int) -> str | None:
    """Render a requested PDF. Idempotent: a document already ready is not rendered again, nor one another
    worker is rendering right now (a duplicate delivery); a retry takes over its own unfinished attempt."""
    from .services.documents import document_render

    doc = document_render(doc_id=doc_id, retry=self.request.retries > 0)
    return doc.status if doc else None


@shared_task(max_retries=3, **RETRY)
def requeue_stale_documents() -> list[int]:
    """Queue again the PDFs a killed worker left pending or rendering. Scheduled by beat."""
    from .services.documents import document_requeue_stale

    return document_requeue_stale()
