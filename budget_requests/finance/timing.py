"""Decision times for the what-if: observed step durations and the central office's queue.

Nothing here reads a rule's response time. A replayed request's decision time is built from what the event
history shows, never from what the matrix allows, so changing the response-time settings alone moves nothing
and no output equals a configured limit by construction.

Durations (``DurationHistory``)
-------------------------------
For every decision of the last 365 days, the office time (``workflows.calendar.working_hours_between``, in
working days of the office-day length) from the step's start (the submission, or the previous decision of the
same revision) to the decision, grouped by the position kind of the step's rule. A replayed step draws one of
the observed durations of its position kind at random (so the spread is kept, not only the median); a kind with
fewer than ``MIN_SAMPLES`` observations draws from all kinds pooled (reported as ``pooled``); with fewer than
``MIN_SAMPLES`` observations in all, no time is reported (``none``) rather than an assumed one.

A synthetic year carries a **synthetic** history of its own (``synthetic_history``), labelled so in every
output: per position kind, 400 draws from a log-normal with the median and σ below (working days; the central
office's figure is its handling time once a dossier is taken up, the queue comes on top):

=====================  ========  =====
position kind          median    σ
=====================  ========  =====
lurah                  0.6       0.9
camat                  1.3       0.8
kepala_diskominfo      1.8       0.7
teknisi_diskominfo     1.2       0.7
=====================  ========  =====

Central queue
-------------
Steps of a central level (route class ``central`` in ``budget_requests.levels``: Diskominfo's verification and
its PA) are served by one office that takes up at most ``capacity`` dossiers per working day, in submission
order: a step that arrives on a day whose capacity is used waits for the first working day with a free slot,
then takes its drawn handling time. Capacity comes from the history (the most central decisions the office made
in one working day — what it has shown it can do), or the setting ``BUDGET_WHATIF_CENTRAL_CAPACITY_PER_DAY``
when set, or the synthetic history's 6 per working day. Without any, no queue is modelled (``capacity_source``
``none``). Local steps (lurah, camat) queue at their own desk, which their observed durations already include.

Intervals
---------
A replay runs ``runs`` times (default 60; fewer for a large period so that one page stays within about
``MAX_TIMED_REQUESTS`` replayed requests in all, never fewer than 10 runs) with different draws,
``random.Random(seed + run)``; the reported median and p90 are the medians over the runs, each with the
5th–95th percentile over the runs as its interval.
"""
from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from dataclasses import dataclass, field
from typing import Sequence

from django.conf import settings
from django.utils import timezone

from workflows import calendar

from ..levels import route_class_of

MIN_SAMPLES = 5
DEFAULT_RUNS = 60
MIN_RUNS = 10
MAX_TIMED_REQUESTS = 150_000
SYNTHETIC_DRAWS = 400
SYNTHETIC_CAPACITY = 6
# position kind: (median working days, sigma of the natural log)
SYNTHETIC_DURATIONS: dict[str, tuple[float, float]] = {
    "lurah": (0.6, 0.9),
    "camat": (1.3, 0.8),
    "kepala_diskominfo": (1.8, 0.7),
    "teknisi_diskominfo": (1.2, 0.7),
}


@dataclass
class DurationHistory:
    samples: dict[str, list[float]]
    capacity: int | None = None
    source: str = "observed"  # "observed" | "synthetic"
    capacity_source: str = "none"  # "observed" | "setting" | "synthetic" | "none"

    def for_kind(self, kind: str) -> tuple[list[float], str]:
        own = self.samples.get(kind, [])
        if len(own) >= MIN_SAMPLES:
            return own, self.source
        pooled = [x for values in self.samples.values() for x in values]
        if len(pooled) >= MIN_SAMPLES:
            return pooled, "pooled"
        return [], "none"


def office_day_hours() -> float:
    return calendar.office_hours().length.total_seconds() / 3600


