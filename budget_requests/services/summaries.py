"""The finance dashboard's summary tables, kept in step with the requests and the ledger.

Live upkeep
-----------
Each service that changes a request calls ``request_figures(obj)`` on the locked row before and after the
change and hands both to ``figures_apply`` in the same transaction. A request's *cells* are a pure function of
its row (and of its final decision's rule): the difference after − before is what is added, so a change that
moves nothing (or a retried step the FSM already refused) writes nothing, and applying the same transition
twice is impossible because the FSM only lets it happen once.

``figures_apply`` does not touch the cells: it inserts the difference as one ``FigureChange`` row, committed or
rolled back with the change itself. ``figures_fold`` adds the pending rows to the cells and deletes them: every
reader of the summaries calls it first (so a page never shows figures older than the last commit), and the
worker calls it every few seconds (``fold_finance_figures``) so that readers seldom have anything to fold. An
approval thus neither waits for nor blocks another on the summary cells, and costs one insert.

Concurrency of folds: each takes its rows ``FOR UPDATE SKIP LOCKED`` (no change is taken twice), inserts the
missing cells (``INSERT … ON CONFLICT DO NOTHING``), then moves them with one ``F()`` update that finds them
through a ``select_for_update`` subquery ordered by ``cell_key`` (one indexed digest of a cell's key columns), so
two folds lock shared cells in the same order and never deadlock.

The ledger (``services.ledger``) records each entry for its envelope's month with ``envelope_figure_add``: in
the ``FigureChange`` row of the change it is part of (an approval's reservation goes with the approval's own
row), or in one of its own; the fold adds it to ``EnvelopeFigure``.

Rebuild
-------
``finance_summaries_rebuild`` recomputes every row from the requests, their final decisions and the ledger
(in one transaction, with grouped database queries: the Python work grows with the number of distinct groups,
not with the number of requests). Run it after loading data that bypassed the services, or after the working-day
calendar changed (time to decision is counted in working days at the moment of the decision). It replaces the
tables wholesale and drops the pending changes (the rows they came from are read): run it when no one is
approving or paying (it does not merge with writes that commit while it reads).
"""
from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import TruncDate, TruncMonth

from workflows import calendar

from ..finance.models import EnvelopeFigure, FigureChange, FigureMeasure, RequestFigure
from ..levels import route_class_of
from ..models import Decision, LedgerEntry, LedgerKind, RepairRequest, RequestState

S = RequestState
M = FigureMeasure
OPEN_STATES = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED})
CITY_NODE = ""  # the node every request counts at: the whole city
LEDGER_COLUMNS = {LedgerKind.ALLOCATE: "allocated", LedgerKind.RESERVE: "reserved", LedgerKind.PAY: "paid",
                  LedgerKind.RELEASE: "released"}

# A cell's key, in RequestFigure.KEY_FIELDS order: node, measure, period, category, state, decided_ym, route,
# working_days. Values: (count, amount).
Key = tuple
Cells = dict


def _tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(_tz()).date()


def month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def nodes_of(path: str) -> list[str]:
    """The city node and every prefix of ``path`` ("kota", "kota/setu", "kota/setu/babakan")."""
    parts = path.split("/") if path else []
    return [CITY_NODE] + ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


@dataclass(frozen=True)
class RequestFacts:
    """What the summaries know of one request."""

    path: str
    category: str
    state: str
    amount: int
    submitted_on: dt.date | None
    decided_on: dt.date | None
    route: str
    paid_on: dt.date | None
    flagged: bool = False


def final_route(request_id: int) -> str:
    """The route class of the request's final decision ("" when it has none). One query."""
    row = (Decision.objects.filter(request_id=request_id, is_final=True).order_by("-pk")
           .values_list("rule__position_kind", "rule__level").first())
    if row is None:
        return ""
    return route_class_of(row[1], position_kind=row[0] or "")


