"""Delegation what-if: replay requests through the live routing and red-flag code under another matrix.

Nothing here writes requests, decisions or ledger rows. A replay takes plain request facts and a list of
``routing.RuleData`` and runs, in submission order, the **same** ``routing.compute_route`` the services use
(with the unit's running monthly totals for rules with a monthly cap) and the same
``redflags.find_split_purchases`` core (split purchases inside the window, against the scenario's approver
limit and the procurement threshold). Three matrices are compared side by side:

* **current** — the live matrix (``DelegationRule`` rows of the fiscal year; if there are none, those of the
  latest fiscal year moved to this one; if the table is empty, the illustrative matrix of DOMAIN.md §6:
  lurah Rp5 juta, camat Rp50 juta endorsing above, Diskominfo verification, BPKAD up to Rp200 juta);
* each saved **scenario** (an edited copy, ``Scenario.rules``);
* **fully central** — every request goes to BPKAD: lurah and camat keep no deciding authority (a camat who
  endorses above his limit still endorses), technical verification stays, and the finance step decides any
  amount.

Expected decision time
----------------------
A request's expected time is the sum, over the steps of its replayed route, of the **measured median time of
that kind of step**: from the ``Decision`` rows of the last 365 days, a step's time is the office time
(``workflows.calendar.working_hours_between``, divided by the office-day length) from the step's start (the
submission, or the previous decision of the same revision) to its decision, grouped by the position kind of
the rule behind the step. **Fallback** when a kind has fewer than ``MIN_SAMPLES`` measured steps: the
step's response time from the rule itself (its SLA: ``response_time_value`` working days, or hours divided by
the office-day length), i.e. the time a step may take before it is reminded. The synthetic replay
(``whatif_replay``) always uses this fallback so its figures depend only on the matrix and the seed.
Medians are the middle value (mean of the two middle ones); p90 is the nearest rank.

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
import json
import math
import random
import statistics
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
from ..money import parse_rupiah
from ..routing import NoRoute, RequestFacts, RuleData, approver_limit, compute_route
from .models import Scenario

MIN_SAMPLES = 5
LOCAL_KINDS = ("lurah", "camat")
CENTRAL_MAX = 10**15  # the fully central baseline's finance step decides any amount
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
    """DOMAIN.md §6's illustrative matrix (the same numbers as the demo seed and the tests)."""
    start = dt.date(year, 1, 1)
    common = dict(fiscal_year=year, effective_from=start, effective_until=None, category=None)
    return [
        RuleData(id=None, position_kind="lurah", max_single_amount=5_000_000, step_order=10, acting_allowed=True,
                 response_time_value=4, response_time_unit="hours", **common),
        RuleData(id=None, position_kind="camat", max_single_amount=50_000_000, step_order=20, acting_allowed=True,
                 acting_share_pct=50, endorses_above_limit=True, response_time_value=1, **common),
        RuleData(id=None, position_kind="kepala_diskominfo", max_single_amount=200_000_000, step_order=30,
                 step_kind="technical_verification", response_time_value=2, **common),
        RuleData(id=None, position_kind="kepala_bpkad", max_single_amount=200_000_000, step_order=40,
                 step_kind="finance", response_time_value=3, **common),
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
    """The fully central baseline derived from a matrix (see the module docstring)."""
    out = []
    for r in rules:
        if r.position_kind in LOCAL_KINDS:
            out.append(replace(r, max_single_amount=0, monthly_cap_per_unit=None))
        elif r.step_kind == "finance":
            out.append(replace(r, max_single_amount=CENTRAL_MAX, monthly_cap_per_unit=None))
        else:
            out.append(r)
    if not any(r.step_kind == "finance" for r in out):
        year = rules[0].fiscal_year if rules else timezone.localdate().year
        out.append(RuleData(id=None, fiscal_year=year, effective_from=dt.date(year, 1, 1), effective_until=None,
                            position_kind="kepala_bpkad", category=None, max_single_amount=CENTRAL_MAX,
                            step_order=1000, step_kind="finance", response_time_value=3))
    return out


# --- step times ---------------------------------------------------------------------------------------------
def office_day_hours() -> float:
    return calendar.office_hours().length.total_seconds() / 3600


def sla_days(step: dict | RuleData) -> float:
    value = step["response_time_value"] if isinstance(step, dict) else step.response_time_value
    unit = step["response_time_unit"] if isinstance(step, dict) else step.response_time_unit
    return value / office_day_hours() if unit == "hours" else float(value)


def measured_step_days(*, since_days: int = 365, limit: int = 20000) -> dict[str, tuple[float, int]]:
    """Median working days per step, by the position kind of the step's rule: ``{kind: (median, samples)}``."""
    from ..models import Decision

    since = timezone.now() - dt.timedelta(days=since_days)
    rows = list(
        Decision.objects.filter(created_at__gte=since, request__submitted_at__isnull=False)
        .exclude(outcome="forward")
        .order_by("-request_id", "pk")  # the most recent requests first, each one's decisions in order
        .values_list("request_id", "revision", "created_at", "rule__position_kind", "position__kind",
                     "request__submitted_at", "request__revision")[:limit]
    )
    per_kind: dict[str, list[float]] = {}
    day_hours = office_day_hours()
    previous: tuple[int, dt.datetime] | None = None
    for req_id, revision, at, rule_kind, pos_kind, submitted, current_revision in rows:
        if revision != current_revision:
            continue  # earlier revisions started before the (re)submission time we know
        start = previous[1] if previous and previous[0] == req_id else submitted
        previous = (req_id, at)
        if at < start:
            continue
        kind = rule_kind or pos_kind or "other"
        per_kind.setdefault(kind, []).append(calendar.working_hours_between(start, at) / day_hours)
    return {k: (statistics.median(v), len(v)) for k, v in per_kind.items()}


def step_days(step: dict, measured: dict[str, tuple[float, int]] | None) -> float:
    if measured:
        m = measured.get(step["position_kind"])
        if m and m[1] >= MIN_SAMPLES:
            return m[0]
    return sla_days(step)


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
    times: list[float] = field(default_factory=list, repr=False)
    route_times: dict[str, list[float]] = field(default_factory=dict, repr=False)

    @property
    def decided_locally_share(self) -> float:
        return round(self.decided_locally / self.requests, 4) if self.requests else 0.0

    @property
    def median_days(self) -> float | None:
        return round(statistics.median(self.times), 2) if self.times else None

    @property
    def p90_days(self) -> float | None:
        if not self.times:
            return None
        ordered = sorted(self.times)
        return round(ordered[math.ceil(0.9 * len(ordered)) - 1], 2)

    def route_median(self, route: str) -> float | None:
        values = self.route_times.get(route)
        return round(statistics.median(values), 2) if values else None

    @property
    def route_rows(self) -> list[tuple[str, int, int, float | None]]:
        return [(r, self.by_route[r], self.amount_by_route[r], self.route_median(r)) for r in ("lurah", "camat", "central")]

    def as_json(self) -> dict:
        return {
            "scenario": self.scenario, "requests": self.requests,
            "decided_locally_share": self.decided_locally_share,
            "median_decision_working_days": self.median_days, "p90_decision_working_days": self.p90_days,
            "amount_without_central_review": self.amount_without_central_review,
        }


def route_class(steps) -> str:
    kind = steps[-1].position_kind
    return kind if kind in LOCAL_KINDS else "central"


def replay(name: str, requests: Iterable[ReplayRequest], rules: Sequence[RuleData], *,
           measured: dict[str, tuple[float, int]] | None = None, window: dt.timedelta | None = None,
           procurement_threshold: int | None = None) -> ReplayResult:
    """Route every request (in submission order) under ``rules``; count routes, times, money and red flags."""
    window = window or redflags.settings_window()
    threshold = procurement_threshold or redflags.settings_procurement_threshold()
    caps = {r.position_kind for r in rules if r.monthly_cap_per_unit}
    month_used: dict[tuple[int, int, int], dict[str, int]] = {}
    history: dict[int, list[redflags.Purchase]] = {}
    result = ReplayResult(scenario=name)
    for req in sorted(requests, key=lambda r: (r.at, r.id)):
        result.requests += 1
        on = timezone.localtime(req.at).date() if timezone.is_aware(req.at) else req.at.date()
        if req.province_owned:
            result.forwarded += 1
            continue
        key = (req.unit_id, on.year, on.month)
        used = month_used.setdefault(key, {})
        facts = RequestFacts(unit_kind=req.unit_kind, category=req.category, amount=req.amount, on=on,
                             month_used=dict(used))
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
            result.amount_without_central_review += req.amount
        if steps[-1].position_kind in caps:
            used[steps[-1].position_kind] = used.get(steps[-1].position_kind, 0) + req.amount
        days = sum(step_days(s.as_dict(), measured) for s in steps)
        result.times.append(days)
        result.route_times.setdefault(route, []).append(days)
        # red flags: the same core as request_submit, against this matrix's approver limit
        purchase = redflags.Purchase(id=req.id, unit_id=req.unit_id, asset_id=req.asset_id, category=req.category,
                                     amount=req.amount, at=req.at, vendors=req.vendors)
        unit_history = history.setdefault(req.unit_id, [])
        start = req.at - window
        while unit_history and unit_history[0].at < start:
            unit_history.pop(0)
        limit = approver_limit(rules, on=on, category=req.category, unit_kind=req.unit_kind)
        if redflags.find_split_purchases(purchase, unit_history, window=window, approver_limit=limit,
                                         procurement_threshold=threshold):
            result.red_flags += 1
        unit_history.append(purchase)
    return result


def compare(requests: Sequence[ReplayRequest], *, year: int, scenarios: Iterable[Scenario] = (),
            measured: dict[str, tuple[float, int]] | None = None, current_name: str | None = None,
            central_name: str | None = None) -> list[ReplayResult]:
    """Current matrix, each scenario, fully central — on the same requests."""
    current, _source = current_rules(year)
    results = [replay(current_name or str(_("Matriks berlaku")), requests, current, measured=measured)]
    for s in scenarios:
        rules = for_year([rule_from_json(r) for r in s.rules], year)
        results.append(replay(s.name, requests, rules, measured=measured))
    results.append(replay(central_name or str(_("Sepenuhnya terpusat")), requests, central_rules(current),
                          measured=measured))
    return results


# --- requests of a period from the database -----------------------------------------------------------------
def period_requests(user, f) -> list[ReplayRequest]:
    """The submitted requests of the filter's period (in the user's scope) as replay facts. Two queries."""
    from ..models import Quote
    from . import selectors as sel

    qs = sel.scoped_requests(user, f).values_list(
        "pk", "org_unit_id", "org_unit__kind", "category", "amount", "submitted_at", "asset_id",
        "asset__owner_authority")
    rows = list(qs.iterator(chunk_size=5000))
    vendors: dict[int, set[str]] = {}
    for req_id, vendor in Quote.objects.filter(request__in=sel.scoped_requests(user, f)).values_list(
            "request_id", "vendor_name").iterator(chunk_size=5000):
        vendors.setdefault(req_id, set()).add(redflags.normalize_vendor(vendor))
    return [ReplayRequest(id=pk, unit_id=unit, unit_kind=kind, category=cat, amount=amount, at=at, asset_id=asset,
                          vendors=frozenset(vendors.get(pk, ())), province_owned=owner == PROVINCE)
            for pk, unit, kind, cat, amount, at, asset, owner in rows]


def replay_period(*, user, f, scenario: Scenario) -> list[ReplayResult]:
    """Current matrix / the scenario / fully central over the requests of the period, with measured step times."""
    requests = period_requests(user, f)
    return compare(requests, year=f.year, scenarios=[scenario], measured=measured_step_days())


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
                out.append(ReplayRequest(
                    id=next_id, unit_id=unit_index, unit_kind="kelurahan", category=category, amount=amount, at=at,
                    asset_id=asset_id, vendors=frozenset({vendor}),
                    province_owned=rng.random() < PROVINCE_SHARE.get(kind, 0.0)))
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
           "ReplayRequest", "ReplayResult", "Decimal"]
