"""Indonesian working days, office hours and legal deadlines: the one place that counts days.

A **working day** (hari kerja) is a day that is

* one of the office weekdays (``PAMONG_OFFICE_HOURS["weekdays"]``, Monday–Friday by default), and
* not a national holiday (hari libur nasional) of the pinned ``holidays`` package, public category, and
* not an active ``NonWorkingDay`` row (cuti bersama from the yearly SKB, regional or extraordinary days off),

unless an active ``WorkingDayOverride`` row says the day is worked after all (a holiday moved by decree).

The ``holidays`` package also has a "government" category with the cuti bersama days; it is deliberately
**not** used: cuti bersama are data rows (seeded from ``workflows/data/cuti_bersama.json``) so that a new or
amended SKB is a data change that an administrator makes, not a package upgrade.

Days are calendar dates in the city's time zone (WIB). Functions that take a ``date`` also accept an aware
``datetime``, which is first converted to its WIB date.

Caching: the set of days off of a year is computed once per process and kept for
``PAMONG_CALENDAR_CACHE_SECONDS`` (default 300). The calendar service (``workflows.services.calendar``)
clears this process's cache whenever it writes a row; other processes (other web workers, the Celery
worker) pick the change up when their entry expires.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

DEFAULT_OFFICE_HOURS = {"start": "08:00", "end": "16:00", "weekdays": [0, 1, 2, 3, 4], "timezone": "Asia/Jakarta"}

_cache: dict[int, tuple[float, frozenset[dt.date], frozenset[dt.date]]] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class OfficeHours:
    start: dt.time
    end: dt.time
    weekdays: frozenset[int]
    tz: dt.tzinfo

    @property
    def length(self) -> dt.timedelta:
        return dt.datetime.combine(dt.date.min, self.end) - dt.datetime.combine(dt.date.min, self.start)


def _parse_time(value: str | dt.time) -> dt.time:
    if isinstance(value, dt.time):
        return value
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def office_hours() -> OfficeHours:
    """The office hours from ``settings.PAMONG_OFFICE_HOURS`` (default 08:00–16:00 WIB, Monday–Friday)."""
    conf = {**DEFAULT_OFFICE_HOURS, **getattr(settings, "PAMONG_OFFICE_HOURS", {})}
    hours = OfficeHours(
        start=_parse_time(conf["start"]),
        end=_parse_time(conf["end"]),
        weekdays=frozenset(int(d) for d in conf["weekdays"]),
        tz=zoneinfo.ZoneInfo(conf["timezone"]),
    )
    if hours.end <= hours.start:
        raise ValueError("PAMONG_OFFICE_HOURS: end must be after start")
    return hours


def clear_cache() -> None:
    """Forget every cached year (called by the calendar service after it writes; tests call it too)."""
    with _cache_lock:
        _cache.clear()


@lru_cache(maxsize=64)
def national_holidays(year: int) -> dict[dt.date, str]:
    """National holidays of ``year`` from the pinned ``holidays`` package (public category only)."""
    return dict(holidays.Indonesia(years=year, categories=(holidays.PUBLIC,), language="id"))


def _year_sets(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(extra days off, overridden working days) of ``year`` from the database, cached."""
    ttl = float(getattr(settings, "PAMONG_CALENDAR_CACHE_SECONDS", 300))
    now = time.monotonic()
    entry = _cache.get(year)
    if entry is not None and now - entry[0] < ttl:
        return entry[1], entry[2]
    from .models import NonWorkingDay, WorkingDayOverride

    off = frozenset(NonWorkingDay.objects.filter(date__year=year, is_active=True).values_list("date", flat=True))
    worked = frozenset(
        WorkingDayOverride.objects.filter(date__year=year, is_active=True).values_list("date", flat=True)
    )
    with _cache_lock:
        _cache[year] = (now, off, worked)
    return off, worked


