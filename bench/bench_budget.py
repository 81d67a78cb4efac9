"""IT-repair approvals (issue 3): the cost of one approval step against a bare viewflow task, throughput with one
and two worker processes, and query counts that must not grow with the number of requests.

Figures:

* ``approval_step_ms`` — median wall time of one final lurah approval: load the request, ``request_approve``
  (policy, delegation rule, four-eyes, FSM transition, envelope reservation under a row lock, ledger entry,
  decision, two audit events, the flow task completed and the next one created, commit), over ``STEPS``
  approvals after a warm-up, one process. The after-commit receivers (notifications, document requests) are
  disconnected here; ``approval_step_with_side_effects_ms`` is the same with them connected (Celery not eager:
  e-mails and PDF renderings are only queued, as with a real worker).
* baseline: one task of the bare viewflow flow of ``bench.baseline_flow`` (``measure_bare``: load the task,
  assign, start, execute), measured in the same run and database, interleaved with the approvals in
  ``ROUNDS`` rounds, carried as ``baseline_value`` of ``approval_step_ms`` (the ``viewflow_bare_task_ms``
  entry itself comes from ``bench_viewflow_baseline``). ``measure_bare`` times with ``CaptureQueriesContext``
  on, so ``approval_step_ms`` is timed the same way. The ratio is the target (≤ 2).
* ``approval_step_nocapture_ms`` against the bare task timed the same way (``bare_task_times``): both without
  Django's debug cursor in the timed path, which otherwise adds a cost per SQL statement.
* ``approval_step_queries`` — SQL statements of one such approval (without loading the request), next to
  ``measure_bare``'s statements per bare task.
* ``approvals_per_s_1proc`` / ``approvals_per_s_2proc`` — final approvals per second with one worker process
  and with two (``multiprocessing`` fork, each its own database connection; each worker approves different
  requests: one the lurah of Babakan's requests on the Kecamatan Setu envelope, the other the lurah of Pondok
  Benda's on the Kecamatan Pamulang envelope; the one-process run approves the same mix alone). Wall time from
  a common start barrier to the last worker's end; 80 approvals per worker, three alternating trials, median.
* ``request_list_queries_100`` / ``request_list_queries_10000`` — SQL statements of the lurah's request list
  page (``/anggaran/``) with about 100 and with 10,000 requests in their kelurahan;
  ``approval_step_queries_100`` / ``approval_step_queries_10000`` the same for one approval.

The module works in a database of its own (``<bench database>_budget``, dropped and re-created, migrated), since
its worker processes must commit: the rows it leaves do not reach the other benchmark modules.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing
import statistics
import time
from contextlib import contextmanager

STEPS = 120  # per timing mode
ROUNDS = 6
WARMUP = 10
THROUGHPUT_PER_WORKER = 80
TRIALS = 3
AMOUNT = 50_000
SETU_KELURAHAN = ["kel-babakan", "kel-setu", "kel-bakti-jaya", "kel-kademangan", "kel-keranggan", "kel-muncul"]
PAMULANG_KELURAHAN = ["kel-pondok-benda", "kel-pamulang-barat", "kel-pamulang-timur", "kel-benda-baru",
                      "kel-bambu-apus", "kel-kedaung", "kel-pondok-cabe-ilir", "kel-pondok-cabe-udik"]


# --- database of our own ------------------------------------------------------------------------------------
@contextmanager
def own_database():
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    conf = settings.DATABASES["default"]
    if conf["ENGINE"] != "django.db.backends.postgresql" or "bench" not in conf["NAME"]:
        yield conf["NAME"]
        return
    import psycopg
    from psycopg import sql

    original = conf["NAME"]
    name = f"{original}_budget"
    with psycopg.connect(host=conf.get("HOST") or None, port=conf.get("PORT") or None, user=conf.get("USER") or None,
                         password=conf.get("PASSWORD") or None, dbname="postgres", autocommit=True) as pg:
        pg.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        pg.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connections.close_all()
    conf["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    try:
        call_command("migrate", interactive=False, verbosity=0)
        yield name
    finally:
        connections.close_all()
        conf["NAME"] = original
        connections["default"].settings_dict["NAME"] = original


@contextmanager
def receivers_disconnected():
    from budget_requests import notifications, pdf
    from budget_requests.signals import request_event

    request_event.disconnect(dispatch_uid="budget_requests.notifications")
    request_event.disconnect(dispatch_uid="budget_requests.pdf")
    try:
        yield
    finally:
        notifications.connect()
        pdf.connect()


@contextmanager
def celery_queued():
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = before


# --- data ---------------------------------------------------------------------------------------------------
def _operator(code: str) -> str:
    return "operator.babakan" if code == "kel-babakan" else f"operator-kelurahan-{code}"


def _lurah(code: str) -> str:
    return "lurah.babakan" if code == "kel-babakan" else f"lurah-{code}"


def setup() -> dict:
    from budget_requests.models import Asset, AssetKind, DelegationRule, ResponseUnit, StepKind
    from budget_requests.seed import SUB_KEGIATAN_KECAMATAN
    from budget_requests.services import envelope_allocate, envelope_create
    from workflows.acting import local_date
    from workflows.models import OrgUnit, User
    from workflows.seed import seed_demo

    seed_demo()
    year = local_date().year
    common = dict(fiscal_year=year, effective_from=dt.date(year, 1, 1), legal_basis="bench")
    DelegationRule.objects.bulk_create([
        DelegationRule(position_kind="lurah", level="kpa_lurah", max_single_amount=5_000_000, step_order=10,
                       acting_allowed=True, response_time_value=4, response_time_unit=ResponseUnit.HOURS, **common),
        DelegationRule(position_kind="kepala_diskominfo", level="technical", max_single_amount=200_000_000,
                       applies_above=50_000_000, step_order=15, step_kind=StepKind.TECHNICAL_VERIFICATION, **common),
        DelegationRule(position_kind="camat", level="pa_camat", max_single_amount=200_000_000, step_order=20,
                       acting_allowed=True, acting_share_pct=20, **common),
    ])
    admin = User.objects.get(username="admin")
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=SETU_KELURAHAN + PAMULANG_KELURAHAN + [
        "kec-setu", "kec-pamulang"])}
    envelopes = {}
    for code in ("kec-setu", "kec-pamulang"):
        env = envelope_create(actor=admin, org_unit=units[code], sub_kegiatan=SUB_KEGIATAN_KECAMATAN,
                              account_code="5.1.02.03.02.0405", fiscal_year=year,
                              name=f"Pemeliharaan TI {units[code]}")
        envelope_allocate(envelope=env, amount=10**12, actor=admin)
        envelopes[code] = env
    assets = {}
    for code in SETU_KELURAHAN + PAMULANG_KELURAHAN:
        assets[code] = Asset.objects.create(tag=f"BENCH-{code}", kind=AssetKind.PC, description="PC bench",
                                            org_unit=units[code])
    users = {u.username: u for u in User.objects.filter(username__in=[
        f(c) for c in SETU_KELURAHAN + PAMULANG_KELURAHAN for f in (_operator, _lurah)])}
    return {"units": units, "envelopes": envelopes, "assets": assets, "users": users, "year": year}


def make_requests(ctx: dict, codes: list[str], n: int) -> list[tuple[int, str]]:
    """``n`` submitted requests spread over ``codes``; returns (request id, approving lurah's username)."""
    from budget_requests.services import request_create, request_submit

    out = []
    for i in range(n):
        code = codes[i % len(codes)]
        env = ctx["envelopes"]["kec-setu" if code in SETU_KELURAHAN else "kec-pamulang"]
        operator = ctx["users"][_operator(code)]
        obj = request_create(actor=operator, org_unit=ctx["units"][code], asset=ctx["assets"][code],
                             category="hardware", problem="Bench", amount=AMOUNT, envelope=env,
                             quotes=[{"vendor_name": f"CV Bench {i}", "amount": AMOUNT}])
        request_submit(request_obj=obj, actor=operator)
        out.append((obj.pk, _lurah(code)))
    return out


def timed_approvals(pairs, *, users, capture: bool = True) -> tuple[list[float], list[int]]:
    """Approve each request; the timed part loads the request with its unit and calls ``request_approve`` (as the
    request page does, and as the baseline loads its task). With ``capture`` the SQL statements are counted too — which puts
    Django's debug cursor in the timed path, so timings for the ratio are taken without it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from budget_requests.models import RepairRequest
    from budget_requests.services import request_approve

    # The request page loads the request with its unit (``select_related("org_unit")``) before it calls the
    # service; so does the timed part here.
    load = RepairRequest.objects.select_related("org_unit")
    times, queries = [], []
    for pk, username in pairs:
        user = users[username]
        if capture:
            with CaptureQueriesContext(connection) as cq:
                t0 = time.perf_counter()
                request_approve(request_obj=load.get(pk=pk), actor=user, justification="bench")
                times.append((time.perf_counter() - t0) * 1000)
            queries.append(len(cq.captured_queries) - 1)  # without the load of the request itself
        else:
            t0 = time.perf_counter()
            request_approve(request_obj=load.get(pk=pk), actor=user, justification="bench")
            times.append((time.perf_counter() - t0) * 1000)
        assert RepairRequest.objects.get(pk=pk).state == "approved"
    return times, queries


def bare_task_times(processes: int) -> list[float]:
    """Per-task times of the bare viewflow flow (``bench.baseline_flow``), timed exactly like
    ``measure_bare`` but without the query capture in the timed path."""
    from django.test.client import RequestFactory
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from bench.baseline_flow import HUMAN_TASKS, BareFlow, _user, complete_task

    user = _user()
    request = RequestFactory().post("/")
    request.user = user
    out = []
    for i in range(processes):
        process = BareFlow.start.run(label=f"bare budget {i}")
        for name in HUMAN_TASKS:
            task_pk = Task.objects.filter(process=process, flow_task=getattr(BareFlow, name),
                                          status=STATUS.NEW).values_list("pk", flat=True).get()
            t0 = time.perf_counter()
            complete_task(task_pk, user, request)
            out.append((time.perf_counter() - t0) * 1000)
    return out


# --- throughput with worker processes ----------------------------------------------------------------------
def _worker(pairs, barrier, results) -> None:
    from django.db import connections

    connections.close_all()  # a connection of our own
    from budget_requests.models import RepairRequest
    from budget_requests.services import request_approve
    from workflows.models import User

    users = {u.username: u for u in User.objects.filter(username__in={u for _, u in pairs})}
    objs = [(RepairRequest.objects.get(pk=pk), users[u]) for pk, u in pairs]
    with receivers_disconnected():
        barrier.wait()
        t0 = time.perf_counter()
        for obj, user in objs:
            request_approve(request_obj=obj, actor=user, justification="bench")
        t1 = time.perf_counter()
    connections.close_all()
    results.put((t0, t1, len(objs)))


def throughput(groups: list[list[tuple[int, str]]]) -> float:
    from django.db import connections

    connections.close_all()
    mp = multiprocessing.get_context("fork")
    barrier = mp.Barrier(len(groups))
    results = mp.Queue()
    procs = [mp.Process(target=_worker, args=(g, barrier, results)) for g in groups]
    for p in procs:
        p.start()
    rows = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        if p.exitcode != 0:
            raise RuntimeError(f"approval worker exited with {p.exitcode}")
    start, end = min(r[0] for r in rows), max(r[1] for r in rows)
    return sum(r[2] for r in rows) / (end - start)


# --- query counts at two sizes ------------------------------------------------------------------------------
def list_queries(username: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from workflows.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=username))
    assert client.get("/anggaran/").status_code == 200  # warm
    with CaptureQueriesContext(connection) as cq:
        response = client.get("/anggaran/")
    assert response.status_code == 200
    return len(cq.captured_queries)


def bulk_fill(ctx: dict, code: str, target: int) -> None:
    from budget_requests.models import RepairRequest

    have = RepairRequest.objects.filter(org_unit=ctx["units"][code]).count()
    operator = ctx["users"][_operator(code)]
    states = ["draft", "under_review", "approved", "paid", "closed", "rejected"]
    RepairRequest.objects.bulk_create([
        RepairRequest(org_unit=ctx["units"][code], asset=ctx["assets"][code], category="hardware", problem="Bulk",
                      amount=AMOUNT, envelope=ctx["envelopes"]["kec-setu"], requester=operator,
                      state=states[i % len(states)], number=f"PR/{ctx['year']}/X{i:07d}")
        for i in range(max(0, target - have))
    ], batch_size=2000)


def run() -> list[dict]:
    from django.db import connection

    from bench.baseline_flow import measure_bare

    out: dict[str, float] = {}
    with own_database():
        ctx = setup()
        users = ctx["users"]
        with receivers_disconnected():
            # ~100 requests in Babakan's kelurahan for the first query counts
            first = make_requests(ctx, ["kel-babakan"], 100)
            out["request_list_queries_100"] = list_queries("lurah.babakan")
            _, q = timed_approvals(first[:2], users=users)
            out["approval_step_queries_100"] = q[-1]

            steps = make_requests(ctx, SETU_KELURAHAN + PAMULANG_KELURAHAN, 2 * STEPS + WARMUP)
            timed_approvals(steps[:WARMUP], users=users, capture=False)
            bare_task_times(3)
            # Interleaved rounds, so that every figure sees the same machine load (a shared CI box drifts): per
            # round STEPS/ROUNDS approvals timed with the query capture on (as measure_bare times the baseline)
            # and as many without, then bare tasks both ways.
            captured, plain, queries, bare_captured, bare_plain = [], [], [], [], []
            per = STEPS // ROUNDS
            for i in range(ROUNDS):
                chunk = steps[WARMUP + 2 * i * per:WARMUP + 2 * (i + 1) * per]
                t, q = timed_approvals(chunk[:per], users=users, capture=True)
                captured += t
                queries += q
                plain += timed_approvals(chunk[per:], users=users, capture=False)[0]
                m = measure_bare(per // 3 + 1, warmup=0)
                bare_captured.append(m["median_ms"])
                out["bare_task_queries"] = m["queries_per_task"]
                bare_plain += bare_task_times(per // 3 + 1)
            out["approval_step_ms"] = statistics.median(captured)
            out["approval_step_mean_ms"] = statistics.fmean(captured)
            out["viewflow_bare_task_ms"] = statistics.median(bare_captured)
            out["approval_step_nocapture_ms"] = statistics.median(plain)
            out["viewflow_bare_task_nocapture_ms"] = statistics.median(bare_plain)
            out["approval_step_queries"] = statistics.median(queries)

            n = THROUGHPUT_PER_WORKER
            setu = make_requests(ctx, SETU_KELURAHAN, 2 * n * TRIALS)
            pamulang = make_requests(ctx, PAMULANG_KELURAHAN, 2 * n * TRIALS)
        # Alternating trials (1 process, then 2), the median of each: one trial is short and a shared machine
        # is noisy.
        one, two = [], []
        for t in range(TRIALS):
            s_, p_ = setu[2 * n * t:2 * n * (t + 1)], pamulang[2 * n * t:2 * n * (t + 1)]
            one.append(throughput([[x for pair in zip(s_[:n], p_[:n]) for x in pair]]))
            two.append(throughput([s_[n:], p_[n:]]))
        out["approvals_per_s_1proc"] = statistics.median(one)
        out["approvals_per_s_2proc"] = statistics.median(two)

        with celery_queued():
            side = make_requests(ctx, SETU_KELURAHAN, 40)
            times, _ = timed_approvals(side, users=users, capture=False)
            out["approval_step_with_side_effects_ms"] = statistics.median(times[5:])

        with receivers_disconnected():
            bulk_fill(ctx, "kel-babakan", 10_000)
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("ANALYZE")
            out["request_list_queries_10000"] = list_queries("lurah.babakan")
            _, q = timed_approvals(first[2:4], users=users)
            out["approval_step_queries_10000"] = q[-1]

    base = out["viewflow_bare_task_ms"]

    def entry(name, value, unit, baseline_name=None, baseline_value=None):
        return {"name": name, "value": round(value, 3), "unit": unit, "baseline_name": baseline_name,
                "baseline_value": round(baseline_value, 3) if baseline_value is not None else None, "ratio": None}

    return [
        entry("approval_step_ms", out["approval_step_ms"], "ms (median per final lurah approval)",
              "viewflow_bare_task_ms", base),
        entry("approval_step_mean_ms", out["approval_step_mean_ms"], "ms (mean per final lurah approval)",
              "viewflow_bare_task_ms", base),
        entry("approval_step_with_side_effects_ms", out["approval_step_with_side_effects_ms"],
              "ms (median, notifications + document requests after commit, Celery queued)",
              "approval_step_ms", out["approval_step_ms"]),
        entry("approval_step_queries", out["approval_step_queries"], "SQL statements per approval",
              "viewflow_bare_task_queries", out["bare_task_queries"]),
        entry("approval_step_nocapture_ms", out["approval_step_nocapture_ms"],
              "ms (median per final lurah approval, no query capture in the timed path)",
              "viewflow_bare_task_nocapture_ms", out["viewflow_bare_task_nocapture_ms"]),
        entry("approvals_per_s_1proc", out["approvals_per_s_1proc"], "final approvals/s, 1 worker process"),
        entry("approvals_per_s_2proc", out["approvals_per_s_2proc"], "final approvals/s, 2 worker processes",
              "approvals_per_s_1proc", out["approvals_per_s_1proc"]),
        entry("request_list_queries_100", out["request_list_queries_100"], "SQL statements, /anggaran/ at ~100 requests"),
        entry("request_list_queries_10000", out["request_list_queries_10000"],
              "SQL statements, /anggaran/ at 10,000 requests", "request_list_queries_100",
              out["request_list_queries_100"]),
        entry("approval_step_queries_100", out["approval_step_queries_100"], "SQL statements, one approval at ~100"),
        entry("approval_step_queries_10000", out["approval_step_queries_10000"],
              "SQL statements, one approval at 10,000 requests", "approval_step_queries_100",
              out["approval_step_queries_100"]),
    ]
