"""Fixtures for tests that need real services: PostgreSQL, Redis and a real Celery worker process.

These tests run in ``make test-services`` (which sets ``PAMONG_REQUIRE_SERVICES=1``, ``DATABASE_URL`` to
PostgreSQL and ``CELERY_BROKER_URL`` to Redis). Mark them ``@pytest.mark.services`` and put them in this
folder (``tests/services/test_<app>_<topic>.py``) so these fixtures apply.

Fixtures
--------
``services_reachable`` (session, autouse here)
    Checks that PostgreSQL and Redis answer. With ``PAMONG_REQUIRE_SERVICES=1`` an unreachable service is a
    loud *failure* of every test in this folder, never a skip; without it (a plain ``pytest`` run) the tests
    here are skipped with a pointer to ``make test-services``.

``celery_worker_process`` (session)
    A real ``celery -A config worker`` subprocess (solo pool), started once per test session after
    pytest-django created the test database. It gets ``DATABASE_URL`` pointing at that *test* database,
    ``CELERY_BROKER_URL`` = Redis, ``CELERY_TASK_ALWAYS_EAGER=0`` and a queue name of its own, so several
    test runs sharing one Redis never take each other's messages. Stopped before the test database is
    dropped. Its log is in ``worker.log_text()``.

Transactional tests in this folder find the rows loaded by data migrations (legal deadlines, cuti bersama)
at their start, even after another transactional test emptied the tables (``_migration_data_restored`` in
``tests/conftest.py``).

``celery_live`` (function)
    What a test uses: requests ``transactional_db`` (the worker is another process, so it can only see
    committed rows: mark the test ``@pytest.mark.django_db(transaction=True)``), switches this process's
    Celery app from eager to the real broker and to the worker's queue for the duration of the test, and
    yields the ``LiveWorker``. ``.delay()`` and ``transaction.on_commit(... .delay ...)`` then really go
    through Redis to the worker. Use ``celery_live.wait_for(lambda: <condition>, what="...")`` to poll
    for the worker's database write with a bounded wait.

Example::

    @pytest.mark.services
    @pytest.mark.django_db(transaction=True)
    def test_notification_sent_by_worker(celery_live):
        request_submit(...)                       # queues a task with transaction.on_commit
        celery_live.wait_for(lambda: Notification.objects.exists(), what="notification row")
"""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
REQUIRED = os.environ.get("PAMONG_REQUIRE_SERVICES") == "1"
WORKER_START_TIMEOUT = 60.0
DEFAULT_WAIT = 30.0


def _redis_url() -> str:
    from django.conf import settings

    return settings.CELERY_BROKER_URL


def _check_postgres() -> str | None:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return (
            f"DATABASE_URL does not point to PostgreSQL (engine {db['ENGINE']}); "
            "make test-services sets DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres"
        )
    import psycopg

    try:
        with psycopg.connect(
            host=db.get("HOST") or None, port=db.get("PORT") or None, user=db.get("USER") or None,
            password=db.get("PASSWORD") or None, dbname="postgres", connect_timeout=5,
        ) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "unreachable"
        return f"PostgreSQL at {db.get('HOST')}:{db.get('PORT')} cannot be reached: {exc}"
    return None


def _check_redis() -> str | None:
    url = _redis_url()
    if not url.startswith(("redis://", "rediss://")):
        return (
            f"CELERY_BROKER_URL is {url!r}, not Redis; "
            "make test-services sets CELERY_BROKER_URL=redis://127.0.0.1:6379/0"
        )
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5).ping()
    except Exception as exc:  # noqa: BLE001
        return f"Redis at {url} cannot be reached: {exc}"
    return None


@pytest.fixture(scope="session", autouse=True)
def services_reachable():
    problems = [p for p in (_check_postgres(), _check_redis()) if p]
    if problems:
        message = "Services needed by the services tests are missing:\n  " + "\n  ".join(problems)
        if REQUIRED:
            pytest.fail(message + "\n(PAMONG_REQUIRE_SERVICES=1: this is a failure, not a skip)", pytrace=False)
        pytest.skip(message + "\nRun them with `make test-services`.")
    return True