def _as_date(d: dt.date | dt.datetime) -> dt.date:
    if isinstance(d, dt.datetime):
        return timezone.localtime(d, office_hours().tz).date() if timezone.is_aware(d) else d.date()
    return d


def is_working_day(d: dt.date | dt.datetime) -> bool:
    """True when government offices work on day ``d`` (see the module docstring for the rule)."""
    d = _as_date(d)
    off, worked = _year_sets(d.year)
    if d in worked:
        return True
    if d.weekday() not in office_hours().weekdays:
        return False
    return d not in off and d not in national_holidays(d.year)


def non_working_reason(d: dt.date) -> str:
    """Why ``d`` is not a working day ("Sabtu", a holiday's or cuti bersama's name), or "" when it is one."""
    if is_working_day(d):
        return ""
    from .models import NonWorkingDay

    row = NonWorkingDay.objects.filter(date=d, is_active=True).first()
    if row:
        return row.name
    if d in national_holidays(d.year):
        return national_holidays(d.year)[d]
    return ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")[d.weekday()]


def add_calendar_days(d: dt.date | dt.datetime, n: int) -> dt.date:
    """The date ``n`` calendar days after ``d`` (before it when ``n`` is negative).

    A deadline in calendar days ("paling lama 7 (tujuh) hari") is not moved when it falls on a holiday.
    """
    return _as_date(d) + dt.timedelta(days=n)


def add_working_days(d: dt.date | dt.datetime, n: int) -> dt.date:
    """The ``n``-th working day after ``d`` (``d`` itself is never counted).

    ``n == 0`` returns ``d`` unchanged; a negative ``n`` gives the ``|n|``-th working day before ``d``.
    E.g. from Tuesday 17 March 2026 the 1st working day after is Wednesday 25 March 2026: Nyepi, Idul Fitri
    1447 H, their cuti bersama and a weekend lie in between.
    """
    d = _as_date(d)
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        d += dt.timedelta(days=step)
        if is_working_day(d):
            remaining -= 1
    return d


