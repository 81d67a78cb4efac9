"""Reads of the finance summary tables (``RequestFigure``, ``EnvelopeFigure``) for one viewer and filter.

The dashboard's request figures come from one query over the summary rows of the org-tree nodes that cover
the viewer's scope intersected with the unit filter (``figure_nodes``): the city node for a city-wide viewer,
a kecamatan's node for its camat, and so on. The number of rows read depends on the months, categories,
states, routes and working-day values present, never on the number of requests.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, Sum

from workflows.models import User
from workflows.policy import visible_unit_paths

from ..services.summaries import CITY_NODE, figures_fold
from .models import EnvelopeFigure, FigureMeasure, RequestFigure

M = FigureMeasure


def figure_nodes(user: User, unit_path: str | None) -> list[str]:
    """The summary nodes whose rows together are the requests ``user`` may see under ``unit_path`` (None: no
    unit filter): the scope's subtrees intersected with the unit's, without a node inside another."""
    paths = visible_unit_paths(user)
    if paths is None:
        return [CITY_NODE if unit_path is None else unit_path]
    out = set()
    for p in paths:
        if unit_path is None or p == unit_path or p.startswith(unit_path + "/"):
            out.add(p)
        elif unit_path.startswith(p + "/"):
            out.add(unit_path)
    return sorted(n for n in out if not any(n.startswith(o + "/") for o in out))


@dataclass
class FigureRows:
    """The summary rows of one filter, summed over nodes and categories."""

    submitted: list[tuple[dt.date, str, int, int]] = field(default_factory=list)   # month, state, n, amount
    open_days: list[tuple[dt.date, str, int, int]] = field(default_factory=list)   # day, state, n, amount
    decided: list[tuple[dt.date, str, str, int, int, int]] = field(default_factory=list)
    # month of submission, state, route, working days, n, amount
    decided_months: list[tuple[dt.date, str, int, int, int]] = field(default_factory=list)
    # month of submission, state, decided YYYYMM, n, amount
    paid: list[tuple[dt.date, str, int]] = field(default_factory=list)             # month paid, state, amount
    flagged: int = 0


def period_days(f) -> tuple[dt.date, dt.date]:
    """The filter's period as [first day, first day after) in WIB dates."""
    start = dt.date(f.year, f.month_from, 1)
    end = dt.date(f.year + 1, 1, 1) if f.month_to == 12 else dt.date(f.year, f.month_to + 1, 1)
    return start, end


def figure_rows(user: User, f, *, open_since: dt.date | None = None) -> FigureRows:
    """Every request figure of ``f`` in one query, after the pending changes are folded in. ``open_since``: the
    earliest submission day whose open requests are wanted day by day (the ageing buckets); None reads no day
    rows."""
    figures_fold()
    start, end = period_days(f)
    nodes = figure_nodes(user, f.unit.path if f.unit is not None else None)
    qs = RequestFigure.objects.filter(node__in=nodes)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.state:
        qs = qs.filter(state=f.state)
    # One range per node and measure on the unique index (node, measure, period, …); the day rows of open
    # requests older than ``open_since`` are in the range too and dropped below.
    measures = [M.SUBMITTED, M.DECIDED, M.DECIDED_MONTH, M.PAID, M.FLAGGED]
    if open_since is not None:
        measures.append(M.OPEN_DAY)
    rows = (qs.filter(measure__in=measures, period__gte=start, period__lt=end).order_by()
            .values_list("measure", "period", "state", "decided_ym", "route", "working_days")
            .annotate(n=Sum("count"), a=Sum("amount")))
    out = FigureRows()
    for measure, period, state, decided_ym, route, days, n, amount in rows:
        if not n and not amount:
            continue
        if measure == M.SUBMITTED:
            out.submitted.append((period, state, n, amount))
        elif measure == M.OPEN_DAY:
            if period >= open_since:
                out.open_days.append((period, state, n, amount))
        elif measure == M.DECIDED:
            out.decided.append((period, state, route, days, n, amount))
        elif measure == M.DECIDED_MONTH:
            out.decided_months.append((period, state, decided_ym, n, amount))
        elif measure == M.PAID:
            out.paid.append((period, state, amount))
        else:
            out.flagged += n
    return out


def envelope_totals_until(envelope_ids: list[int], end: dt.date, *, folded: bool = False) -> dict[int, dict[str, int]]:
    """Ledger sums per envelope over the months before ``end``. One query (and the fold of pending changes,
    unless the caller has just ``folded`` them)."""
    if not envelope_ids:
        return {}
    if not folded:
        figures_fold()
    rows = (EnvelopeFigure.objects.filter(envelope_id__in=envelope_ids, period__lt=end).order_by()
            .values("envelope_id").annotate(a=Sum("allocated"), r=Sum("reserved"), p=Sum("paid"),
                                            rel=Sum("released")))
    return {r["envelope_id"]: {k: r[k] or 0 for k in ("a", "r", "p", "rel")} for r in rows}


def kecamatan_rows(paths: list[str], year: int):
    """(node, measure, state, route, working days, n, amount) of the submitted and decided rows of ``year`` at
    the given kecamatan nodes (the transparency page). One query (and the fold of pending changes)."""
    figures_fold()
    return (RequestFigure.objects.filter(node__in=paths, measure__in=[M.SUBMITTED, M.DECIDED],
                                         period__gte=dt.date(year, 1, 1), period__lt=dt.date(year + 1, 1, 1))
            .order_by().values_list("node", "measure", "route", "working_days")
            .annotate(n=Sum("count"), a=Sum("amount")))
