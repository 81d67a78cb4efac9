"""Delegation what-if: replay requests through the live routing and red-flag code under another matrix.

Nothing here writes requests, decisions or ledger rows. A replay takes plain request facts and a list of
``routing.RuleData`` and runs, in submission order, the **same** ``routing.compute_route`` the services use
(with the unit's running monthly totals for rules with a monthly cap) and the same
``redflags.find_split_purchases`` core (split purchases inside the window, against the scenario's approver
limit and the procurement threshold). Three matrices are compared side by side:

* **current** — the live matrix (``DelegationRule`` rows of the fiscal year; if there are none, those of the
  latest fiscal year moved to this one; if the table is empty, the illustrative matrix of DOMAIN.md §6:
  lurah as KPA Rp5 juta, Diskominfo verification above Rp50 juta, camat as PA up to Rp200 juta, Kepala
  Diskominfo as PA of Diskominfo's DPA), each request spending from the DPA its envelope belongs to;
* each saved **scenario** (an edited copy, ``Scenario.rules``);
* **fully central** — the same requests as if every envelope sat in Diskominfo's DPA (a central envelope):
  its PA decides every request, so the lurah and camat decide none (``centralize``).

Decision time
-------------
Measured, never restated from the settings (``timing``): each replayed step takes a duration drawn from those
observed for its position kind in the event history (or, for a synthetic year, from a synthetic history of its
own, labelled ``synthetic``); steps of the central office wait in its queue (its capacity per working day, the
backlog it builds); the replay is run many times and reports the median and p90 of the decision times with a
5–95 % interval. A rule's response time (its reminder deadline) is not read at all.

Synthetic year (``synthetic_year``)
-----------------------------------
For each of the 54 kelurahan in ``PAMONG_ORG_FILE`` (no database rows are read or written for them), for
each asset kind, the number of requests in the year is Poisson with the mean below; each amount is
log-normal with the given median and σ (of the natural log), rounded to Rp50.000, at least Rp150.000 and at
most Rp190 juta; the day is a working day of the year drawn uniformly, the time uniformly in office hours:

==============  ==========  ==============  =====  ==============================================
asset kind      requests/y  median amount   σ      category; other
==============  ==========  ==============  =====  ==============================================
pc              12          Rp1.800.000     0.7    hardware (15 % software)
printer         9           Rp900.000       0.6    hardware
network         5           Rp3.500.000     0.8    network
cctv            4           Rp4.500.000     0.8    cctv; 15 % on a province-owned camera
wifi_publik     4           Rp2.500.000     0.7    wifi; 10 % on a province-owned access point
kiosk           2           Rp15.000.000    0.9    hardware
server          0.5         Rp40.000.000    0.8    hardware
==============  ==========  ==============  =====  ==============================================

Each kelurahan owns 10 PCs, 5 printers, 3 network devices, 6 CCTV cameras, 4 Wi-Fi points, 1 kiosk and 1
server; a request picks one of the unit's assets of its kind uniformly (so repeated repairs of one asset —
the split-purchase pattern — occur at a realistic rate), and one of four vendors of its kecamatan. The
expected size is about 36.5 requests per kelurahan, ~1,970 a year. Everything is drawn from one
``random.Random(seed)``: the same seed gives the same year.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import math
import random
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows import calendar
from workflows.models import User
from workflows.services.audit import audit_record

from .. import redflags
from ..levels import KPA, DPA_KECAMATAN, DPA_PERANGKAT_DAERAH, LOCAL_ROUTE_CLASSES, dpa_kind_of, level_of, route_class_of
from ..money import parse_rupiah
from ..routing import NoRoute, RequestFacts, RuleData, compute_route
from .models import Scenario
from .timing import (
    DEFAULT_RUNS, DurationHistory, OfficeClock, Timed, Timing, is_central_step, observed_history, synthetic_history,
    time_requests,
)

LOCAL_KINDS = LOCAL_ROUTE_CLASSES  # from the decision-level descriptors
CENTRAL_MAX = 10**15  # the central shape's PA decides any amount
CENTRAL_PA = "kepala_diskominfo"
PROVINCE = "provinsi"

# kind: (mean requests per kelurahan per year, median amount, sigma, assets per kelurahan)
SYNTHETIC_KINDS: dict[str, tuple[float, int, float, int]] = {
    "pc": (12, 1_800_000, 0.7, 10),
    "printer": (9, 900_000, 0.6, 5),
    "network": (5, 3_500_000, 0.8, 3),
    "cctv": (4, 4_500_000, 0.8, 6),
    "wifi_publik": (4, 2_500_000, 0.7, 4),
    "kiosk": (2, 15_000_000, 0.9, 1),
    "server": (0.5, 40_000_000, 0.8, 1),
}
CATEGORY_OF_KIND = {"pc": "hardware", "printer": "hardware", "network": "network", "cctv": "cctv",
                    "wifi_publik": "wifi", "kiosk": "hardware", "server": "hardware"}
PROVINCE_SHARE = {"cctv": 0.15, "wifi_publik": 0.10}
SOFTWARE_SHARE_PC = 0.15
VENDORS_PER_KECAMATAN = 4
SITE_KINDS = frozenset({"cctv", "wifi_publik"})  # each at its own site; the others at the kelurahan office


# --- rules as data ------------------------------------------------------------------------------------------
def rule_to_json(rule: RuleData) -> dict:
    data = asdict(rule)
    data["effective_from"] = rule.effective_from.isoformat()
    data["effective_until"] = rule.effective_until.isoformat() if rule.effective_until else None
    return data


def rule_from_json(data: dict) -> RuleData:
    values = {k: data.get(k) for k in RuleData.__dataclass_fields__ if k in data}
    values["effective_from"] = dt.date.fromisoformat(str(data["effective_from"]))
    until = data.get("effective_until")
    values["effective_until"] = dt.date.fromisoformat(str(until)) if until else None
    return RuleData(**values)


def illustrative_rules(year: int) -> list[RuleData]:
    """The illustrative matrix (the same numbers as the demo seed and the tests): lurah as KPA Rp5 juta;
    Diskominfo verifies above Rp50 juta; camat as PA up to Rp200 juta; Kepala Diskominfo as PA of its DPA."""
    start = dt.date(year, 1, 1)
    common = dict(fiscal_year=year, effective_from=start, effective_until=None, category=None)
    return [
        RuleData(id=None, position_kind="lurah", level="kpa_lurah", max_single_amount=5_000_000, step_order=10,
                 acting_allowed=True, response_time_value=4, response_time_unit="hours", **common),
        RuleData(id=None, position_kind="kepala_diskominfo", level="technical", max_single_amount=200_000_000,
                 step_order=15, step_kind="technical_verification", applies_above=50_000_000,
                 response_time_value=2, **common),
        RuleData(id=None, position_kind="camat", level="pa_camat", max_single_amount=200_000_000, step_order=20,
                 acting_allowed=True, acting_share_pct=20, response_time_value=1, **common),
        RuleData(id=None, position_kind="kepala_diskominfo", level="pa_skpd", max_single_amount=200_000_000,
                 step_order=30, response_time_value=2, **common),
    ]


def for_year(rules: Sequence[RuleData], year: int) -> list[RuleData]:
    """The rules moved to ``year`` when they belong to another one (in force from 1 January, open-ended)."""
    return [r if r.fiscal_year == year else replace(r, fiscal_year=year, effective_from=dt.date(year, 1, 1),
                                                     effective_until=None) for r in rules]


def current_rules(year: int) -> tuple[list[RuleData], str]:
    """The live matrix for ``year`` and where it came from ("db", "db:<year>" or "illustrative")."""
    from ..models import DelegationRule

    rows = list(DelegationRule.objects.filter(fiscal_year=year))
    if rows:
        return [RuleData.from_model(r) for r in rows], "db"
    latest = DelegationRule.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    if latest:
        rows = DelegationRule.objects.filter(fiscal_year=latest)
        return for_year([RuleData.from_model(r) for r in rows], year), f"db:{latest}"
    return illustrative_rules(year), "illustrative"


def central_rules(rules: Sequence[RuleData]) -> list[RuleData]:
    """The matrix for the central shape: the same rules, plus a Kepala Diskominfo PA rule deciding any amount
    from Diskominfo's DPA when the matrix has none (see ``centralize`` for the requests)."""
    out = list(rules)
    if not any(r.decision_level.code == "pa_skpd" and r.position_kind == CENTRAL_PA for r in out):
        year = rules[0].fiscal_year if rules else timezone.localdate().year
        out.append(RuleData(id=None, fiscal_year=year, effective_from=dt.date(year, 1, 1), effective_until=None,
                            position_kind=CENTRAL_PA, level="pa_skpd", category=None, max_single_amount=CENTRAL_MAX,
                            step_order=1000, response_time_value=2))
    return out


