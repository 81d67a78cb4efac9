"""Split-purchase detection (Perpres 16/2018 Ps. 20(2)(d) as amended by Perpres 12/2021): pure core plus a
thin DB wrapper.

Splitting a package to avoid the procurement method its total requires is forbidden; the same pattern splits
requests to stay under a delegation limit. ``find_split_purchases`` looks at one new request (the candidate)
and the earlier requests that spend from the **same DPA** — every unit under the same PA (the camat and the
lurah he appointed as KPA for a kecamatan's DPA; the city office for its own DPA) — inside a window
(``BUDGET_REDFLAG_WINDOW_DAYS``, default 30 days; 0 = the whole fiscal year so far) that never reaches into an
earlier fiscal year, and groups them by:

* ``asset``         — the same asset;
* ``vendor_kind``   — the same vendor (same NPWP; by name only when an NPWP is missing) for the same item kind;
* ``location_kind`` — the same location (the asset's site) and the same item kind (a PC, a printer and a kiosk
  are three kinds: the item's kind, not the broad repair category);
* ``vendor``        — the same vendor for anything (against the procurement threshold only).

A group with at least one earlier request is a finding when its total crosses a limit that each of its
requests stays under:

* ``procurement`` — the pengadaan langsung ceiling (Rp200.000.000 for goods and other services), summed over
  the whole group;
* ``approver_limit`` — the delegation limit of the official who decides the candidate (e.g. the lurah as KPA,
  Rp5 juta), summed over the requests of the group decided by that same official.

Findings with the same set of requests are collapsed, keeping the most specific basis. Each finding carries
the rule it crossed and its legal basis, so the flag explains itself to the Inspektorat. No database access in
the core, so the what-if simulator and the labelled cases in the tests replay it directly.

The vendor of a request is its chosen quote: the lowest offer (pengadaan langsung takes the lowest price);
comparison quotes of other vendors do not tie requests together.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

DEFAULT_WINDOW_DAYS = 30
DEFAULT_PROCUREMENT_THRESHOLD = 200_000_000
PROCUREMENT_BASIS = ("Perpres 16/2018 Ps. 20 ayat (2) huruf d (larangan memecah paket) sebagaimana diubah Perpres "
                     "12/2021; pengadaan langsung barang/jasa lainnya paling banyak Rp200.000.000")
BASIS_ORDER = ("asset", "vendor_kind", "location_kind", "vendor")
# Grouping bases in words (flags recorded before the item-kind grouping carry "category" or "unit").
BASIS_LABELS = {
    "asset": _("aset yang sama"), "vendor_kind": _("penyedia yang sama untuk jenis barang yang sama"),
    "location_kind": _("lokasi dan jenis barang yang sama"), "vendor": _("penyedia yang sama"),
    "category": _("kategori perbaikan yang sama"), "unit": _("unit yang sama"),
}
# The bases compared against the delegation limit as well (a vendor's unrelated jobs are compared with the
# procurement ceiling only).
DELEGATION_BASES = frozenset({"asset", "vendor_kind", "location_kind"})


@dataclass(frozen=True)
class Vendor:
    npwp: str = ""  # digits only
    name: str = ""  # normalized

    def same_as(self, other: "Vendor | None") -> bool:
        if other is None:
            return False
        if self.npwp and other.npwp:
            return self.npwp == other.npwp
        return bool(self.name) and self.name == other.name

    @property
    def key(self) -> str:
        return f"NPWP {self.npwp}" if self.npwp else self.name


@dataclass(frozen=True)
class Purchase:
    id: int
    unit_id: int
    asset_id: int
    category: str
    amount: int
    at: dt.datetime
    item_kind: str = ""
    location: str = ""
    vendor: Vendor | None = None
    # The DPA the money comes from (the PA's scope); empty: the unit itself.
    holder: str = ""
    # Who decided (or decides) it and the limit of that official's rule; empty: unknown.
    decider: str = ""
    decider_limit: int | None = None
    decider_basis: str = ""

    @property
    def scope(self) -> str:
        return self.holder or f"unit:{self.unit_id}"


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
    legal_basis: str = ""


def normalize_vendor(name: str) -> str:
    return " ".join(name.lower().replace(".", " ").replace(",", " ").split())


def normalize_npwp(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def normalize_location(value: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (value or "").lower()).split())


WIB = ZoneInfo("Asia/Jakarta")


def fiscal_year_start(at: dt.datetime) -> dt.datetime:
    """1 January 00:00 (WIB for an aware moment) of the fiscal year ``at`` falls in."""
    local = at.astimezone(WIB) if at.tzinfo else at
    return local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)


def window_start(at: dt.datetime, window: dt.timedelta | None) -> dt.datetime:
    """The earliest moment that counts: ``window`` back, never before 1 January of the candidate's year."""
    year_start = fiscal_year_start(at)
    if not window:
        return year_start
    return max(at - window, year_start)


