"""Every finance figure, once: the dashboard, the drill-down, the exports, the monthly PDF and the API read here.

Where the figures come from
---------------------------
The dashboard's figures (envelopes, states, ageing, time to decision, monthly trend, red-flag count) and the
transparency page read the summary tables (``finance/figures.py``): every request and ledger change records its
difference in its own transaction and readers fold the pending ones in first (``services/summaries.py``), so a
page costs the same at a thousand requests as at a million.
The drill-down and the exports of request rows read the requests themselves (paginated or streamed).

Scope and filters
-----------------
Each selector takes the viewing ``user`` and a ``FinanceFilter`` (fiscal year, month range, unit, category,
state). Rows are restricted by ``workflows.policy.unit_scope_q``: BPKAD, Inspektorat and other city-wide
positions see the whole city, a camat their kecamatan (with its kelurahan), a lurah their kelurahan.
Requests count in a period by their **submission** time (``submitted_at``, WIB); drafts have none and are
never part of finance figures.

Definitions
-----------
* **Envelope figures** are derived from the append-only ledger (summed per month) as of the end of the
  period (so a month range shows the state at its last day): allocation = Σ allocate; paid = Σ pay; reserved = Σ reserve −
  Σ release − Σ pay; room = allocation − reserved − paid. Absorption = paid / allocation and
  (reserved + paid) / allocation, as ``Decimal`` percentages rounded to 0.1.
* **Red-flag count**: requests in scope and filter that carry a red flag (the drill-down behind the badge).
* **Open requests** wait for a decision: states submitted, under review, returned for revision.
* **Ageing** counts working days (``workflows.calendar``) from the submission day to today:
  ``working_days_between(submitted_day, today)`` in buckets 0–2, 3–5, 6–10 and over 10. The buckets are
  computed with boundary dates (the earliest submission day still inside each bucket): the three young
  buckets sum the summary's day rows of open requests, "over 10" is every open request of the period less
  those; the drill-down filters ``submitted_at`` against the same boundaries.
* **Time to decision** is ``working_days_between(submitted_day, decided_day)`` for requests with a final
  decision (approval or rejection), counted when the request is decided and kept in the summary. The
  **route** of a decided request is the route class of the rule behind its final decision: ``lurah``,
  ``camat``, or ``central`` (Kepala Diskominfo / BPKAD / anything above the kecamatan).
  Median: the middle value (mean of the two middle ones for an even count); p90: nearest rank
  (the ⌈0.9·n⌉-th smallest value).
"""
from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from workflows import calendar
from workflows.acting import local_date
from workflows.formatting import BULAN
from workflows.models import OrgUnit, OrgUnitKind, User
from workflows.policy import unit_scope_q, visible_unit_paths

from .. import redflags
from . import figures
from ..levels import LOCAL_ROUTE_CLASSES, route_class_of, route_class_q
from ..models import (
    Decision, DecisionOutcome, Envelope, RedFlag, RepairCategory, RepairRequest,
    RequestState,
)

S = RequestState
OPEN_STATES = (S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED)
APPROVED_STATES = (S.APPROVED, S.SPP_SUBMITTED, S.SPP_VERIFIED, S.SPM_ISSUED, S.PAID, S.CLOSED)
LOCAL_ROUTES = LOCAL_ROUTE_CLASSES  # from the decision-level descriptors (lurah as KPA, camat as PA)
ROUTES = (("lurah", _("Diputus lurah")), ("camat", _("Diputus camat")), ("central", _("Diputus pusat (PA perangkat daerah)")))
ROUTE_LABELS = dict(ROUTES)
# Ageing buckets: key, label, lowest and highest working days (None = open-ended).
AGEING_BUCKETS = (
    ("0-2", _("0–2 hari kerja"), 0, 2),
    ("3-5", _("3–5 hari kerja"), 3, 5),
    ("6-10", _("6–10 hari kerja"), 6, 10),
    ("10+", _("Lebih dari 10 hari kerja"), 11, None),
)
# Histogram bins of time to decision (working days).
DECISION_BINS = ((0, 0), (1, 1), (2, 2), (3, 3), (4, 5), (6, 10), (11, 20), (21, None))