def centralize(requests: Iterable["ReplayRequest"]) -> list["ReplayRequest"]:
    """The same requests as if every envelope sat in Diskominfo's DPA (the central shape)."""
    return [replace(r, dpa_kind=DPA_PERANGKAT_DAERAH, dpa_head_kind=CENTRAL_PA) for r in requests]


# --- replay -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReplayRequest:
    id: int
    unit_id: int
    unit_kind: str
    category: str
    amount: int
    at: dt.datetime
    asset_id: int
    vendors: frozenset[str] = frozenset()
    province_owned: bool = False
    dpa_kind: str = ""  # empty: the kecamatan's DPA
    dpa_head_kind: str = ""
    item_kind: str = ""
    location: str = ""
    holder: str = ""  # the DPA key (redflags.dpa_holder); empty: the unit itself


def replay_purchase(req: ReplayRequest, steps) -> redflags.Purchase:
    """A replayed request as the red-flag core sees it, decided by the last step of its replayed route: a KPA
    decides per unit, a PA for the whole DPA."""
    last = steps[-1]
    holder = req.holder or f"unit:{req.unit_id}"
    per_unit = level_of(last.level, position_kind=last.position_kind).role == KPA
    return redflags.Purchase(
        id=req.id, unit_id=req.unit_id, asset_id=req.asset_id, category=req.category, amount=req.amount, at=req.at,
        item_kind=req.item_kind, location=req.location,
        vendor=redflags.Vendor(name=min(req.vendors)) if req.vendors else None, holder=holder,
        decider=f"{last.position_kind}:{req.unit_id if per_unit else holder}", decider_limit=last.max_single_amount,
        decider_basis=last.legal_basis)