def find_split_purchases(candidate: Purchase, history: Iterable[Purchase], *, window: dt.timedelta | None,
                         procurement_threshold: int, approver_limit: int | None = None) -> list[SplitFinding]:
    """The split-purchase findings for ``candidate`` (module docstring). ``approver_limit`` is used when the
    candidate does not carry its decider's limit."""
    start = window_start(candidate.at, window)
    earlier = sorted(
        (p for p in history if p.id != candidate.id and p.scope == candidate.scope and start <= p.at <= candidate.at),
        key=lambda p: (p.at, p.id),
    )
    kind = candidate.item_kind
    location = candidate.location
    groups: list[tuple[str, str, list[Purchase]]] = [
        ("asset", str(candidate.asset_id), [p for p in earlier if p.asset_id == candidate.asset_id]),
    ]
    if candidate.vendor is not None:
        same_vendor = [p for p in earlier if candidate.vendor.same_as(p.vendor)]
        groups.append(("vendor_kind", f"{candidate.vendor.key} · {kind}",
                       [p for p in same_vendor if kind and p.item_kind == kind]))
    if location and kind:
        groups.append(("location_kind", f"{location} · {kind}",
                       [p for p in earlier if p.location == location and p.item_kind == kind]))
    if candidate.vendor is not None:
        groups.append(("vendor", candidate.vendor.key, same_vendor))

    limit = candidate.decider_limit if candidate.decider_limit is not None else approver_limit
    findings: list[SplitFinding] = []
    seen: set[tuple[int, ...]] = set()
    for basis, value, others in groups:
        if not others:
            continue
        crossed: list[tuple[str, int, tuple[int, ...], int, str]] = []
        pieces = [candidate, *others]
        total = sum(p.amount for p in pieces)
        if total > procurement_threshold and all(p.amount <= procurement_threshold for p in pieces):
            crossed.append(("procurement", procurement_threshold, tuple(p.id for p in others), total,
                            PROCUREMENT_BASIS))
        if basis in DELEGATION_BASES and limit:
            # Only the requests decided by the same official count against that official's limit.
            mine = [p for p in others if not candidate.decider or p.decider == candidate.decider]
            sub_total = candidate.amount + sum(p.amount for p in mine)
            if mine and sub_total > limit and all(p.amount <= limit for p in (candidate, *mine)):
                crossed.append(("approver_limit", limit, tuple(p.id for p in mine), sub_total,
                                candidate.decider_basis))
        if not crossed:
            continue
        kind_, threshold, ids, group_total, legal = max(crossed, key=lambda c: c[1])  # the highest limit crossed
        if ids in seen:
            continue
        seen.add(ids)
        findings.append(SplitFinding(basis=basis, basis_value=value, related_ids=ids, total=group_total,
                                     threshold=threshold, threshold_kind=kind_, window_start=start,
                                     window_end=candidate.at, legal_basis=legal))
    return findings


# --- DB wrapper -------------------------------------------------------------------------------------------
def settings_window() -> dt.timedelta:
    from django.conf import settings

    return dt.timedelta(days=int(getattr(settings, "BUDGET_REDFLAG_WINDOW_DAYS", DEFAULT_WINDOW_DAYS)))


def settings_procurement_threshold() -> int:
    from django.conf import settings

    return int(getattr(settings, "BUDGET_PROCUREMENT_THRESHOLD", DEFAULT_PROCUREMENT_THRESHOLD))


def dpa_holder(envelope) -> str:
    """The key of the DPA an envelope sits in: a kelurahan's envelope is in its kecamatan's DPA."""
    unit = envelope.org_unit
    owner = unit.parent_id if unit.kind == "kelurahan" and unit.parent_id else unit.pk
    return f"dpa:{owner}"


def chosen_vendor(quotes) -> Vendor | None:
    quotes = sorted(quotes, key=lambda q: (q.amount, q.pk or 0))
    if not quotes:
        return None
    return Vendor(npwp=normalize_npwp(quotes[0].vendor_npwp), name=normalize_vendor(quotes[0].vendor_name))


def purchase_of(request_obj, at: dt.datetime | None = None) -> Purchase:
    """A request as a ``Purchase`` (its asset, envelope, quotes and route loaded or prefetched)."""
    last = request_obj.route[-1] if request_obj.route else {}
    decider = last.get("position_id")
    return Purchase(
        id=request_obj.pk, unit_id=request_obj.org_unit_id, asset_id=request_obj.asset_id,
        category=request_obj.category, amount=request_obj.amount, at=at or request_obj.submitted_at,
        item_kind=request_obj.asset.kind, location=normalize_location(request_obj.asset.location),
        vendor=chosen_vendor(list(request_obj.quotes.all())), holder=dpa_holder(request_obj.envelope),
        decider=f"position:{decider}" if decider else "", decider_limit=last.get("max_single_amount"),
        decider_basis=last.get("legal_basis", ""),
    )


def dpa_history(request_obj, *, since: dt.datetime) -> Sequence[Purchase]:
    """The requests spending from the same DPA since ``since`` that still count (not draft, rejected or
    cancelled). Two queries (requests with asset and envelope joined; their quotes)."""
    from django.db.models import Prefetch, Q

    from .models import Quote, RepairRequest, RequestState

    unit = request_obj.envelope.org_unit
    owner = unit.parent_id if unit.kind == "kelurahan" and unit.parent_id else unit.pk
    rows = (
        RepairRequest.objects.filter(Q(envelope__org_unit_id=owner) | Q(envelope__org_unit__parent_id=owner),
                                     submitted_at__gte=since)
        .exclude(pk=request_obj.pk)
        .exclude(state__in=[RequestState.DRAFT, RequestState.REJECTED, RequestState.CANCELLED])
        .select_related("asset", "envelope__org_unit")
        .prefetch_related(Prefetch("quotes", queryset=Quote.objects.only("request_id", "vendor_name", "vendor_npwp",
                                                                          "amount")))
    )
    return [purchase_of(r) for r in rows]


def unit_history(request_obj, *, since: dt.datetime) -> Sequence[Purchase]:
    """Kept for callers of the earlier API: the same as ``dpa_history``."""
    return dpa_history(request_obj, since=since)