def remember_final_route(obj: RepairRequest, step: dict) -> None:
    """Tell ``request_facts`` the route class of the final decision being taken on ``step`` (a route step of
    ``obj.route``), so that it need not read the decision back. Only for an approving step with a rule: its
    level code was resolved from the rule when the route was built, as ``final_route`` resolves it."""
    if step.get("rule_id") and step.get("level") and step.get("step_kind", "approve") == "approve":
        obj.__dict__["_summary_route"] = route_class_of(step["level"], position_kind=step.get("position_kind") or "")


def request_facts(obj: RepairRequest) -> RequestFacts:
    decided = obj.decided_at is not None and obj.submitted_at is not None
    route = ""
    if decided:
        # A decided request's final decision never changes, so the route is looked up once per row object
        # (the "before" and "after" of a payment step share it).
        route = obj.__dict__.get("_summary_route")
        if route is None:
            route = obj.__dict__["_summary_route"] = final_route(obj.pk)
    return RequestFacts(
        path=obj.org_unit.path, category=obj.category, state=obj.state, amount=obj.amount,
        submitted_on=_day(obj.submitted_at) if obj.submitted_at else None,
        decided_on=_day(obj.decided_at) if decided else None,
        route=route,
        paid_on=_day(obj.paid_at) if obj.paid_at else None, flagged=obj.is_flagged,
    )


def facts_cells(facts: RequestFacts, *, count: int = 1, working_days=None) -> Cells:
    """The cells a request adds to: ``count`` requests with these facts and ``facts.amount`` rupiah in all
    (``working_days``: a faster ``calendar.working_days_between``)."""
    if facts.submitted_on is None or facts.state == S.DRAFT:
        return {}
    between = working_days or calendar.working_days_between
    sub = facts.submitted_on
    own: list[tuple] = [(M.SUBMITTED, month_start(sub), 0, "", 0)]
    if facts.state in OPEN_STATES:
        own.append((M.OPEN_DAY, sub, 0, "", 0))
    if facts.decided_on is not None and facts.route:
        dec = facts.decided_on
        # Two cells, so that neither figure reads the other's dimension: the distribution of working days per
        # route (time to decision) and the month of decision (the monthly trend).
        own.append((M.DECIDED, month_start(sub), 0, facts.route, between(sub, dec)))
        own.append((M.DECIDED_MONTH, month_start(sub), dec.year * 100 + dec.month, "", 0))
    if facts.paid_on is not None:
        own.append((M.PAID, month_start(facts.paid_on), 0, "", 0))
    if facts.flagged:
        own.append((M.FLAGGED, month_start(sub), 0, "", 0))
    cells: Cells = {}
    for node in nodes_of(facts.path):
        for measure, period, decided_ym, route, days in own:
            cells[(node, str(measure), period, facts.category, str(facts.state), decided_ym, route, days)] = (
                count, facts.amount)
    return cells


def request_figures(obj: RepairRequest | None) -> Cells:
    """The cells of a request row as it is now (empty for None or a draft)."""
    if obj is None:
        return {}
    return facts_cells(request_facts(obj))


def _difference(before: Cells, after: Cells) -> Cells:
    delta: Cells = {}
    for key, (n, amount) in after.items():
        delta[key] = (n, amount)
    for key, (n, amount) in before.items():
        dn, da = delta.get(key, (0, 0))
        delta[key] = (dn - n, da - amount)
    return {k: v for k, v in delta.items() if v != (0, 0)}


def figures_apply(*, before: Cells, after: Cells, ledger: Iterable[list] = ()) -> int:
    """Record ``after − before`` for the summaries, in the caller's transaction: one ``FigureChange`` row (one
    insert, no lock on any summary cell), added to the cells by ``figures_fold``. ``ledger``: envelope months
    collected by the ledger in the same change (``envelope_figure_add(into=…)``), recorded in the same row. Returns
    the request cells it moves."""
    delta = _difference(before, after)
    ledger = list(ledger)
    if not delta and not ledger:
        return 0
    FigureChange.objects.create(cells=[[*_key_json(key), n, amount] for key, (n, amount) in delta.items()],
                                envelopes=ledger)
    return len(delta)


