"""Celery with a real worker process: Redis in ``make test-services``, the filesystem broker of ``make run``."""
import os
import shlex
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery.result import EagerResult

from workflows.models import WorkerHeartbeat
from workflows.tasks import heartbeat

from .conftest import REPO_ROOT, start_worker

pytestmark = pytest.mark.services


@pytest.mark.django_db(transaction=True)
def test_heartbeat_goes_through_redis_to_a_real_worker_that_writes_the_test_database(celery_live):
    from django.conf import settings

    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    token = f"redis-{uuid.uuid4().hex}"
    result = heartbeat.delay(token)
    # Not run eagerly in this process: the row can only come from the worker.
    assert not isinstance(result, EagerResult)
    row = celery_live.wait_for(lambda: WorkerHeartbeat.objects.filter(token=token).first(),
                               what=f"WorkerHeartbeat {token}")
    assert row.worker  # the worker's host name
    log = celery_live.log_text()
    assert f"Task workflows.tasks.heartbeat[{result.id}] received" in log
    assert f"Task workflows.tasks.heartbeat[{result.id}] succeeded" in log


@pytest.mark.django_db(transaction=True)
def test_on_commit_task_reaches_the_worker_only_after_commit(celery_live):
    from django.db import transaction

    token = f"oncommit-{uuid.uuid4().hex}"
    with transaction.atomic():
        transaction.on_commit(lambda: heartbeat.delay(token))
        assert not WorkerHeartbeat.objects.filter(token=token).exists()
    celery_live.wait_for(lambda: WorkerHeartbeat.objects.filter(token=token).exists(), what="on_commit heartbeat")


def _procfile_command(name: str) -> list[str]:
    for line in (REPO_ROOT / "Procfile.dev").read_text().splitlines():
        if line.startswith(f"{name}:"):
            argv = shlex.split(line.split(":", 1)[1])
            # The Procfile names the clone's .venv; run the interpreter running these tests instead.
            return [str(Path(sys.executable).parent / Path(a).name) if a.startswith(".venv/bin/") else a
                    for a in argv]
    raise AssertionError(f"Procfile.dev has no {name} process")


def test_make_run_worker_with_beat_consumes_from_the_filesystem_broker(temp_var_dir, tmp_path):
    """The worker line of Procfile.dev, on the single-machine defaults (SQLite file, filesystem broker)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CELERY_") and k not in ("DATABASE_URL", "PAMONG_REQUIRE_SERVICES")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", PAMONG_VAR_DIR=str(temp_var_dir), PYTHONUNBUFFERED="1")
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=REPO_ROOT, env=env, check=True, timeout=300)

    command = _procfile_command("worker")
    assert "--beat" in command, "make run must start the beat schedule with the worker"
    worker = start_worker(env=env, queue="celery", log_path=tmp_path / "worker.log", command=command)
    try:
        token = f"fs-{uuid.uuid4().hex}"
        subprocess.run(
            [*manage, "shell", "-c", f"from workflows.tasks import heartbeat; heartbeat.delay({token!r})"],
            cwd=REPO_ROOT, env=env, check=True, timeout=120,
        )
        assert any((temp_var_dir / "broker").rglob("*")), "the broker folders live under PAMONG_VAR_DIR"

        def row():
            with sqlite3.connect(temp_var_dir / "pamong.sqlite3", timeout=10) as conn:
                return conn.execute(
                    "SELECT worker FROM workflows_workerheartbeat WHERE token = ?", (token,)
                ).fetchone()

        found = worker.wait_for(row, what=f"heartbeat {token} in the SQLite file")
        assert found[0]
        assert "beat: Starting..." in worker.log_text()
    finally:
        assert worker.stop() is not None
