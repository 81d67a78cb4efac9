"""The yardstick: a bare viewflow flow with three human tasks, no permissions, no documents, no audit.

Pamong's own flows do more per step (policy checks, FSM transition, audit event). Their benchmarks report
their per-task cost next to this one, measured in the same process on the same database::

    from bench.baseline_flow import measure_bare_task_ms
    baseline = measure_bare_task_ms(100)   # median milliseconds per completed bare task

Needs the ``bench`` app installed (``config.settings.bench`` does that; ``bench/run.py`` sets it up).
"""
from __future__ import annotations

import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow.views import UpdateProcessView
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

BASELINE_USERNAME = "bench-baseline"


class BareFlow(flow.Flow):
    """Alur dasar pembanding

    Tiga tugas tanpa izin, untuk mengukur biaya viewflow sendiri."""

    process_class = Process
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_bare).Next(this.first)
    first = flow.View(UpdateProcessView.as_view(fields=[])).Next(this.second)
    second = flow.View(UpdateProcessView.as_view(fields=[])).Next(this.third)
    third = flow.View(UpdateProcessView.as_view(fields=[])).Next(this.end)
    end = flow.End()

    def start_bare(self, activation, label: str = ""):
        activation.process.data = {"label": label}
        return activation.process


HUMAN_TASKS = ("first", "second", "third")


def _user():
    user, _ = get_user_model().objects.get_or_create(username=BASELINE_USERNAME, defaults={"is_active": True})
    return user


def complete_task(task_pk: int, user, request) -> None:
    """Complete one human task the way Pamong's services do: load it, assign, start, execute."""
    task = Task.objects.get(pk=task_pk)
    with task.activation() as activation:
        activation.assign(user)
        activation.start(request)
        activation.execute()


def measure_bare(n: int = 200, *, warmup: int = 5) -> dict[str, float]:
    """Run ``n`` bare processes through their three tasks; per-task time (ms) and SQL statements."""
    user = _user()
    request = RequestFactory().post("/")
    request.user = user
    durations: list[float] = []
    queries = 0
    for i in range(warmup + n):
        process = BareFlow.start.run(label=f"bare {i}")
        for name in HUMAN_TASKS:
            node = getattr(BareFlow, name)
            task_pk = Task.objects.filter(process=process, flow_task=node, status=STATUS.NEW).values_list(
                "pk", flat=True
            ).get()
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                complete_task(task_pk, user, request)
                elapsed = time.perf_counter() - started
            if i >= warmup:
                durations.append(elapsed * 1000)
                queries += len(ctx.captured_queries)
        process.refresh_from_db()
        assert process.status == STATUS.DONE, f"bare process {process.pk} ended in {process.status}"
    return {
        "median_ms": statistics.median(durations),
        "mean_ms": statistics.fmean(durations),
        "p95_ms": statistics.quantiles(durations, n=20)[-1] if len(durations) >= 20 else max(durations),
        "queries_per_task": queries / len(durations),
        "tasks": len(durations),
    }


def measure_bare_task_ms(n: int = 100) -> float:
    """Median milliseconds to complete one bare viewflow task (assign + start + execute), in this process."""
    return measure_bare(n)["median_ms"]