def _key_json(key: Key) -> list:
    return [v.isoformat() if isinstance(v, dt.date) else v for v in key]


def _key_from_json(values: list) -> Key:
    node, measure, period, *rest = values
    return (node, measure, dt.date.fromisoformat(period), *rest)


def _cells_add(delta: Cells) -> None:
    """Add ``delta`` to the summary rows in two statements, whatever the number of cells: insert the missing
    ones, then lock all of them in ``cell_key`` order and move them with one ``F()`` update whose ``CASE`` has
    one branch per distinct change."""
    digests = {key: RequestFigure.digest(key) for key in delta}
    keys = sorted(delta, key=digests.__getitem__)
    ordered = [digests[k] for k in keys]
    by_change: dict[tuple[int, int], list[str]] = defaultdict(list)
    for key in keys:
        by_change[delta[key]].append(digests[key])
    # Every cell, also one that loses: a fold may take a change that leaves a cell before the one that entered
    # it (held by another fold) is added.
    RequestFigure.objects.bulk_create([RequestFigure.for_key(k) for k in keys], ignore_conflicts=True)
    # The update finds its rows through a subquery that locks them in ``cell_key`` order, so two folds lock
    # shared cells in the same order. The slice keeps the subquery's ORDER BY (Django drops the ordering of an
    # unsliced ``__in`` subquery); it never cuts, as each key is one row.
    locked = (RequestFigure.objects.select_for_update().filter(cell_key__in=ordered).order_by("cell_key")
              .values("pk")[:len(ordered)])
    RequestFigure.objects.filter(pk__in=locked).update(
        count=F("count") + Case(*[When(cell_key__in=ks, then=Value(n)) for (n, _), ks in by_change.items()],
                                default=Value(0)),
        amount=F("amount") + Case(*[When(cell_key__in=ks, then=Value(a)) for (_, a), ks in by_change.items()],
                                  default=Value(0)),
    )


FOLD_BATCH = 2000  # pending changes added per transaction


def figures_fold(*, batch: int = FOLD_BATCH) -> int:
    """Add the pending ``FigureChange`` rows to the summary cells and delete them; returns how many were added.

    Called before every read of the summaries and by the worker. With nothing pending it costs one query. Each
    batch is one transaction (rows taken ``FOR UPDATE SKIP LOCKED``, summed per cell, added, deleted), so two
    folds never take the same change, and a change that commits while a fold runs is left for the next one. A
    reader that meets another fold in progress reads the figures as they were before that fold's changes, a
    few milliseconds old."""
    if not FigureChange.objects.exists():
        return 0
    folded = 0
    while True:
        with transaction.atomic():
            changes = list(FigureChange.objects.select_for_update(skip_locked=True).order_by("pk")
                           .values_list("pk", "cells", "envelopes")[:batch])
            if not changes:
                return folded
            total: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
            months: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
            for _pk, cells, envelopes in changes:
                for *key, n, amount in cells:
                    cell = total[_key_from_json(key)]
                    cell[0] += n
                    cell[1] += amount
                for envelope_id, period, column, amount in envelopes:
                    months[(envelope_id, dt.date.fromisoformat(period))][column] += amount
            delta = {key: (n, a) for key, (n, a) in total.items() if (n, a) != (0, 0)}
            if delta:
                _cells_add(delta)
            if months:
                _envelopes_add(months)
            FigureChange.objects.filter(pk__in=[pk for pk, _cells, _envelopes in changes]).delete()
        folded += len(changes)
        if len(changes) < batch:
            return folded


def envelope_figure_add(*, entry: LedgerEntry, into: list | None = None) -> None:
    """Record a new ledger entry for its envelope's month (``[envelope id, month, column, rupiah]``): appended to
    ``into`` (for the caller's own ``figures_apply``), or as a ``FigureChange`` row of its own."""
    cell = [entry.envelope_id, month_start(_day(entry.created_at)).isoformat(), LEDGER_COLUMNS[entry.kind],
            entry.amount]
    if into is not None:
        into.append(cell)
    else:
        FigureChange.objects.create(envelopes=[cell])