def synthetic_history(seed: int) -> DurationHistory:
    """The documented synthetic history (module docstring), drawn from ``random.Random(seed)``."""
    rng = random.Random(f"durations-{seed}")
    samples = {kind: [round(median * math.exp(rng.gauss(0, sigma)), 3) for _ in range(SYNTHETIC_DRAWS)]
               for kind, (median, sigma) in SYNTHETIC_DURATIONS.items()}
    return DurationHistory(samples=samples, capacity=SYNTHETIC_CAPACITY, source="synthetic",
                           capacity_source="synthetic")


def observed_history(*, since_days: int = 365, limit: int = 20000) -> DurationHistory:
    """Step durations per position kind from the ``Decision`` rows, and the central office's peak day."""
    from ..models import Decision

    since = timezone.now() - dt.timedelta(days=since_days)
    rows = list(
        Decision.objects.filter(created_at__gte=since, request__submitted_at__isnull=False)
        .exclude(outcome="forward")
        .order_by("-request_id", "pk")  # the most recent requests first, each one's decisions in order
        .values_list("request_id", "revision", "created_at", "rule__position_kind", "position__kind",
                     "request__submitted_at", "request__revision", "rule__level", "rule__step_kind")[:limit]
    )
    samples: dict[str, list[float]] = {}
    central_per_day: dict[dt.date, int] = {}
    day_hours = office_day_hours()
    previous: tuple[int, dt.datetime] | None = None
    for req_id, revision, at, rule_kind, pos_kind, submitted, current_revision, level, step_kind in rows:
        kind = rule_kind or pos_kind or "other"
        if route_class_of(level, position_kind=kind, step_kind=step_kind or "approve") == "central":
            day = timezone.localtime(at).date()
            central_per_day[day] = central_per_day.get(day, 0) + 1
        if revision != current_revision:
            continue  # earlier revisions started before the (re)submission time we know
        start = previous[1] if previous and previous[0] == req_id else submitted
        previous = (req_id, at)
        if at < start:
            continue
        samples.setdefault(kind, []).append(calendar.working_hours_between(start, at) / day_hours)
    capacity, capacity_source = configured_capacity()
    if capacity is None and central_per_day:
        capacity, capacity_source = max(central_per_day.values()), "observed"
    return DurationHistory(samples=samples, capacity=capacity, capacity_source=capacity_source)


def configured_capacity() -> tuple[int | None, str]:
    value = getattr(settings, "BUDGET_WHATIF_CENTRAL_CAPACITY_PER_DAY", None)
    return (int(value), "setting") if value else (None, "none")


# --- office time ------------------------------------------------------------------------------------------
class OfficeClock:
    """Moments as a number of working days since the first working day of a year (fractions: office hours)."""

    def __init__(self, year: int):
        self.hours = calendar.office_hours()
        days, d = [], dt.date(year, 1, 1)
        while d.year <= year + 1:  # the next year too: a backlog may run past 31 December
            if calendar.is_working_day(d):
                days.append(d)
            d += dt.timedelta(days=1)
        self.index = {day: i for i, day in enumerate(days)}
        self.days = days

    def at(self, moment: dt.datetime) -> float:
        local = moment.astimezone(self.hours.tz) if moment.tzinfo else moment
        d = local.date()
        while d not in self.index:
            if d > self.days[-1]:
                return float(len(self.days))
            d += dt.timedelta(days=1)
            local = dt.datetime.combine(d, self.hours.start, tzinfo=self.hours.tz)
        start = dt.datetime.combine(d, self.hours.start, tzinfo=self.hours.tz)
        fraction = (local - start).total_seconds() / self.hours.length.total_seconds()
        return self.index[d] + min(max(fraction, 0.0), 1.0)


# --- simulation -------------------------------------------------------------------------------------------
@dataclass
class Timed:
    """One replayed request to time: its arrival (office time) and its route's (position kind, central?)."""

    arrival: float
    route_class: str
    steps: tuple[tuple[str, bool], ...]


@dataclass
class RunStats:
    times: list[float]
    route_times: dict[str, list[float]]
    backlog_max: int
    wait_mean: float | None