@dataclass
class ReplayResult:
    scenario: str
    requests: int = 0
    forwarded: int = 0
    no_route: int = 0
    decided_locally: int = 0
    by_route: dict[str, int] = field(default_factory=lambda: {"lurah": 0, "camat": 0, "central": 0})
    amount_by_route: dict[str, int] = field(default_factory=lambda: {"lurah": 0, "camat": 0, "central": 0})
    amount_without_central_review: int = 0
    red_flags: int = 0
    timing: Timing = field(default_factory=Timing, repr=False)

    @property
    def decided_locally_share(self) -> float:
        return round(self.decided_locally / self.requests, 4) if self.requests else 0.0

    @property
    def median_days(self) -> float | None:
        return self.timing.median

    @property
    def p90_days(self) -> float | None:
        return self.timing.p90

    @property
    def synthetic(self) -> bool:
        return self.timing.source == "synthetic"

    def route_median(self, route: str) -> float | None:
        return self.timing.route_median.get(route)

    @property
    def route_rows(self) -> list[tuple[str, int, int, float | None]]:
        return [(r, self.by_route[r], self.amount_by_route[r], self.route_median(r)) for r in ("lurah", "camat", "central")]

    def as_json(self) -> dict:
        t = self.timing
        return {
            "scenario": self.scenario, "requests": self.requests,
            "decided_locally_share": self.decided_locally_share,
            "median_decision_working_days": t.median,
            "median_interval_working_days": list(t.median_interval) if t.median_interval else None,
            "p90_decision_working_days": t.p90,
            "p90_interval_working_days": list(t.p90_interval) if t.p90_interval else None,
            "central_backlog_max": t.backlog_max, "central_wait_mean_working_days": t.wait_mean,
            "central_capacity_per_day": t.capacity, "central_capacity_source": t.capacity_source,
            "durations": t.source, "amount_without_central_review": self.amount_without_central_review,
            "red_flags": self.red_flags,
        }