def _envelopes_add(months: dict[tuple[int, dt.date], dict[str, int]]) -> None:
    """Add ledger sums to the envelope months in two statements, whatever the number of months: insert the
    missing ones, then lock them in (envelope, month) order, so two folds lock shared months in the same order,
    and move them with one ``F()`` update."""
    keys = sorted(months)
    EnvelopeFigure.objects.bulk_create([EnvelopeFigure(envelope_id=env, period=period) for env, period in keys],
                                       ignore_conflicts=True)
    match = Q(pk__in=[])
    for env, period in keys:
        match |= Q(envelope_id=env, period=period)
    locked = (EnvelopeFigure.objects.select_for_update().filter(match).order_by("envelope_id", "period")
              .values("pk")[:len(keys)])  # sliced to keep the ORDER BY, as in ``_cells_add``
    columns = sorted({column for moved in months.values() for column in moved})
    EnvelopeFigure.objects.filter(pk__in=locked).update(**{
        column: F(column) + Case(*[When(envelope_id=env, period=period, then=Value(months[(env, period)][column]))
                                   for env, period in keys if months[(env, period)].get(column)], default=Value(0))
        for column in columns})


# --- rebuild --------------------------------------------------------------------------------------------------
@dataclass
class RebuildResult:
    requests: int
    request_cells: int
    envelope_cells: int


class _WorkingDays:
    """``calendar.working_days_between`` remembered per pair of days (the rebuild meets each pair many times)."""

    def __init__(self):
        self.known: dict[tuple[dt.date, dt.date], int] = {}

    def __call__(self, a: dt.date, b: dt.date) -> int:
        if (a, b) not in self.known:
            self.known[(a, b)] = calendar.working_days_between(a, b)
        return self.known[(a, b)]


def _as_day(value) -> dt.date:
    """A truncated month or day from the database (a WIB datetime or a date) as a date."""
    return value.astimezone(_tz()).date() if isinstance(value, dt.datetime) else value


def _leaf_cells() -> tuple[Cells, int]:
    """The cells of every request at its own unit's node only, from four grouped queries (the database does
    the counting; Python sees one row per distinct group). Returns (cells, requests counted)."""
    tz = _tz()
    cells: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    base = RepairRequest.objects.filter(submitted_at__isnull=False).exclude(state=S.DRAFT).order_by()
    dims = ("org_unit__path", "category", "state")

    def add(path, measure, period, category, state, n, amount, decided_ym=0, route="", days=0):
        cell = cells[(path, str(measure), period, category, str(state), decided_ym, route, days)]
        cell[0] += n
        cell[1] += amount or 0

    total = 0
    for r in (base.values(*dims, "is_flagged", month=TruncMonth("submitted_at", tzinfo=tz))
              .annotate(n=Count("id"), a=Sum("amount")).iterator(chunk_size=5000)):
        month = _as_day(r["month"])
        total += r["n"]
        add(r["org_unit__path"], M.SUBMITTED, month, r["category"], r["state"], r["n"], r["a"])
        if r["is_flagged"]:
            add(r["org_unit__path"], M.FLAGGED, month, r["category"], r["state"], r["n"], r["a"])
    for r in (base.filter(state__in=OPEN_STATES).values(*dims, day=TruncDate("submitted_at", tzinfo=tz))
              .annotate(n=Count("id"), a=Sum("amount")).iterator(chunk_size=5000)):
        add(r["org_unit__path"], M.OPEN_DAY, r["day"], r["category"], r["state"], r["n"], r["a"])
    for r in (base.filter(paid_at__isnull=False).values(*dims, month=TruncMonth("paid_at", tzinfo=tz))
              .annotate(n=Count("id"), a=Sum("amount")).iterator(chunk_size=5000)):
        add(r["org_unit__path"], M.PAID, _as_day(r["month"]), r["category"], r["state"], r["n"], r["a"])
    # Time to decision: one final decision per request (the services never write a second one).
    between = _WorkingDays()
    decided = (Decision.objects.filter(is_final=True, request__in=base.filter(decided_at__isnull=False)).order_by()
               .values("request__org_unit__path", "request__category", "request__state", "rule__position_kind",
                       "rule__level", sub=TruncDate("request__submitted_at", tzinfo=tz),
                       dec=TruncDate("request__decided_at", tzinfo=tz))
               .annotate(n=Count("id"), a=Sum("request__amount")))
    for r in decided.iterator(chunk_size=5000):
        sub, dec = r["sub"], r["dec"]
        route = route_class_of(r["rule__level"], position_kind=r["rule__position_kind"] or "")
        path, category, state = r["request__org_unit__path"], r["request__category"], r["request__state"]
        add(path, M.DECIDED, month_start(sub), category, state, r["n"], r["a"], route=route, days=between(sub, dec))
        add(path, M.DECIDED_MONTH, month_start(sub), category, state, r["n"], r["a"],
            decided_ym=dec.year * 100 + dec.month)
    return {k: (v[0], v[1]) for k, v in cells.items()}, total