def database_url_for(db: dict) -> str:
    """A DATABASE_URL that django-environ turns back into ``db`` (the test database pytest-django made)."""
    engine = db["ENGINE"]
    if engine == "django.db.backends.postgresql":
        auth = quote(db.get("USER") or "", safe="")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        return f"postgres://{auth}@{host}:{port}/{quote(db['NAME'], safe='')}"
    if engine == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name in (":memory:", "") or "mode=memory" in name:
            raise RuntimeError("an in-memory SQLite test database cannot be shared with a worker process")
        return f"sqlite:///{name}"
    raise RuntimeError(f"no DATABASE_URL form for {engine}")


@dataclass
class LiveWorker:
    """A running Celery worker subprocess and how to talk to it."""

    queue: str
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str] = field(repr=False)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_for(self, condition: Callable[[], object], *, timeout: float = DEFAULT_WAIT,
                 interval: float = 0.1, what: str = "the worker's result"):
        """Poll ``condition`` until it returns something truthy; fail with the worker log after ``timeout``."""
        from django.db import connection

        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result:
                return result
            if not self.alive():
                pytest.fail(f"the Celery worker died while waiting for {what}:\n{self.log_text()[-4000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"{what} did not appear within {timeout:.0f} s; worker log:\n{self.log_text()[-4000:]}")
            # Each poll must see rows the worker committed since the last one.
            connection.close()
            time.sleep(interval)

    def stop(self, timeout: float = 15.0) -> int | None:
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: warm shutdown
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        return self.process.returncode


def start_worker(*, env: dict[str, str], queue: str, log_path: Path, extra_args: list[str] | None = None,
                 command: list[str] | None = None, ready_text: str = " ready.",
                 timeout: float = WORKER_START_TIMEOUT) -> LiveWorker:
    """Start ``celery -A config worker`` (or ``command``) in the repository and wait until it says ready."""
    celery = str(Path(sys.executable).with_name("celery"))
    cmd = command or [
        celery, "-A", "config", "worker", "--pool", "solo", "--concurrency", "1", "--loglevel", "INFO",
        "--queues", queue, "--without-gossip", "--without-mingle", "--hostname", f"{queue}@%h",
        *(extra_args or []),
    ]
    log = open(log_path, "wb")  # noqa: SIM115 - kept open for the child's lifetime
    process = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    log.close()
    worker = LiveWorker(queue=queue, process=process, log_path=log_path, env=env)
    deadline = time.monotonic() + timeout
    while ready_text not in worker.log_text():
        if not worker.alive():
            pytest.fail(f"Celery worker exited with {process.returncode} before it was ready: "
                        f"{shlex.join(cmd)}\n{worker.log_text()[-4000:]}", pytrace=False)
        if time.monotonic() > deadline:
            worker.stop()
            pytest.fail(f"Celery worker not ready after {timeout:.0f} s:\n{worker.log_text()[-4000:]}",
                        pytrace=False)
        time.sleep(0.1)
    return worker


@pytest.fixture(scope="session")
def celery_worker_process(services_reachable, django_db_setup, tmp_path_factory):
    """One real Celery worker for the session, on Redis, writing to the test database (see module doc)."""
    from django.conf import settings

    db_url = database_url_for(settings.DATABASES["default"])  # NAME is the test DB after django_db_setup
    queue = f"pamong-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": db_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PYTHONUNBUFFERED": "1",
    }
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    worker = start_worker(env=env, queue=queue, log_path=log_path)
    try:
        yield worker
    finally:
        # Before django_db_setup's teardown drops the test database the worker is connected to.
        worker.stop()


@pytest.fixture
def celery_live(celery_worker_process, transactional_db):
    """Send tasks through the real broker to ``celery_worker_process`` during this test (see module doc)."""
    from config.celery import app

    saved = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = celery_worker_process.queue
    try:
        yield celery_worker_process
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = saved


@pytest.fixture
def temp_var_dir():
    """A throwaway PAMONG_VAR_DIR (SQLite file, filesystem broker folders) for single-machine mode tests."""
    with tempfile.TemporaryDirectory(prefix="pamong-var-") as d:
        yield Path(d)
