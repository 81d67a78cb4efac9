"""The route of a repair request through the delegation matrix: pure functions over plain data.

``compute_route`` takes the rules in force (``RuleData``) and the facts of one request (``RequestFacts``) and
touches no database, so the what-if simulator can replay requests through exactly this code with a changed
matrix. ``rules_in_force`` is the thin loader for the live matrix.

How a route is built (DOMAIN.md §6: "it climbs only as high as its amount requires", and who decides follows
whose budget it is):

1. Keep the rules in force on the day (``fiscal_year`` is that day's year, ``effective_from <= day <=
   effective_until``) whose category is the request's or empty; per position kind and level a category rule
   beats the general one, and a later ``effective_from`` beats an earlier one.
2. Keep only rules whose decision level (``budget_requests.levels``) takes part in this request: a level that
   decides (PA, KPA) only for the DPA the envelope belongs to — the camat and his lurah for a kecamatan's DPA,
   the head of a city office for that office's own DPA — and only above the unit kinds it sits above; a
   verifier everywhere except in its own office's DPA; BPKAD as BUD never (it verifies and issues SP2D in
   the payment steps, it does not approve in the PA's place).
3. Walk the rest by ``step_order``:
   * a verification rule (``technical_verification`` or a verifier level) is a step (role ``verify``) when
     the climb reaches it and the amount is above its ``applies_above`` (always when that is empty);
   * a deciding rule with ``max_single_amount >= amount`` (and its monthly cap not crossed) decides: it is
     the last step (role ``decide``);
   * otherwise a rule marked ``endorses_above_limit`` is a step (role ``endorse``) and one without is skipped.
4. Nothing decides → ``NoRoute``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Iterable, Sequence

from .levels import DPA_KECAMATAN, VERIFIER, DecisionLevel, dpa_kind_of, level_of

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
    level: str = ""  # a code of budget_requests.levels.LEVELS; empty: implied by position and step kind
    applies_above: int | None = None  # a verification step only for amounts above this
    legal_basis: str = ""

    @classmethod
    def from_model(cls, rule) -> "RuleData":
        return cls(**{f: getattr(rule, f) for f in cls.__dataclass_fields__})

    def in_force(self, on: dt.date) -> bool:
        return (
            self.fiscal_year == on.year
            and self.effective_from <= on
            and (self.effective_until is None or on <= self.effective_until)
        )

    @property
    def decision_level(self) -> DecisionLevel:
        return level_of(self.level, position_kind=self.position_kind, step_kind=self.step_kind)

    @property
    def verifies(self) -> bool:
        return self.step_kind == "technical_verification" or self.decision_level.role == VERIFIER

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
    # The DPA the envelope belongs to: its kind (empty: that of the requesting unit's kecamatan) and the
    # position kind of its PA (empty: the camat for a kecamatan's DPA).
    dpa_kind: str = ""
    dpa_head_kind: str = ""

    @property
    def dpa(self) -> tuple[str, str]:
        kind = self.dpa_kind or dpa_kind_of(self.unit_kind)
        return kind, self.dpa_head_kind or ("camat" if kind == DPA_KECAMATAN else "")


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
    level: str = ""
    legal_basis: str = ""
    position_id: int | None = None
    position_title: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("extra")
        data.update(self.extra)
        return data


def applicable_rules(rules: Iterable[RuleData], *, on: dt.date, category: str, unit_kind: str,
                     dpa_kind: str = "", dpa_head_kind: str = "") -> list[RuleData]:
    """Steps 1–2 above: one rule per position kind and level, ordered by ``step_order``."""
    dpa_kind, dpa_head_kind = RequestFacts(unit_kind, category, 1, on, dpa_kind=dpa_kind,
                                           dpa_head_kind=dpa_head_kind).dpa
    best: dict[tuple[str, str], RuleData] = {}
    for rule in rules:
        if not rule.in_force(on):
            continue
        if rule.category not in (None, "", category):
            continue
        if not takes_part(rule, unit_kind=unit_kind, dpa_kind=dpa_kind, dpa_head_kind=dpa_head_kind):
            continue
        key = (rule.position_kind, rule.decision_level.code)
        current = best.get(key)
        if current is None or _beats(rule, current):
            best[key] = rule
    return sorted(best.values(), key=lambda r: (r.step_order, r.position_kind))


def takes_part(rule: RuleData, *, unit_kind: str, dpa_kind: str, dpa_head_kind: str) -> bool:
    """Step 2 above: does the rule's level act on a request of this unit spending from this DPA?"""
    level = rule.decision_level
    if not level.in_route or rule.position_kind not in level.position_kinds:
        return False
    if level.unit_kinds is not None and unit_kind not in level.unit_kinds:
        return False
    if rule.verifies:
        return rule.position_kind != dpa_head_kind  # an office does not verify its own DPA's spending
    return level.decides_for(dpa_kind=dpa_kind, dpa_head_kind=dpa_head_kind, position_kind=rule.position_kind)


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
        level=rule.decision_level.code, legal_basis=rule.legal_basis,
    )