def request_cells_from_scratch() -> tuple[Cells, int]:
    """Every request's cells at every node above it, from the database as it is. Returns (cells, requests)."""
    leaf, total = _leaf_cells()
    cells: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for key, (n, amount) in leaf.items():
        for node in nodes_of(key[0]):
            cell = cells[(node, *key[1:])]
            cell[0] += n
            cell[1] += amount
    return {k: (v[0], v[1]) for k, v in cells.items()}, total


def envelope_cells_from_scratch() -> dict[tuple[int, dt.date], dict[str, int]]:
    out: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(dict)
    rows = (LedgerEntry.objects.order_by()
            .values("envelope_id", "kind", month=TruncMonth("created_at", tzinfo=_tz()))
            .annotate(total=Sum("amount")))
    for r in rows:
        out[(r["envelope_id"], month_start(_as_day(r["month"])))][LEDGER_COLUMNS[r["kind"]]] = r["total"] or 0
    return dict(out)


def finance_summaries_rebuild(*, batch_size: int = 5000) -> RebuildResult:
    """Recompute both summary tables from the requests, their final decisions and the ledger, in one
    transaction (readers see the old figures until it commits)."""
    with transaction.atomic():
        cells, requests = request_cells_from_scratch()
        envelopes = envelope_cells_from_scratch()
        FigureChange.objects.all().delete()  # already counted: the rebuild reads the rows they came from
        RequestFigure.objects.all().delete()
        EnvelopeFigure.objects.all().delete()
        RequestFigure.objects.bulk_create(
            (RequestFigure.for_key(k, count=n, amount=a)
             for k, (n, a) in cells.items() if (n, a) != (0, 0)), batch_size=batch_size)
        EnvelopeFigure.objects.bulk_create(
            (EnvelopeFigure(envelope_id=env, period=period, **cols) for (env, period), cols in envelopes.items()),
            batch_size=batch_size)
    return RebuildResult(requests=requests, request_cells=len(cells), envelope_cells=len(envelopes))


def summaries_snapshot() -> tuple[dict, dict]:
    """Both tables as plain dicts without zero rows (to compare the live figures with a rebuild), pending
    changes folded in first."""
    figures_fold()
    requests = {tuple(r[:-2]): (r[-2], r[-1]) for r in RequestFigure.objects.values_list(
        *RequestFigure.KEY_FIELDS, "count", "amount") if (r[-2], r[-1]) != (0, 0)}
    envelopes = {(r[0], r[1]): r[2:] for r in EnvelopeFigure.objects.values_list(
        "envelope_id", "period", "allocated", "reserved", "paid", "released") if any(r[2:])}
    return requests, envelopes


__all__ = ["figures_apply", "figures_fold", "request_figures", "envelope_figure_add", "finance_summaries_rebuild",
           "summaries_snapshot", "nodes_of", "CITY_NODE"]
