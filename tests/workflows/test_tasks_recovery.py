"""Background work that recovers: time limits on every task, retries only for transient errors, stale PDFs
queued again, a duplicate delivery not rendered twice."""
import datetime as dt

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from config.celery import app
from tests.factories import UserFactory
from workflows.models import GeneratedDocument, GeneratedDocumentStatus as Status
from workflows.services.documents import document_render, document_request, document_requeue_stale
from workflows.tasks import TRANSIENT_ERRORS, render_document, send_notification_email

from .test_documents import RENDERER, fake_render  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

PROJECT_TASK_PREFIXES = ("workflows.", "perda.", "budget_requests.")


def _project_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if name.startswith(PROJECT_TASK_PREFIXES)}


def test_every_task_has_time_limits_and_retries_only_transient_errors():
    tasks = _project_tasks()
    assert {"workflows.tasks.render_document", "perda.tasks.enacted_pdf_render",
            "budget_requests.request_documents", "workflows.tasks.requeue_stale_documents"} <= set(tasks)
    for name, task in tasks.items():
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        hard = task.time_limit or app.conf.task_time_limit
        assert soft and hard and soft < hard, name
        retried = tuple(getattr(task, "autoretry_for", ()) or ())
        assert Exception not in retried and all(issubclass(e, TRANSIENT_ERRORS) for e in retried), name
    for name in ("workflows.tasks.render_document", "perda.tasks.enacted_pdf_render"):
        assert tasks[name].time_limit == settings.PAMONG_RENDER_TIME_LIMIT > app.conf.task_time_limit


def test_broker_visibility_timeout_outlasts_the_longest_task_and_retry_wait():
    longest = max(t.time_limit or app.conf.task_time_limit for t in _project_tasks().values())
    if settings.CELERY_BROKER_URL.startswith("redis"):
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT
    assert settings.CELERY_VISIBILITY_TIMEOUT > max(longest, settings.PAMONG_TASK_RETRY_BACKOFF_MAX)
    assert "requeue-stale-documents" in settings.CELERY_BEAT_SCHEDULE
    assert settings.PAMONG_DOCUMENT_GIVE_UP_SECONDS > 2 * settings.PAMONG_DOCUMENT_STALE_SECONDS > 2 * settings.PAMONG_RENDER_TIME_LIMIT


@pytest.fixture
def eager_retries():
    """Eager Celery re-runs a retried task at once, unless it propagates the first error to the caller."""
    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = saved


def test_a_business_error_is_not_retried(monkeypatch, eager_retries):
    calls = []

    def refuse(*, notification_id):
        calls.append(notification_id)
        raise ValueError("alamat e-mail tidak sah")

    monkeypatch.setattr("workflows.services.notify.notification_send_email", refuse)
    result = send_notification_email.delay(7)
    assert result.failed() and isinstance(result.result, ValueError)
    assert calls == [7]


def test_a_transient_error_is_retried(monkeypatch, eager_retries):
    calls = []

    def flaky(*, notification_id):
        calls.append(notification_id)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return True

    monkeypatch.setattr("workflows.services.notify.notification_send_email", flaky)
    assert send_notification_email.delay(7).get() is True
    assert calls == [7, 7, 7]


@pytest.fixture
def doc(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("workflows.services.documents._queue_render", lambda doc_id: None)  # left pending
    owner = UserFactory(last_name="Siti")
    return document_request(obj=owner, kind="kartu", renderer=RENDERER, actor=owner)


def _age(doc, *, seconds, status):
    then = timezone.now() - dt.timedelta(seconds=seconds)
    GeneratedDocument.objects.filter(pk=doc.pk).update(status=status, started_at=then, created_at=then)


def test_a_document_left_rendering_by_a_killed_worker_is_queued_again_and_rendered(doc, fake_render, monkeypatch):
    monkeypatch.setattr("workflows.services.documents._queue_render", lambda doc_id: render_document.delay(doc_id))
    _age(doc, seconds=settings.PAMONG_DOCUMENT_STALE_SECONDS + 5, status=Status.RENDERING)
    assert document_requeue_stale() == [doc.pk]
    assert GeneratedDocument.objects.get(pk=doc.pk).status == Status.READY and len(fake_render) == 1
    assert document_requeue_stale() == []


def test_a_recent_render_is_left_to_its_worker(doc, fake_render):
    _age(doc, seconds=5, status=Status.RENDERING)
    assert document_requeue_stale() == []
    # A duplicate delivery of its message does not render it a second time; the task's own retry does.
    assert document_render(doc_id=doc.pk).status == Status.RENDERING and fake_render == []
    assert document_render(doc_id=doc.pk, retry=True).status == Status.READY and len(fake_render) == 1


def test_a_stale_pending_document_is_queued_again(doc, fake_render, monkeypatch):
    queued = []
    _age(doc, seconds=settings.PAMONG_DOCUMENT_STALE_SECONDS + 5, status=Status.PENDING)
    monkeypatch.setattr("workflows.services.documents._queue_render", queued.append)
    assert document_requeue_stale() == [doc.pk] and queued == [doc.pk]


def test_a_render_interrupted_again_and_again_is_given_up(doc, fake_render):
    stale = settings.PAMONG_DOCUMENT_STALE_SECONDS
    GeneratedDocument.objects.filter(pk=doc.pk).update(
        status=Status.RENDERING, created_at=timezone.now() - dt.timedelta(seconds=settings.PAMONG_DOCUMENT_GIVE_UP_SECONDS + 5),
        started_at=timezone.now() - dt.timedelta(seconds=stale + 5))
    assert document_requeue_stale() == []
    doc = GeneratedDocument.objects.get(pk=doc.pk)
    assert doc.status == Status.FAILED and "terputus" in doc.error and fake_render == []


def test_a_render_over_its_soft_time_limit_fails_visibly(doc, monkeypatch):
    def too_long(html, *, base_url=None):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr("workflows.pdf.render_pdf", too_long)
    result = document_render(doc_id=doc.pk)
    assert result.status == Status.FAILED and "SoftTimeLimitExceeded" in result.error