def compute_route(rules: Sequence[RuleData], facts: RequestFacts) -> list[RouteStep]:
    """The steps a request takes, in order. Empty for a province-owned asset (it is forwarded instead)."""
    if facts.province_owned:
        return []
    if facts.amount <= 0:
        raise ValueError("amount must be positive")
    steps: list[RouteStep] = []
    dpa_kind, dpa_head_kind = facts.dpa
    for rule in applicable_rules(rules, on=facts.on, category=facts.category, unit_kind=facts.unit_kind,
                                 dpa_kind=dpa_kind, dpa_head_kind=dpa_head_kind):
        if rule.verifies:
            if rule.applies_above is None or facts.amount > rule.applies_above:
                steps.append(_step(len(steps), rule, ROLE_VERIFY))
        elif facts.amount <= rule.max_single_amount and _within_cap(rule, facts):
            steps.append(_step(len(steps), rule, ROLE_DECIDE))
            return steps
        elif rule.endorses_above_limit:
            steps.append(_step(len(steps), rule, ROLE_ENDORSE))
    raise NoRoute(f"no rule in force on {facts.on} decides Rp{facts.amount} ({facts.category}, {facts.unit_kind}, "
                  f"DPA {dpa_kind}/{dpa_head_kind})")


def _within_cap(rule: RuleData, facts: RequestFacts) -> bool:
    if rule.monthly_cap_per_unit is None:
        return True
    return facts.month_used.get(rule.position_kind, 0) + facts.amount <= rule.monthly_cap_per_unit


def approver_limit(rules: Sequence[RuleData], *, on: dt.date, category: str, unit_kind: str,
                   dpa_kind: str = "", dpa_head_kind: str = "") -> int | None:
    """The lowest deciding limit over a unit spending from this DPA (the requester's own approver), for
    red-flag checks."""
    for rule in applicable_rules(rules, on=on, category=category, unit_kind=unit_kind, dpa_kind=dpa_kind,
                                 dpa_head_kind=dpa_head_kind):
        if not rule.verifies:
            return rule.max_single_amount
    return None


def escalation_kind(rules: Sequence[RuleData], *, on: dt.date, category: str, unit_kind: str,
                    position_kind: str, dpa_kind: str = "", dpa_head_kind: str = "") -> str | None:
    """The position kind one level above ``position_kind`` in the matrix in force (None at the top)."""
    ladder = applicable_rules(rules, on=on, category=category, unit_kind=unit_kind, dpa_kind=dpa_kind,
                              dpa_head_kind=dpa_head_kind)
    # A deciding step escalates to the next deciding level (never to a verifier); a verification step is
    # only reminded (no one above verifies in its place).
    kinds = [r.position_kind for r in ladder if not r.verifies]
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


def dpa_of(envelope) -> tuple[str, str]:
    """(DPA kind, position kind of its PA) of the DPA an envelope belongs to. No query for a kecamatan's DPA
    (the camat); one for a city office's own DPA (the kind of the PA position sitting in that office)."""
    from workflows.models import Position

    from .levels import DPA_KECAMATAN, pa_position_kinds

    kind = dpa_kind_of(envelope.org_unit.kind)
    if kind == DPA_KECAMATAN:
        return kind, "camat"
    head = (Position.objects.filter(org_unit_id=envelope.org_unit_id, kind__in=pa_position_kinds(), is_active=True)
            .order_by("pk").values_list("kind", flat=True).first())
    return kind, head or ""