def wib() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_start(d: dt.date) -> dt.datetime:
    """Midnight WIB at the start of ``d`` (aware)."""
    return dt.datetime.combine(d, dt.time.min, tzinfo=wib())


def pct(part: int, whole: int) -> Decimal | None:
    """``part/whole`` as a percentage rounded to one decimal, None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def bin_label(lo: int, hi: int | None) -> str:
    if hi is None:
        return f"≥{lo}"
    return str(lo) if lo == hi else f"{lo}–{hi}"


# --- the filter ---------------------------------------------------------------------------------------------
@dataclass
class FinanceFilter:
    """What the user asked for. ``unit`` restricts to that unit and everything under it (inside the scope)."""

    year: int
    month_from: int = 1
    month_to: int = 12
    unit: OrgUnit | None = None
    category: str = ""
    state: str = ""

    @classmethod
    def default(cls) -> "FinanceFilter":
        return cls(year=local_date().year)

    @property
    def start(self) -> dt.datetime:
        return day_start(dt.date(self.year, self.month_from, 1))

    @property
    def end(self) -> dt.datetime:
        """Exclusive end of the period (midnight WIB after its last day)."""
        y, m = (self.year + 1, 1) if self.month_to == 12 else (self.year, self.month_to + 1)
        return day_start(dt.date(y, m, 1))

    @property
    def months(self) -> list[tuple[int, int]]:
        return [(self.year, m) for m in range(self.month_from, self.month_to + 1)]

    @property
    def period_label(self) -> str:
        if self.month_from == 1 and self.month_to == 12:
            return str(_("Tahun anggaran %(year)s") % {"year": self.year})
        if self.month_from == self.month_to:
            return f"{BULAN[self.month_from - 1]} {self.year}"
        return f"{BULAN[self.month_from - 1]}–{BULAN[self.month_to - 1]} {self.year}"

    def params(self, **extra) -> dict[str, str]:
        """The query-string form (for links to the drill-down and exports)."""
        out = {"year": str(self.year)}
        if self.month_from != 1:
            out["month_from"] = str(self.month_from)
        if self.month_to != 12:
            out["month_to"] = str(self.month_to)
        if self.unit is not None:
            out["unit"] = self.unit.code
        if self.category:
            out["category"] = self.category
        if self.state:
            out["state"] = self.state
        out.update({k: str(v) for k, v in extra.items() if v not in (None, "")})
        return out


def visible_units(user: User) -> list[OrgUnit]:
    """Kecamatan and kelurahan the user may filter on, each kecamatan followed by its own kelurahan."""
    from workflows.models.org import tree_key

    units = OrgUnit.objects.filter(
        unit_scope_q(user, field=""), kind__in=[OrgUnitKind.KECAMATAN, OrgUnitKind.KELURAHAN], is_active=True,
    )
    return sorted(units, key=lambda u: tree_key(u.path))


def scope_paths(user: User) -> list[str] | None:
    """``workflows.policy.visible_unit_paths`` for today (remembered on the user object for one request)."""
    return visible_unit_paths(user)


def _unit_filter(field: str, unit: OrgUnit | None) -> Q:
    if unit is None:
        return Q()
    return Q(**{f"{field}__path": unit.path}) | Q(**{f"{field}__path__startswith": unit.path + "/"})


# --- requests -----------------------------------------------------------------------------------------------
def requests_qs(user: User, f: FinanceFilter, *, prefix: str = "", state: bool = True) -> Q:
    """The Q for requests in scope and filter, on a queryset whose request lookups start with ``prefix``."""
    q = unit_scope_q(user, field=f"{prefix}org_unit") & _unit_filter(f"{prefix}org_unit", f.unit)
    q &= Q(**{f"{prefix}submitted_at__gte": f.start, f"{prefix}submitted_at__lt": f.end})
    if f.category:
        q &= Q(**{f"{prefix}category": f.category})
    if state and f.state:
        q &= Q(**{f"{prefix}state": f.state})
    return q


def scoped_requests(user: User, f: FinanceFilter) -> QuerySet[RepairRequest]:
    return RepairRequest.objects.filter(requests_qs(user, f))


@dataclass
class StateRow:
    state: str
    label: str
    count: int
    amount: int


def dashboard_rows(user: User, f: FinanceFilter, today: dt.date | None = None) -> figures.FigureRows:
    """The summary rows of ``f`` (with the day rows the ageing buckets need as of ``today``). One query."""
    today = today or local_date()
    return figures.figure_rows(user, f, open_since=ageing_boundaries(today)[10])


def requests_by_state(user: User, f: FinanceFilter, rows: figures.FigureRows | None = None) -> list[StateRow]:
    """Count and amount of requests per state (every state listed, zero included)."""
    rows = figures.figure_rows(user, f) if rows is None else rows
    totals: dict[str, list[int]] = {}
    for _month, state, n, amount in rows.submitted:
        t = totals.setdefault(state, [0, 0])
        t[0] += n
        t[1] += amount
    return [StateRow(st.value, str(st.label), *totals.get(st.value, [0, 0])) for st in RequestState if st != S.DRAFT]


# --- envelopes ----------------------------------------------------------------------------------------------
@dataclass
class EnvelopeRow:
    id: int
    unit: str
    unit_code: str
    account_code: str
    name: str
    allocated: int
    reserved: int
    paid: int
    unit_path: str = ""

    @property
    def room(self) -> int:
        return self.allocated - self.reserved - self.paid

    @property
    def absorption_paid(self) -> Decimal | None:
        return pct(self.paid, self.allocated)

    @property
    def absorption_committed(self) -> Decimal | None:
        return pct(self.reserved + self.paid, self.allocated)


def envelope_summary(user: User, f: FinanceFilter, *, folded: bool = False) -> list[EnvelopeRow]:
    """Envelopes of the fiscal year in scope with ledger totals as of the end of the period. Two queries:
    the envelopes, and their monthly ledger summaries before the end of the period."""
    envelopes = list(
        Envelope.objects.filter(unit_scope_q(user), _unit_filter("org_unit", f.unit), fiscal_year=f.year)
        .select_related("org_unit").order_by("org_unit__path", "account_code")
    )

    sums = figures.envelope_totals_until([e.pk for e in envelopes], figures.period_days(f)[1], folded=folded)
    from workflows.models.org import tree_key

    envelopes.sort(key=lambda e: (tree_key(e.org_unit.path), e.account_code))  # each kelurahan under its kecamatan
    rows = []
    for e in envelopes:
        t = sums.get(e.pk, {"a": 0, "r": 0, "p": 0, "rel": 0})
        rows.append(EnvelopeRow(id=e.pk, unit=str(e.org_unit), unit_code=e.org_unit.code, account_code=e.account_code,
                                name=e.name, allocated=t["a"], reserved=t["r"] - t["rel"] - t["p"], paid=t["p"],
                                unit_path=e.org_unit.path))
    return rows


def envelopes_by_kecamatan(rows: Iterable[EnvelopeRow]) -> list[EnvelopeRow]:
    """Envelope rows summed per kecamatan (the kecamatan's own envelopes and those of its kelurahan); rows of
    units outside any kecamatan stay as they are. ``unit_code`` of a sum is the kecamatan's code."""
    groups: dict[str, EnvelopeRow] = {}
    for r in rows:
        parts = r.unit_path.split("/")
        key = "/".join(parts[:2]) if len(parts) >= 2 else r.unit_path
        g = groups.get(key)
        if g is None:
            g = groups[key] = EnvelopeRow(id=0, unit=r.unit, unit_code=key.rsplit("/", 1)[-1], account_code="",
                                          name="", allocated=0, reserved=0, paid=0, unit_path=key)
        if r.unit_path == key:
            g.unit = r.unit
        g.allocated += r.allocated
        g.reserved += r.reserved
        g.paid += r.paid
    return list(groups.values())


def envelope_totals(rows: Iterable[EnvelopeRow]) -> EnvelopeRow:
    rows = list(rows)
    return EnvelopeRow(id=0, unit=str(_("Jumlah")), unit_code="", account_code="", name="",
                       allocated=sum(r.allocated for r in rows), reserved=sum(r.reserved for r in rows),
                       paid=sum(r.paid for r in rows))


# --- ageing -------------------------------------------------------------------------------------------------
def ageing_boundaries(today: dt.date) -> dict[int, dt.date]:
    """For k in (2, 5, 10): the earliest day D with ``working_days_between(D, today) <= k``.

    Walks back from today one calendar day at a time (about three weeks at most)."""
    out: dict[int, dt.date] = {}
    d, count = today, 0
    for k in (2, 5, 10):
        while True:
            step = 1 if calendar.is_working_day(d) else 0
            if count + step > k:
                break
            count += step
            d -= dt.timedelta(days=1)
        out[k] = d
    return out


def ageing_q(bucket: str, today: dt.date, prefix: str = "") -> Q:
    """Open requests whose submission day falls in ``bucket`` (a key of ``AGEING_BUCKETS``)."""
    b = ageing_boundaries(today)
    field = f"{prefix}submitted_at"
    lower = {"0-2": b[2], "3-5": b[5], "6-10": b[10], "10+": None}[bucket]
    upper = {"0-2": None, "3-5": b[2], "6-10": b[5], "10+": b[10]}[bucket]
    q = Q(**{f"{prefix}state__in": OPEN_STATES})
    if lower is not None:
        q &= Q(**{f"{field}__gte": day_start(lower)})
    if upper is not None:
        q &= Q(**{f"{field}__lt": day_start(upper)})
    return q


@dataclass
class AgeingRow:
    key: str
    label: str
    count: int
    amount: int


def ageing_bucket_of(day: dt.date, boundaries: dict[int, dt.date]) -> str:
    if day >= boundaries[2]:
        return "0-2"
    if day >= boundaries[5]:
        return "3-5"
    if day >= boundaries[10]:
        return "6-10"
    return "10+"


def ageing(user: User, f: FinanceFilter, today: dt.date | None = None,
           rows: figures.FigureRows | None = None) -> list[AgeingRow]:
    """Open requests per working-day bucket since submission: the day rows of the last ~3 weeks fill the three
    young buckets; "over 10" is every open request of the period less those."""
    today = today or local_date()
    rows = dashboard_rows(user, f, today) if rows is None else rows
    b = ageing_boundaries(today)
    totals = {key: [0, 0] for key, *_rest in AGEING_BUCKETS}
    old = totals["10+"]
    for _month, state, n, amount in rows.submitted:
        if state in OPEN_STATES:
            old[0] += n
            old[1] += amount
    for day, state, n, amount in rows.open_days:
        bucket = ageing_bucket_of(day, b)
        if state in OPEN_STATES and bucket != "10+":
            totals[bucket][0] += n
            totals[bucket][1] += amount
            old[0] -= n
            old[1] -= amount
    return [AgeingRow(key, str(label), *totals[key]) for key, label, _lo, _hi in AGEING_BUCKETS]


# --- working-day index --------------------------------------------------------------------------------------
class WorkdayIndex:
    """W(d) = number of working days in (origin, d], so ``working_days_between(a, b) == W(b) - W(a)``."""

    def __init__(self, start: dt.date, end: dt.date):
        self.origin = start - dt.timedelta(days=1)
        self.ordinal: dict[dt.date, int] = {}
        count, d = 0, start
        while d <= end:
            if calendar.is_working_day(d):
                count += 1
            self.ordinal[d] = count
            d += dt.timedelta(days=1)

    def between(self, a: dt.date, b: dt.date) -> int:
        if a in self.ordinal and b in self.ordinal:
            return self.ordinal[b] - self.ordinal[a]
        return calendar.working_days_between(a, b)

    def days_with(self, ordinal_lo: int, ordinal_hi: int) -> tuple[dt.date, dt.date] | None:
        """The first and last day whose W lies in [lo, hi] (None when none does)."""
        if not hasattr(self, "_spans"):
            self._spans: dict[int, list[dt.date]] = {}
            for d, w in self.ordinal.items():
                span = self._spans.setdefault(w, [d, d])
                span[0], span[1] = min(span[0], d), max(span[1], d)
        lo = next((w for w in range(ordinal_lo, ordinal_hi + 1) if w in self._spans), None)
        hi = next((w for w in range(ordinal_hi, ordinal_lo - 1, -1) if w in self._spans), None)
        if lo is None or hi is None:
            return None
        return self._spans[lo][0], self._spans[hi][1]


# --- time to decision ---------------------------------------------------------------------------------------
def route_of(position_kind: str | None, level: str | None = None) -> str:
    """The route class of a final decision, read from its rule's decision level (or, for a rule stored before
    levels existed, the level its position kind implies)."""
    return route_class_of(level, position_kind=position_kind or "")


def weighted_median(values: dict[int, int]) -> Decimal | None:
    n = sum(values.values())
    if not n:
        return None
    ordered = sorted(values.items())

    def nth(k: int) -> int:  # k-th smallest, 1-based
        seen = 0
        for v, c in ordered:
            seen += c
            if seen >= k:
                return v
        return ordered[-1][0]

    if n % 2:
        return Decimal(nth(n // 2 + 1))
    return (Decimal(nth(n // 2)) + Decimal(nth(n // 2 + 1))) / 2


def weighted_p90(values: dict[int, int]) -> int | None:
    n = sum(values.values())
    if not n:
        return None
    k = math.ceil(0.9 * n)
    seen = 0
    for v, c in sorted(values.items()):
        seen += c
        if seen >= k:
            return v
    return None


@dataclass
class RouteTimes:
    route: str
    label: str
    count: int = 0
    amount: int = 0
    values: dict[int, int] = field(default_factory=dict)  # working days -> requests

    @property
    def median(self) -> Decimal | None:
        return weighted_median(self.values)

    @property
    def p90(self) -> int | None:
        return weighted_p90(self.values)

    @property
    def bins(self) -> list[tuple[int, int | None, int]]:
        return [(lo, hi, sum(c for v, c in self.values.items() if v >= lo and (hi is None or v <= hi)))
                for lo, hi in DECISION_BINS]


def decision_times(user: User, f: FinanceFilter, rows: figures.FigureRows | None = None) -> list[RouteTimes]:
    """Per route (lurah, camat, central) and overall ("all"): counts, amounts, median, p90, histogram. The
    working days were counted when each request was decided (see ``services/summaries.py``)."""
    rows = figures.figure_rows(user, f) if rows is None else rows
    out = {key: RouteTimes(key, str(label)) for key, label in ROUTES}
    out["all"] = RouteTimes("all", str(_("Semua rute")))
    for _month, _state, route, days, n, amount in rows.decided:
        for key in (route if route in out else "central", "all"):
            rt = out[key]
            rt.count += n
            rt.amount += amount
            rt.values[days] = rt.values.get(days, 0) + n
    return [out[k] for k, _l in ROUTES] + [out["all"]]


def decision_time_q(lo: int, hi: int | None, f: FinanceFilter) -> Q:
    """Decided requests whose time to decision lies in [lo, hi] working days, as date-range conditions.

    For each run of submission days sharing one working-day ordinal W(s), the decision day must have
    W(d) in [W(s)+lo, W(s)+hi]: one (submission range, decision range) pair per run, OR-ed together."""
    start = f.start.astimezone(wib()).date()
    last = (f.end.astimezone(wib()) - dt.timedelta(days=1)).date()
    index = WorkdayIndex(start, max(last, local_date()) + dt.timedelta(days=400))
    runs: dict[int, list[dt.date]] = {}
    for d, w in index.ordinal.items():
        if start <= d <= last:
            runs.setdefault(w, []).append(d)
    top = max(index.ordinal.values())
    q = Q(pk__in=[])
    for w, days in runs.items():
        span = index.days_with(w + lo, top if hi is None else w + hi)
        if span is None:
            continue
        q |= (Q(submitted_at__gte=day_start(min(days)), submitted_at__lt=day_start(max(days) + dt.timedelta(days=1)))
              & Q(decided_at__gte=day_start(span[0]), decided_at__lt=day_start(span[1] + dt.timedelta(days=1))))
    return q & Q(decided_at__isnull=False)


def route_q(route: str) -> Q:
    """Decided requests whose final decision was taken under a rule of ``route``."""
    final = Decision.objects.filter(route_class_q(route if route in LOCAL_ROUTES else "central"),
                                    request=OuterRef("pk"), is_final=True)
    return Q(Exists(final), decided_at__isnull=False)


# --- monthly trend ------------------------------------------------------------------------------------------
@dataclass
class MonthRow:
    year: int
    month: int
    submitted: int = 0
    submitted_amount: int = 0
    decided: int = 0
    approved_amount: int = 0
    paid_amount: int = 0

    @property
    def label(self) -> str:
        return f"{BULAN[self.month - 1][:3]} {self.year}"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"


def monthly_trend(user: User, f: FinanceFilter, rows: figures.FigureRows | None = None) -> list[MonthRow]:
    """Per month of the period, for the requests submitted in the period: how many were submitted (count,
    amount) and decided (count; amount of those now approved, paid or closed) in that month; and the rupiah
    paid in that month (requests in scope and filter, by the month their payment was recorded)."""
    rows = figures.figure_rows(user, f) if rows is None else rows
    out = {(y, m): MonthRow(y, m) for y, m in f.months}
    for month, _state, n, amount in rows.submitted:
        row = out.get((month.year, month.month))
        if row:
            row.submitted += n
            row.submitted_amount += amount
    for _month, state, decided_ym, n, amount in rows.decided_months:
        row = out.get(divmod(decided_ym, 100))
        if row:
            row.decided += n
            if state in APPROVED_STATES:
                row.approved_amount += amount
    for month, _state, amount in rows.paid:
        row = out.get((month.year, month.month))
        if row:
            row.paid_amount += amount
    return list(out.values())


def dashboard_figures(user: User, f: FinanceFilter, today: dt.date | None = None) -> dict:
    """Everything the dashboard and the monthly report show: three queries on the summary tables (the
    request figures; the envelopes and their ledger months), whatever the number of requests."""
    rows = dashboard_rows(user, f, today)
    envelopes = envelope_summary(user, f, folded=True)  # ``dashboard_rows`` has just folded the pending changes
    return {
        "envelopes": envelopes, "totals": envelope_totals(envelopes),
        "states": requests_by_state(user, f, rows), "ageing": ageing(user, f, today, rows),
        "times": decision_times(user, f, rows), "trend": monthly_trend(user, f, rows),
        "flagged": rows.flagged,
    }


BASIS_LABELS = redflags.BASIS_LABELS


# --- red flags ----------------------------------------------------------------------------------------------
def red_flags(user: User, f: FinanceFilter) -> QuerySet[RedFlag]:
    """Red flags on requests in scope and filter, newest first, with their request and unit joined."""
    return (
        RedFlag.objects.filter(requests_qs(user, f, prefix="request__"))
        .select_related("request", "request__org_unit", "reviewed_by")
        .order_by("-created_at", "-pk")
    )


# --- the drill-down -----------------------------------------------------------------------------------------
DRILL_KEYS = ("bucket", "route", "dt_lo", "dt_hi", "envelope", "flagged", "month", "decided_month", "open", "decided")


def drilldown(user: User, f: FinanceFilter, params: dict, today: dt.date | None = None) -> QuerySet[RepairRequest]:
    """The requests behind a figure: the filter plus one of the figure's own conditions.

    ``bucket`` (ageing key), ``route`` (lurah/camat/central) with optional ``dt_lo``/``dt_hi`` (a
    decision-time bin), ``envelope`` (id), ``flagged`` (1), ``month`` (YYYY-MM of submission),
    ``decided_month`` (YYYY-MM of decision), ``open`` (1). Unknown or malformed values are ignored."""
    today = today or local_date()
    qs = scoped_requests(user, f)
    bucket = params.get("bucket")
    if bucket in {b[0] for b in AGEING_BUCKETS}:
        qs = qs.filter(ageing_q(bucket, today))
    if params.get("decided") == "1":
        qs = qs.filter(decided_at__isnull=False)
    if params.get("open") == "1":
        qs = qs.filter(state__in=OPEN_STATES)
    route = params.get("route")
    if route in ROUTE_LABELS:
        qs = qs.filter(route_q(route))
    lo, hi = _int(params.get("dt_lo")), _int(params.get("dt_hi"))
    if lo is not None:
        qs = qs.filter(decision_time_q(lo, hi, f))
    env = _int(params.get("envelope"))
    if env is not None:
        qs = qs.filter(envelope_id=env)
    if params.get("flagged") == "1":
        qs = qs.filter(is_flagged=True)
    for key, fld in (("month", "submitted_at"), ("decided_month", "decided_at")):
        ym = _month(params.get(key))
        if ym:
            y, m = ym
            nxt = dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)
            qs = qs.filter(**{f"{fld}__gte": day_start(dt.date(y, m, 1)), f"{fld}__lt": day_start(nxt)})
    return qs.select_related("org_unit", "asset", "envelope").order_by("-submitted_at", "-pk")


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _month(value) -> tuple[int, int] | None:
    try:
        y, m = str(value).split("-")
        y, m = int(y), int(m)
        return (y, m) if 1 <= m <= 12 and 2000 <= y <= 2100 else None
    except (TypeError, ValueError):
        return None


# --- public figures -----------------------------------------------------------------------------------------
@dataclass
class PublicRow:
    kecamatan: str
    count: int = 0
    amount: int = 0
    decided: int = 0
    decided_locally: int = 0
    values: dict[int, int] = field(default_factory=dict)

    @property
    def median_days(self) -> Decimal | None:
        return weighted_median(self.values)


def public_summary(year: int) -> list[PublicRow]:
    """Repairs per kecamatan in ``year`` for the transparency page: aggregates only, from the summary rows at
    each kecamatan's node. Two queries."""
    kecamatan = list(OrgUnit.objects.filter(kind=OrgUnitKind.KECAMATAN, is_active=True).order_by("name")
                     .values_list("path", "name"))
    rows = {path: PublicRow(name) for path, name in kecamatan}
    for node, measure, route, days, n, amount in figures.kecamatan_rows(list(rows), year):
        row = rows[node]
        if measure == figures.M.SUBMITTED:
            row.count += n
            row.amount += amount or 0
            continue
        row.decided += n
        if route in LOCAL_ROUTES:
            row.decided_locally += n
        row.values[days] = row.values.get(days, 0) + n
    return list(rows.values())


CATEGORY_CHOICES = RepairCategory.choices
STATE_CHOICES = [(s.value, s.label) for s in RequestState if s != S.DRAFT]
__all__ = [
    "FinanceFilter", "requests_by_state", "envelope_summary", "envelope_totals", "ageing", "decision_times",
    "monthly_trend", "red_flags", "drilldown", "public_summary", "visible_units", "OPEN_STATES", "DecisionOutcome",
]