def route_class(steps) -> str:
    """lurah / camat / central, read from the decision level of the deciding step."""
    return route_class_of(steps[-1].level, position_kind=steps[-1].position_kind)


def centrally_reviewed(steps) -> bool:
    return any(route_class_of(s.level, position_kind=s.position_kind) == "central" for s in steps)


def replay(name: str, requests: Iterable[ReplayRequest], rules: Sequence[RuleData], *,
           history: DurationHistory | None = None, runs: int = DEFAULT_RUNS, seed: int = 1,
           window: dt.timedelta | None = None, procurement_threshold: int | None = None) -> ReplayResult:
    """Route every request (in submission order) under ``rules``; count routes, money and red flags; time the
    decisions from ``history`` (observed or synthetic durations and the central queue, ``timing``)."""
    window = window or redflags.settings_window()
    threshold = procurement_threshold or redflags.settings_procurement_threshold()
    caps = {r.position_kind for r in rules if r.monthly_cap_per_unit}
    month_used: dict[tuple[int, int, int], dict[str, int]] = {}
    flag_history: dict[str, list[redflags.Purchase]] = {}
    result = ReplayResult(scenario=name)
    ordered = sorted(requests, key=lambda r: (r.at, r.id))
    clock = office_clock(ordered[0].at.year) if ordered else None
    items: list[Timed] = []
    for req in ordered:
        result.requests += 1
        on = timezone.localtime(req.at).date() if timezone.is_aware(req.at) else req.at.date()
        if req.province_owned:
            result.forwarded += 1
            continue
        key = (req.unit_id, on.year, on.month)
        used = month_used.setdefault(key, {})
        facts = RequestFacts(unit_kind=req.unit_kind, category=req.category, amount=req.amount, on=on,
                             month_used=dict(used), dpa_kind=req.dpa_kind, dpa_head_kind=req.dpa_head_kind)
        try:
            steps = compute_route(rules, facts)
        except NoRoute:
            result.no_route += 1
            continue
        route = route_class(steps)
        result.by_route[route] += 1
        result.amount_by_route[route] += req.amount
        if route in LOCAL_KINDS:
            result.decided_locally += 1
        if not centrally_reviewed(steps):
            result.amount_without_central_review += req.amount
        if steps[-1].position_kind in caps:
            used[steps[-1].position_kind] = used.get(steps[-1].position_kind, 0) + req.amount
        items.append(Timed(arrival=clock.at(req.at), route_class=route,
                           steps=tuple((s.position_kind, is_central_step(s)) for s in steps)))
        # red flags: the same core as request_submit, against the limit of this matrix's decider
        purchase = replay_purchase(req, steps)
        dpa_history = flag_history.setdefault(purchase.scope, [])
        start = redflags.window_start(req.at, window)
        while dpa_history and dpa_history[0].at < start:
            dpa_history.pop(0)
        if redflags.find_split_purchases(purchase, dpa_history, window=window, procurement_threshold=threshold):
            result.red_flags += 1
        dpa_history.append(purchase)
    if history is not None:
        result.timing = time_requests(items, history, runs=runs, seed=seed)
    return result


@functools.lru_cache(maxsize=4)
def office_clock(year: int) -> OfficeClock:
    return OfficeClock(year)


def compare(requests: Sequence[ReplayRequest], *, year: int, scenarios: Iterable[Scenario] = (),
            history: DurationHistory | None = None, current_name: str | None = None,
            central_name: str | None = None, runs: int = DEFAULT_RUNS, seed: int = 1) -> list[ReplayResult]:
    """Current matrix, each scenario, fully central — on the same requests, timed from the same history."""
    current, _source = current_rules(year)
    opts = dict(history=history, runs=runs, seed=seed)
    results = [replay(current_name or str(_("Matriks berlaku")), requests, current, **opts)]
    for s in scenarios:
        rules = for_year([rule_from_json(r) for r in s.rules], year)
        results.append(replay(s.name, requests, rules, **opts))
    results.append(replay(central_name or str(_("Sepenuhnya terpusat")), centralize(requests),
                          central_rules(current), **opts))
    return results