def working_days_between(a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
    """The number of working days in the half-open interval (a, b]; negative when ``b`` is before ``a``.

    So ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n >= 0``.
    """
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -working_days_between(b, a)
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def _to_local(at: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    if timezone.is_naive(at):
        return at.replace(tzinfo=tz)
    return at.astimezone(tz)


def _next_opening(at: dt.datetime, hours: OfficeHours) -> dt.datetime:
    """``at`` if the office is open then, else the next moment it opens."""
    day = at.date()
    if is_working_day(day):
        start = dt.datetime.combine(day, hours.start, tzinfo=hours.tz)
        end = dt.datetime.combine(day, hours.end, tzinfo=hours.tz)
        if at < start:
            return start
        if at < end:
            return at
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, hours.start, tzinfo=hours.tz)


def add_working_hours(at: dt.datetime, hours: float | int | dt.timedelta) -> dt.datetime:
    """The moment after ``hours`` of office time counted from ``at`` (an SLA such as "4 jam kerja").

    Office time is the span ``PAMONG_OFFICE_HOURS`` start–end on working days. Counting starts at ``at``
    if the office is open then, else at the next opening. A span that ends exactly at closing time ends at
    closing time (16:00), not at the next morning's opening. ``hours`` must not be negative. A naive
    ``at`` is taken as office-local time (WIB). The result is aware, in the office's time zone.
    """
    conf = office_hours()
    remaining = hours if isinstance(hours, dt.timedelta) else dt.timedelta(hours=hours)
    if remaining < dt.timedelta(0):
        raise ValueError("hours must not be negative")
    current = _next_opening(_to_local(at, conf.tz), conf)
    while True:
        closing = dt.datetime.combine(current.date(), conf.end, tzinfo=conf.tz)
        available = closing - current
        if remaining <= available:
            return current + remaining
        remaining -= available
        current = _next_opening(closing, conf)


def working_hours_between(a: dt.datetime, b: dt.datetime) -> float:
    """Office hours (as a float number of hours) between ``a`` and ``b``; negative when ``b`` is before ``a``.

    The inverse of ``add_working_hours``: ``working_hours_between(t, add_working_hours(t, h)) == h`` when
    ``t`` is in office hours.
    """
    conf = office_hours()
    a, b = _to_local(a, conf.tz), _to_local(b, conf.tz)
    if b < a:
        return -working_hours_between(b, a)
    total = dt.timedelta(0)
    day = a.date()
    while day <= b.date():
        if is_working_day(day):
            opening = dt.datetime.combine(day, conf.start, tzinfo=conf.tz)
            closing = dt.datetime.combine(day, conf.end, tzinfo=conf.tz)
            lo, hi = max(opening, a), min(closing, b)
            if hi > lo:
                total += hi - lo
        day += dt.timedelta(days=1)
    return total.total_seconds() / 3600


def deadline_rule(code: str, on: dt.date | dt.datetime | None = None):
    """The ``LegalDeadline`` with ``code`` in force on ``on`` (default today). Raises ``LookupError``."""
    from .models import LegalDeadline

    on = _as_date(on) if on is not None else timezone.localdate()
    rule = LegalDeadline.objects.filter(code=code, effective_from__lte=on).order_by("-effective_from").first()
    if rule is None:
        raise LookupError(f"no legal deadline {code!r} in force on {on}")
    return rule


def count_days(start: dt.date | dt.datetime, days: int, day_kind: str) -> dt.date:
    """``days`` after ``start`` as ``day_kind`` says: "working" (hari kerja) or "calendar" (hari kalender)."""
    if day_kind == "working":
        return add_working_days(start, days)
    return add_calendar_days(start, days)


@dataclass(frozen=True)
class DueDates:
    """The last day to act under a rule, by each of its readings.

    ``due`` follows the rule's own ``day_kind``; ``alt_due`` the other reading when two laws count the same
    deadline differently (``LegalDeadline.alt_day_kind``), else None. ``earliest`` is the date to remind and
    escalate by (nobody is warned too late under either reading); ``latest`` is the date after which the
    deadline has passed under every reading — the one that decides a legal consequence such as a Perda
    becoming valid without signature ("dinyatakan sah").
    """

    due: dt.date
    alt_due: dt.date | None = None

    @property
    def earliest(self) -> dt.date:
        return min(self.due, self.alt_due) if self.alt_due else self.due

    @property
    def latest(self) -> dt.date:
        return max(self.due, self.alt_due) if self.alt_due else self.due


def rule_dues(rule, start: dt.date | dt.datetime) -> DueDates:
    """The due dates of the ``LegalDeadline`` ``rule`` counted from ``start``, under each of its readings."""
    start = _as_date(start)
    alt_kind = getattr(rule, "alt_day_kind", "")
    alt = count_days(start, rule.days, alt_kind) if alt_kind and alt_kind != rule.day_kind else None
    return DueDates(due=count_days(start, rule.days, rule.day_kind), alt_due=alt)


def deadline_dues(code: str, start: dt.date | dt.datetime) -> DueDates:
    """``rule_dues`` of the rule ``code`` in force on ``start``. Raises ``LookupError``."""
    start = _as_date(start)
    return rule_dues(deadline_rule(code, start), start)


def deadline_due(code: str, start: dt.date | dt.datetime) -> dt.date:
    """The last day to act for the legal deadline ``code`` counted from ``start``.

    The rule in force on ``start`` applies; its days are counted as calendar days (``add_calendar_days``) or
    working days (``add_working_days``) as the law words it. ``start`` is the event the rule counts from
    (``LegalDeadline.counts_from``), e.g. the date of persetujuan bersama.
    """
    start = _as_date(start)
    rule = deadline_rule(code, start)
    return count_days(start, rule.days, rule.day_kind)
