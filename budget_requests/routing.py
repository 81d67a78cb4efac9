"""The route of a repair request through the delegation matrix: pure functions over plain data.

``compute_route`` takes the rules in force (``RuleData``) and the facts of one request (``RequestFacts``) and
touches no database, so the what-if simulator can replay requests through exactly this code with a changed
matrix. ``rules_in_force`` is the thin loader for the live matrix.

How a route is built (DOMAIN.md §6: "it climbs only as high as its amount requires"):

1. Keep the rules in force on the day (``fiscal_year`` is that day's year, ``effective_from <= day <=
   effective_until``) whose category is the request's or empty; per position kind a category rule beats the
   general one, and a later ``effective_from`` beats an earlier one.
2. Drop position kinds that do not sit above the request's unit: a lurah exists only above a kelurahan's
   request; a camat above a kelurahan's or a kecamatan's; city offices above everyone.
3. Walk the rest by ``step_order``:
   * a ``technical_verification`` rule is a step (role ``verify``) whenever the climb reaches it;
   * an ``approve``/``finance`` rule with ``max_single_amount >= amount`` decides: it is the last step
     (role ``decide``);
   * otherwise a rule marked ``endorses_above_limit`` is a step (role ``endorse``: e.g. the camat as
     Pengguna Anggaran recommends before the request climbs) and a rule without it is skipped.
4. Nothing decides → ``NoRoute``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Iterable, Sequence

# Which unit kinds each local position kind sits above. Kinds not listed are city-wide.
UNIT_LEVEL_KINDS: dict[str, frozenset[str]] = {
    "lurah": frozenset({"kelurahan"}),
    "camat": frozenset({"kelurahan", "kecamatan"}),
}

ROLE_DECIDE = "decide"
ROLE_ENDORSE = "endorse"
ROLE_VERIFY = "verify"


class NoRoute(Exception):
    """No rule in force may decide this amount (or no rule applies at all)."""

    code = "no_route"


@dataclass(frozen=True)
class RuleData:
    """A delegation rule as plain data (a ``DelegationRule`` row, or an edited copy in a simulation)."""

    id: int | None
    fiscal_year: int
    effective_from: dt.date
    effective_until: dt.date | None
    position_kind: str
    category: str | None
    max_single_amount: int
    step_order: int
    step_kind: str = "approve"
    monthly_cap_per_unit: int | None = None
    acting_allowed: bool = False
    acting_share_pct: int = 100
    endorses_above_limit: bool = False
    response_time_value: int = 1
    response_time_unit: str = "working_days"

    @classmethod
    def from_model(cls, rule) -> "RuleData":
        return cls(**{f: getattr(rule, f) for f in cls.__dataclass_fields__})

    def in_force(self, on: dt.date) -> bool:
        return (
            self.fiscal_year == on.year
            and self.effective_from <= on
            and (self.effective_until is None or on <= self.effective_until)
        )

    def acting_limit(self) -> int:
        """The largest amount a Plh/Plt may decide under this rule (0 when acting officials may not)."""
        if not self.acting_allowed:
            return 0
        return self.max_single_amount * self.acting_share_pct // 100


@dataclass(frozen=True)
class RequestFacts:
    unit_kind: str  # workflows.OrgUnitKind value of the requesting unit
    category: str
    amount: int
    on: dt.date
    province_owned: bool = False
    # Rupiah already approved this month for the unit, per position kind (only kinds with a monthly cap
    # matter): a rule whose cap would be crossed does not decide, so the request climbs.
    month_used: dict[str, int] = field(default_factory=dict)


@dataclass
class RouteStep:
    index: int
    rule_id: int | None
    position_kind: str
    step_kind: str
    role: str
    max_single_amount: int
    monthly_cap_per_unit: int | None
    acting_allowed: bool
    acting_share_pct: int
    response_time_value: int
    response_time_unit: str
    position_id: int | None = None
    position_title: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("extra")
        data.update(self.extra)
        return data


def applicable_rules(rules: Iterable[RuleData], *, on: dt.date, category: str, unit_kind: str) -> list[RuleData]:
    """Steps 1–2 above: one rule per position kind, ordered by ``step_order``."""
    best: dict[str, RuleData] = {}
    for rule in rules:
        if not rule.in_force(on):
            continue
        if rule.category not in (None, "", category):
            continue
        allowed_units = UNIT_LEVEL_KINDS.get(rule.position_kind)
        if allowed_units is not None and unit_kind not in allowed_units:
            continue
        current = best.get(rule.position_kind)
        if current is None or _beats(rule, current):
            best[rule.position_kind] = rule
    return sorted(best.values(), key=lambda r: (r.step_order, r.position_kind))


def _beats(a: RuleData, b: RuleData) -> bool:
    a_specific, b_specific = bool(a.category), bool(b.category)
    if a_specific != b_specific:
        return a_specific
    if a.effective_from != b.effective_from:
        return a.effective_from > b.effective_from
    return (a.id or 0) > (b.id or 0)


def _step(index: int, rule: RuleData, role: str) -> RouteStep:
    return RouteStep(
        index=index, rule_id=rule.id, position_kind=rule.position_kind, step_kind=rule.step_kind, role=role,
        max_single_amount=rule.max_single_amount, monthly_cap_per_unit=rule.monthly_cap_per_unit,
        acting_allowed=rule.acting_allowed, acting_share_pct=rule.acting_share_pct,
        response_time_value=rule.response_time_value, response_time_unit=rule.response_time_unit,
    )


def compute_route(rules: Sequence[RuleData], facts: RequestFacts) -> list[RouteStep]:
    """The steps a request takes, in order. Empty for a province-owned asset (it is forwarded instead)."""
    if facts.province_owned:
        return []
    if facts.amount <= 0:
        raise ValueError("amount must be positive")
    steps: list[RouteStep] = []
    for rule in applicable_rules(rules, on=facts.on, category=facts.category, unit_kind=facts.unit_kind):
        if rule.step_kind == "technical_verification":
            steps.append(_step(len(steps), rule, ROLE_VERIFY))
        elif facts.amount <= rule.max_single_amount and _within_cap(rule, facts):
            steps.append(_step(len(steps), rule, ROLE_DECIDE))
            return steps
        elif rule.endorses_above_limit:
            steps.append(_step(len(steps), rule, ROLE_ENDORSE))
    raise NoRoute(f"no rule in force on {facts.on} decides Rp{facts.amount} ({facts.category}, {facts.unit_kind})")


def _within_cap(rule: RuleData, facts: RequestFacts) -> bool:
    if rule.monthly_cap_per_unit is None:
        return True
    return facts.month_used.get(rule.position_kind, 0) + facts.amount <= rule.monthly_cap_per_unit


def approver_limit(rules: Sequence[RuleData], *, on: dt.date, category: str, unit_kind: str) -> int | None:
    """The lowest deciding limit over a unit (the requester's own approver), for red-flag checks."""
    for rule in applicable_rules(rules, on=on, category=category, unit_kind=unit_kind):
        if rule.step_kind != "technical_verification":
            return rule.max_single_amount
    return None


def escalation_kind(rules: Sequence[RuleData], *, on: dt.date, category: str, unit_kind: str,
                    position_kind: str) -> str | None:
    """The position kind one level above ``position_kind`` in the matrix in force (None at the top)."""
    ladder = applicable_rules(rules, on=on, category=category, unit_kind=unit_kind)
    kinds = [r.position_kind for r in ladder]
    if position_kind not in kinds:
        return None
    i = kinds.index(position_kind)
    return kinds[i + 1] if i + 1 < len(kinds) else None


def same_route(a: Sequence[dict], b: Sequence[dict]) -> bool:
    """True when two frozen routes have the same rules in the same order (so a review may resume)."""
    return [(s.get("rule_id"), s.get("role")) for s in a] == [(s.get("rule_id"), s.get("role")) for s in b]


# --- thin loader (DB) -------------------------------------------------------------------------------------
def rules_in_force(on: dt.date) -> list[RuleData]:
    """The live matrix rows in force on ``on``, as plain data. One query."""
    from django.db.models import Q

    from .models import DelegationRule

    rows = DelegationRule.objects.filter(
        Q(fiscal_year=on.year), Q(effective_from__lte=on), Q(effective_until__isnull=True) | Q(effective_until__gte=on)
    )
    return [RuleData.from_model(r) for r in rows]
