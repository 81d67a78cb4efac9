"""A worker killed with SIGKILL in the middle of rendering PDFs (a decision letter, an SPP, a monthly finance
report): after a restart every document ends ready, through the beat sweeper that queues stale ones again."""
import os
import signal
import sys
import time
import uuid
from pathlib import Path

import pytest

from workflows.models import GeneratedDocument, GeneratedDocumentStatus as Status

from .conftest import database_url_for, start_worker

pytestmark = pytest.mark.services

RECOVERY_TIMEOUT = 60.0


def _worker(*, queue: str, tmp_path: Path, name: str, env_extra: dict[str, str], beat: bool):
    from django.conf import settings

    celery = str(Path(sys.executable).with_name("celery"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url_for(settings.DATABASES["default"]),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PYTHONUNBUFFERED": "1",
        **env_extra,
    }
    # setsid: the worker and its pool children form their own process group, killed together below.
    command = ["setsid", celery, "-A", "config", "worker", "--pool", "prefork", "--concurrency", "3",
               "--loglevel", "INFO", "--queues", queue, "--without-gossip", "--without-mingle",
               "--hostname", f"{queue}-{name}@%h"]
    if beat:
        command += ["--beat", "--schedule", str(tmp_path / "beat-schedule")]
    return start_worker(env=env, queue=queue, log_path=tmp_path / f"{name}.log", command=command)


def _kill_group(worker) -> None:
    try:
        os.killpg(worker.process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    worker.process.wait(timeout=10)


def _statuses(ids):
    from django.db import connection

    connection.close()  # see what the worker committed since the last look
    return dict(GeneratedDocument.objects.filter(pk__in=ids).values_list("kind", "status"))


def _wait(condition, *, timeout: float, what: str, worker, ids):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            rows = list(GeneratedDocument.objects.filter(pk__in=ids).values("kind", "status", "created_at",
                                                                           "started_at", "error"))
            pytest.fail(f"{what} not reached within {timeout:.0f} s; documents {rows}; worker log:\n"
                        f"{worker.log_text()[-4000:]}")
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_pdfs_of_a_worker_killed_mid_render_end_ready_after_restart(tangsel, settings, monkeypatch, tmp_path):
    from budget_requests.finance.reports import monthly_report_request
    from budget_requests.pdf import KIND_DECISION, KIND_SPP, request_document
    from budget_requests.services import request_approve
    from config.celery import app
    from tests.budget_requests.support import make_matrix, make_world, new_request
    from workflows.acting import local_date
    from workflows.models import User
    from workflows.tasks import render_document

    # Three documents requested through the apps' own services, left pending (not rendered in this process).
    settings.BUDGET_DOCUMENTS_ON_EVENTS = False
    monkeypatch.setattr("workflows.services.documents._queue_render", lambda doc_id: None)
    w = make_world(make_matrix())
    obj = new_request(w, amount=1_500_000, vendor="CV Tahan Banting")
    request_approve(request_obj=obj, actor=w.lurah_babakan, justification="Uji pemulihan pekerja.")
    today = local_date()
    docs = [
        request_document(obj, KIND_DECISION, w.lurah_babakan),
        request_document(obj, KIND_SPP, w.lurah_babakan),
        monthly_report_request(actor=User.objects.get(username="kepala.bpkad"), org_unit=None,
                               year=today.year, month=today.month)[1],
    ]
    ids = [d.pk for d in docs]
    assert set(_statuses(ids).values()) == {Status.PENDING}

    queue = f"pamong-recovery-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    first = _worker(queue=queue, tmp_path=tmp_path, name="first", env_extra={}, beat=False)
    saved = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        for doc_id in ids:
            render_document.delay(doc_id)
        # All three are being rendered (one per pool child) when the worker is killed.
        _wait(lambda: set(_statuses(ids).values()) == {Status.RENDERING}, timeout=60,
              what="all three documents rendering", worker=first, ids=ids)
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = saved
        _kill_group(first)
    time.sleep(0.5)  # anything the dead children might still have written has been committed by now
    assert set(_statuses(ids).values()) == {Status.RENDERING}, first.log_text()[-3000:]

    # The messages stay unacknowledged in Redis until the visibility timeout (minutes): the sweeper of the
    # restarted worker's beat, made quick here, queues the stale documents again.
    second = _worker(queue=queue, tmp_path=tmp_path, name="second", beat=True,
                     env_extra={"PAMONG_DOCUMENT_STALE_SECONDS": "3", "PAMONG_DOCUMENT_SWEEP_SECONDS": "1"})
    try:
        _wait(lambda: set(_statuses(ids).values()) == {Status.READY}, timeout=RECOVERY_TIMEOUT,
              what="every document ready", worker=second, ids=ids)
        assert "queued" in second.log_text() and "stale generated documents" in second.log_text()
        assert all(d.file and d.sha256 for d in GeneratedDocument.objects.filter(pk__in=ids))
    finally:
        second.stop()
        _kill_group(second)