# --- requests of a period from the database -----------------------------------------------------------------
def period_requests(user, f) -> list[ReplayRequest]:
    """The submitted requests of the filter's period (in the user's scope) as replay facts. Two queries."""
    from ..models import Quote
    from . import selectors as sel

    qs = sel.scoped_requests(user, f).values_list(
        "pk", "org_unit_id", "org_unit__kind", "category", "amount", "submitted_at", "asset_id",
        "asset__owner_authority", "envelope__org_unit_id", "envelope__org_unit__kind",
        "envelope__org_unit__parent_id", "asset__kind", "asset__location")
    rows = list(qs.iterator(chunk_size=5000))
    vendors: dict[int, set[str]] = {}
    for req_id, vendor in Quote.objects.filter(request__in=sel.scoped_requests(user, f)).values_list(
            "request_id", "vendor_name").iterator(chunk_size=5000):
        vendors.setdefault(req_id, set()).add(redflags.normalize_vendor(vendor))
    heads = dpa_heads({row[8] for row in rows if dpa_kind_of(row[9]) != DPA_KECAMATAN})
    return [ReplayRequest(id=pk, unit_id=unit, unit_kind=kind, category=cat, amount=amount, at=at, asset_id=asset,
                          vendors=frozenset(vendors.get(pk, ())), province_owned=owner == PROVINCE,
                          dpa_kind=dpa_kind_of(env_kind), dpa_head_kind=heads.get(env_unit, ""),
                          item_kind=asset_kind, location=redflags.normalize_location(location),
                          holder=f"dpa:{env_parent if env_kind == 'kelurahan' and env_parent else env_unit}")
            for pk, unit, kind, cat, amount, at, asset, owner, env_unit, env_kind, env_parent, asset_kind, location
            in rows]


def dpa_heads(unit_ids: set[int]) -> dict[int, str]:
    """The position kind of the PA of each city office's DPA (one query; none when no such envelope)."""
    from workflows.models import Position

    from ..levels import pa_position_kinds

    if not unit_ids:
        return {}
    heads: dict[int, str] = {}
    for unit_id, kind in (Position.objects.filter(org_unit_id__in=unit_ids, kind__in=pa_position_kinds(),
                                                  is_active=True).order_by("pk").values_list("org_unit_id", "kind")):
        heads.setdefault(unit_id, kind)
    return heads


def replay_period(*, user, f, scenario: Scenario) -> list[ReplayResult]:
    """Current matrix / the scenario / fully central over the requests of the period, timed from the observed
    history (durations per position kind, the central office's capacity)."""
    requests = period_requests(user, f)
    return compare(requests, year=f.year, scenarios=[scenario], history=observed_history())


