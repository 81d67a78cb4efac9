"""Split-purchase detection (Perpres 16/2018 Ps. 20(2)(d)): pure core plus a thin DB wrapper.

``find_split_purchases`` looks at one new request and the unit's earlier requests inside a window (default 10
days, setting ``BUDGET_REDFLAG_WINDOW_DAYS``) and groups them by:

* ``asset``    — the same asset;
* ``vendor``   — the same vendor (from the quotes) in the same unit;
* ``category`` — the same repair category in the same unit;
* ``unit``     — everything of the same unit (checked against the procurement threshold only, otherwise a
  busy kelurahan would be flagged every week).

A group of two or more whose total crosses a threshold while the new request alone does not is a finding:
the requester's approver limit (the lowest deciding limit over the unit, e.g. the lurah's Rp5 juta) or the
procurement threshold for pengadaan langsung (``BUDGET_PROCUREMENT_THRESHOLD``, default Rp200 juta). Findings
with the same set of requests are collapsed, keeping the most specific basis. No database access in the core,
so the what-if simulator can replay history through it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Sequence

DEFAULT_WINDOW_DAYS = 10
DEFAULT_PROCUREMENT_THRESHOLD = 200_000_000
BASIS_ORDER = ("asset", "vendor", "category", "unit")


@dataclass(frozen=True)
class Purchase:
    id: int
    unit_id: int
    asset_id: int
    category: str
    amount: int
    at: dt.datetime
    vendors: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class SplitFinding:
    basis: str
    basis_value: str
    related_ids: tuple[int, ...]  # the other requests of the group, oldest first
    total: int
    threshold: int
    threshold_kind: str  # "approver_limit" | "procurement"
    window_start: dt.datetime
    window_end: dt.datetime


def normalize_vendor(name: str) -> str:
    return " ".join(name.lower().replace(".", " ").replace(",", " ").split())


def find_split_purchases(candidate: Purchase, history: Iterable[Purchase], *, window: dt.timedelta,
                         approver_limit: int | None, procurement_threshold: int) -> list[SplitFinding]:
    start = candidate.at - window
    earlier = sorted(
        (p for p in history if p.id != candidate.id and p.unit_id == candidate.unit_id and start <= p.at <= candidate.at),
        key=lambda p: (p.at, p.id),
    )
    groups: list[tuple[str, str, list[Purchase]]] = [
        ("asset", str(candidate.asset_id), [p for p in earlier if p.asset_id == candidate.asset_id]),
    ]
    for vendor in sorted(candidate.vendors):
        groups.append(("vendor", vendor, [p for p in earlier if vendor in p.vendors]))
    groups.append(("category", candidate.category, [p for p in earlier if p.category == candidate.category]))
    groups.append(("unit", str(candidate.unit_id), list(earlier)))

    findings: list[SplitFinding] = []
    seen: set[tuple[int, ...]] = set()
    for basis, value, others in groups:
        if not others:
            continue
        total = candidate.amount + sum(p.amount for p in others)
        thresholds = [("procurement", procurement_threshold)]
        if basis != "unit" and approver_limit:
            thresholds.append(("approver_limit", approver_limit))
        crossed = [(kind, limit) for kind, limit in thresholds if total > limit >= candidate.amount]
        if not crossed:
            continue
        kind, limit = max(crossed, key=lambda kl: kl[1])  # report the highest threshold crossed
        ids = tuple(p.id for p in others)
        if ids in seen:
            continue
        seen.add(ids)
        findings.append(SplitFinding(basis=basis, basis_value=value, related_ids=ids, total=total, threshold=limit,
                                     threshold_kind=kind, window_start=start, window_end=candidate.at))
    return findings


# --- DB wrapper -------------------------------------------------------------------------------------------
def settings_window() -> dt.timedelta:
    from django.conf import settings

    return dt.timedelta(days=int(getattr(settings, "BUDGET_REDFLAG_WINDOW_DAYS", DEFAULT_WINDOW_DAYS)))


def settings_procurement_threshold() -> int:
    from django.conf import settings

    return int(getattr(settings, "BUDGET_PROCUREMENT_THRESHOLD", DEFAULT_PROCUREMENT_THRESHOLD))


def purchase_of(request_obj, at: dt.datetime | None = None) -> Purchase:
    return Purchase(
        id=request_obj.pk, unit_id=request_obj.org_unit_id, asset_id=request_obj.asset_id,
        category=request_obj.category, amount=request_obj.amount, at=at or request_obj.submitted_at,
        vendors=frozenset(normalize_vendor(q.vendor_name) for q in request_obj.quotes.all()),
    )


def unit_history(request_obj, *, since: dt.datetime) -> Sequence[Purchase]:
    """The unit's submitted requests since ``since`` that still count (not draft, rejected or cancelled)."""
    from django.db.models import Prefetch

    from .models import Quote, RepairRequest, RequestState

    rows = (
        RepairRequest.objects.filter(org_unit_id=request_obj.org_unit_id, submitted_at__gte=since)
        .exclude(pk=request_obj.pk)
        .exclude(state__in=[RequestState.DRAFT, RequestState.REJECTED, RequestState.CANCELLED])
        .prefetch_related(Prefetch("quotes", queryset=Quote.objects.only("request_id", "vendor_name")))
    )
    return [purchase_of(r) for r in rows]
