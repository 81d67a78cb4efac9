"""Who may act for a position on a given day, and in which capacity.

Authority follows the position (DOMAIN.md §2). On a day D the assignments in force are those with
``starts_on <= D <= ends_on`` (open-ended when ``ends_on`` is empty). When a Plh is in force the holder is
away, so only the Plh acts; otherwise a Plt acts for a vacant (or suspended) post; otherwise the definitive
holder. This precedence is the single rule every inbox, policy check and audit record relies on.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Assignment, Capacity, Position, User

# Lower number wins: a Plh stands in for whoever else is assigned that day.
_PRECEDENCE = {Capacity.PLH: 0, Capacity.PLT: 1, Capacity.DEFINITIF: 2}


@dataclass(frozen=True)
class Acting:
    """A person acting for a position on a day, with the capacity to print beside their name."""

    user: User
    position: Position
    capacity: str
    assignment_id: int

    @property
    def capacity_label(self) -> str:
        """E.g. "Plh. Camat Setu" or "Camat Setu"."""
        return f"{Capacity(self.capacity).prefix}{self.position.title}"


def local_date(at: dt.datetime | dt.date | None = None) -> dt.date:
    """The calendar day in the city's time zone (WIB) for an aware datetime, a date, or now."""
    if at is None:
        at = timezone.now()
    if isinstance(at, dt.datetime):
        return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
    return at


def in_force(on: dt.date) -> Q:
    """Filter for assignments in force on a day."""
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def _winners(assignments: Iterable[Assignment]) -> list[Assignment]:
    rows = list(assignments)
    if not rows:
        return []
    best = min(_PRECEDENCE[Capacity(a.capacity)] for a in rows)
    return [a for a in rows if _PRECEDENCE[Capacity(a.capacity)] == best]


def who_acts_for(position: Position, at: dt.datetime | dt.date | None = None) -> list[Acting]:
    """Everyone who may act for ``position`` at ``at`` (usually one person), with their capacity."""
    on = local_date(at)
    rows = (
        Assignment.objects.filter(in_force(on), position=position, user__is_active=True)
        .select_related("user", "position")
        .order_by("starts_on", "pk")
    )
    return [Acting(a.user, a.position, a.capacity, a.pk) for a in _winners(rows)]


def positions_for(user: User, at: dt.datetime | dt.date | None = None) -> list[Acting]:
    """Every position ``user`` may act for at ``at``, with the capacity of each. Two queries."""
    if not user.is_authenticated or not user.is_active:
        return []
    on = local_date(at)
    mine = list(
        Assignment.objects.filter(in_force(on), user=user, position__is_active=True)
        .select_related("position", "position__org_unit")
        .order_by("position_id")
    )
    if not mine:
        return []
    # Anyone with a stronger capacity on the same positions that day displaces this user.
    others = Assignment.objects.filter(
        in_force(on), position_id__in={a.position_id for a in mine}, user__is_active=True
    ).only("position_id", "capacity")
    best: dict[int, int] = {}
    for other in others:
        rank = _PRECEDENCE[Capacity(other.capacity)]
        best[other.position_id] = min(rank, best.get(other.position_id, rank))
    result: dict[int, Acting] = {}
    for a in mine:
        rank = _PRECEDENCE[Capacity(a.capacity)]
        if rank == best[a.position_id] and a.position_id not in result:
            result[a.position_id] = Acting(user, a.position, a.capacity, a.pk)
    return list(result.values())


# Where ``positions_today`` keeps its answer on the user object (dropped by
# ``workflows.permissions.forget_cached_positions``).
TODAY_CACHE_ATTR = "_pamong_positions_today"


def positions_today(user: User, at: dt.datetime | dt.date | None = None) -> list[Acting]:
    """``positions_for(user, at)``, remembered on the user object for the day of ``at`` (today by default).

    A web request asks this many times (the scope check, the task permissions, the decision's authority): one
    answer per request and day. A long-lived user object (a test, a shell) that outlives a change of
    assignments must call ``forget_cached_positions`` — as the other per-request caches require."""
    on = local_date(at)
    cached = getattr(user, TODAY_CACHE_ATTR, None)
    if cached is not None and cached[0] == on:
        return cached[1]
    actings = positions_for(user, on)
    if on == local_date():  # only "today" is worth keeping: the other days are asked once
        setattr(user, TODAY_CACHE_ATTR, (on, actings))
    return actings


def acting_for(user: User, position: Position, at: dt.datetime | dt.date | None = None) -> Acting | None:
    """The capacity in which ``user`` acts for ``position`` at ``at``, or None when they may not."""
    for acting in positions_for(user, at):
        if acting.position.pk == position.pk:
            return acting
    return None


def positions_of_kind(kind: str) -> QuerySet[Position]:
    return Position.objects.filter(kind=kind, is_active=True)