@dataclass
class Timing:
    median: float | None = None
    median_interval: tuple[float, float] | None = None
    p90: float | None = None
    p90_interval: tuple[float, float] | None = None
    route_median: dict[str, float | None] = field(default_factory=dict)
    backlog_max: int | None = None
    wait_mean: float | None = None
    source: str = "none"
    capacity: int | None = None
    capacity_source: str = "none"
    runs: int = 0


def is_central_step(step) -> bool:
    return route_class_of(step.level, position_kind=step.position_kind, step_kind=step.step_kind) == "central"


def simulate_run(items: Sequence[Timed], history: DurationHistory, rng: random.Random) -> RunStats | None:
    used: dict[int, int] = {}
    capacity = history.capacity
    times: list[float] = []
    route_times: dict[str, list[float]] = {}
    waits: list[float] = []
    queued: list[tuple[int, int]] = []  # (arrival day, service day) of each central step
    for item in items:
        t = item.arrival
        for kind, central in item.steps:
            pool, _source = history.for_kind(kind)
            if not pool:
                return None
            handling = rng.choice(pool)
            if central and capacity:
                day = int(t)
                while used.get(day, 0) >= capacity:
                    day += 1
                used[day] = used.get(day, 0) + 1
                start = max(t, float(day))
                waits.append(start - t)
                queued.append((int(t), day))
                t = start + handling
            else:
                t += handling
        elapsed = round(t - item.arrival, 3)
        times.append(elapsed)
        route_times.setdefault(item.route_class, []).append(elapsed)
    return RunStats(times=times, route_times=route_times, backlog_max=_backlog_max(queued),
                    wait_mean=round(statistics.fmean(waits), 3) if waits else None)


def _backlog_max(queued: list[tuple[int, int]]) -> int:
    """The most central dossiers waiting at the end of any working day (arrived, not yet taken up)."""
    change: dict[int, int] = {}
    for arrival, service in queued:
        if service > arrival:
            change[arrival] = change.get(arrival, 0) + 1
            change[service] = change.get(service, 0) - 1
    level = peak = 0
    for day in sorted(change):
        level += change[day]
        peak = max(peak, level)
    return peak


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]


def time_requests(items: Sequence[Timed], history: DurationHistory, *, runs: int = DEFAULT_RUNS,
                  seed: int = 1) -> Timing:
    """Decision times of the replayed requests over ``runs`` draws (module docstring)."""
    kinds = {kind for item in items for kind, _c in item.steps}
    sources = {history.for_kind(k)[1] for k in kinds}
    timing = Timing(capacity=history.capacity, capacity_source=history.capacity_source if history.capacity else "none")
    if not items or "none" in sources:
        return timing
    runs = min(runs, max(MIN_RUNS, MAX_TIMED_REQUESTS // len(items)))
    stats = [simulate_run(items, history, random.Random(seed + run)) for run in range(runs)]
    stats = [s for s in stats if s is not None and s.times]
    if not stats:
        return timing
    medians = [statistics.median(s.times) for s in stats]
    p90s = [_quantile(s.times, 0.9) for s in stats]
    timing.median = round(statistics.median(medians), 2)
    timing.median_interval = (round(_quantile(medians, 0.05), 2), round(_quantile(medians, 0.95), 2))
    timing.p90 = round(statistics.median(p90s), 2)
    timing.p90_interval = (round(_quantile(p90s, 0.05), 2), round(_quantile(p90s, 0.95), 2))
    routes = {r for s in stats for r in s.route_times}
    timing.route_median = {r: round(statistics.median([statistics.median(s.route_times[r]) for s in stats
                                                       if r in s.route_times]), 2) for r in routes}
    timing.backlog_max = int(statistics.median([s.backlog_max for s in stats]))
    waits = [s.wait_mean for s in stats if s.wait_mean is not None]
    timing.wait_mean = round(statistics.median(waits), 2) if waits else None
    timing.source = "pooled" if "pooled" in sources else history.source
    timing.runs = len(stats)
    return timing