# --- synthetic year -----------------------------------------------------------------------------------------
def kelurahan_from_file(path: str | None = None) -> list[tuple[str, str]]:
    """(kelurahan code, kecamatan code) of every kelurahan in the org file, in file order."""
    with open(path or settings.PAMONG_ORG_FILE, encoding="utf-8") as fh:
        data = json.load(fh)
    return [(kel["code"], kec["code"]) for kec in data["kecamatan"] for kel in kec["kelurahan"]]


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def synthetic_year(year: int, seed: int, kelurahan: Sequence[tuple[str, str]] | None = None) -> list[ReplayRequest]:
    """A documented synthetic year of repair requests (module docstring). In memory only."""
    kelurahan = list(kelurahan or kelurahan_from_file())
    rng = random.Random(seed)
    days, d = [], dt.date(year, 1, 1)
    while d.year == year:
        if calendar.is_working_day(d):
            days.append(d)
        d += dt.timedelta(days=1)
    hours = calendar.office_hours()
    open_minutes = int(hours.length.total_seconds() // 60)
    out: list[ReplayRequest] = []
    next_id = 1
    for unit_index, (kel_code, kec_code) in enumerate(kelurahan, start=1):
        for kind_index, (kind, (mean, median, sigma, assets)) in enumerate(SYNTHETIC_KINDS.items()):
            for _n in range(_poisson(rng, mean)):
                amount = median * math.exp(rng.gauss(0, sigma))
                amount = int(min(max(round(amount / 50_000) * 50_000, 150_000), 190_000_000))
                category = CATEGORY_OF_KIND[kind]
                if kind == "pc" and rng.random() < SOFTWARE_SHARE_PC:
                    category = "software"
                day = rng.choice(days)
                start = dt.datetime.combine(day, hours.start, tzinfo=hours.tz)
                at = start + dt.timedelta(minutes=rng.randrange(open_minutes))
                asset_id = unit_index * 1000 + kind_index * 100 + rng.randrange(assets)
                vendor = f"{kec_code}-penyedia-{rng.randrange(VENDORS_PER_KECAMATAN) + 1}"
                site = f"{kel_code} titik {asset_id}" if kind in SITE_KINDS else f"kantor {kel_code}"
                out.append(ReplayRequest(
                    id=next_id, unit_id=unit_index, unit_kind="kelurahan", category=category, amount=amount, at=at,
                    asset_id=asset_id, vendors=frozenset({vendor}),
                    province_owned=rng.random() < PROVINCE_SHARE.get(kind, 0.0), item_kind=kind, location=site,
                    holder=f"dpa:{kec_code}"))
                next_id += 1
    return out


# --- scenario services --------------------------------------------------------------------------------------
def scenario_copy_current(*, actor: User, name: str, fiscal_year: int, request=None) -> Scenario:
    """A new scenario holding a copy of the live matrix of ``fiscal_year``."""
    rules, source = current_rules(fiscal_year)
    with transaction.atomic():
        scenario = Scenario.objects.create(name=name, base_fiscal_year=fiscal_year, created_by=actor,
                                           rules=[rule_to_json(r) for r in rules],
                                           note=_("Disalin dari matriks %(src)s.") % {"src": source})
        audit_record(actor=actor, action="finance.scenario_created", obj=scenario,
                     after={"rules": len(rules), "source": source}, request=request)
    return scenario


def scenario_update(*, scenario: Scenario, actor: User, rules: list[dict], name: str, request=None) -> Scenario:
    with transaction.atomic():
        locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
        before = {"name": locked.name, "rules": locked.rules}
        locked.rules, locked.name = rules, name or locked.name
        locked.save(update_fields=["rules", "name", "updated_at"])
        audit_record(actor=actor, action="finance.scenario_updated", obj=locked, before=before,
                     after={"name": locked.name, "rules": locked.rules}, request=request)
    scenario.rules, scenario.name = locked.rules, locked.name
    return scenario


def parse_rule_edits(rules: list[dict], data) -> tuple[list[dict], dict[int, str]]:
    """Apply the edit form (``max_<i>``, ``cap_<i>``, ``endorses_<i>``) to a copy of ``rules``.

    Returns the edited rules (with what the user typed kept on error) and Indonesian errors per row."""
    out, errors = [], {}
    for i, rule in enumerate(rules):
        row = dict(rule)
        raw_max = (data.get(f"max_{i}") or "").strip()
        raw_cap = (data.get(f"cap_{i}") or "").strip()
        row["endorses_above_limit"] = data.get(f"endorses_{i}") in ("on", "1", "true")
        try:
            value = parse_rupiah(raw_max)  # ValueError for anything but whole rupiah in ASCII digits
            if value <= 0 or value > 10**13:
                raise ValueError
            row["max_single_amount"] = value
        except ValueError:
            errors[i] = _("Batas per permohonan harus bilangan bulat rupiah lebih dari nol.")
            row["max_single_amount_input"] = data.get(f"max_{i}", "")
        if raw_cap:
            try:
                cap = parse_rupiah(raw_cap)
                if cap <= 0:
                    raise ValueError
                row["monthly_cap_per_unit"] = cap
            except ValueError:
                errors[i] = _("Batas kumulatif bulanan harus kosong atau bilangan bulat rupiah lebih dari nol.")
                row["monthly_cap_input"] = data.get(f"cap_{i}", "")
        else:
            row["monthly_cap_per_unit"] = None
        out.append(row)
    if errors:
        return out, errors
    return [{k: v for k, v in r.items() if not k.endswith("_input")} for r in out], {}


__all__ = ["replay", "compare", "synthetic_year", "current_rules", "central_rules", "illustrative_rules",
           "ReplayRequest", "ReplayResult", "Decimal", "observed_history", "synthetic_history"]
