"""The pure routing function, with rules as plain data (no database)."""
import datetime as dt

import pytest

from budget_requests.routing import (
    NoRoute, RequestFacts, RuleData, approver_limit, compute_route, escalation_kind, same_route,
)

DAY = dt.date(2026, 3, 10)


def rule(id, kind, max_amount, order, step_kind="approve", **kw):
    base = dict(fiscal_year=2026, effective_from=dt.date(2026, 1, 1), effective_until=None, category=None)
    base.update(kw)
    return RuleData(id=id, position_kind=kind, max_single_amount=max_amount, step_order=order, step_kind=step_kind,
                    **base)


MATRIX = [
    rule(1, "lurah", 5_000_000, 10, acting_allowed=True),
    rule(2, "camat", 50_000_000, 20, acting_allowed=True, acting_share_pct=50, endorses_above_limit=True),
    rule(3, "kepala_diskominfo", 200_000_000, 30, "technical_verification"),
    rule(4, "kepala_bpkad", 200_000_000, 40, "finance"),
]


def kinds(amount, unit="kelurahan", rules=MATRIX, **kw):
    return [s.position_kind for s in compute_route(rules, RequestFacts(unit, kw.pop("category", "hardware"), amount, kw.pop("on", DAY), **kw))]


@pytest.mark.parametrize("amount, expected", [
    (1, ["lurah"]),
    (4_999_999, ["lurah"]),
    (5_000_000, ["lurah"]),
    (5_000_001, ["camat"]),
    (50_000_000, ["camat"]),
    (50_000_001, ["camat", "kepala_diskominfo", "kepala_bpkad"]),
    (60_000_000, ["camat", "kepala_diskominfo", "kepala_bpkad"]),
    (200_000_000, ["camat", "kepala_diskominfo", "kepala_bpkad"]),
])
def test_kelurahan_route_climbs_only_as_high_as_the_amount_requires(amount, expected):
    assert kinds(amount) == expected


def test_roles_of_a_long_route():
    route = compute_route(MATRIX, RequestFacts("kelurahan", "hardware", 60_000_000, DAY))
    assert [(s.role, s.rule_id, s.index) for s in route] == [("endorse", 2, 0), ("verify", 3, 1), ("decide", 4, 2)]
    assert route[0].as_dict()["acting_share_pct"] == 50


def test_kecamatan_request_starts_at_the_camat():
    assert kinds(1_000_000, unit="kecamatan") == ["camat"]
    assert kinds(60_000_000, unit="kecamatan") == ["camat", "kepala_diskominfo", "kepala_bpkad"]


def test_amount_above_every_limit_has_no_route():
    with pytest.raises(NoRoute):
        kinds(200_000_001)


def test_province_owned_asset_has_an_empty_route():
    assert kinds(1_000_000, province_owned=True) == []


def test_category_rule_beats_the_general_rule():
    rules = MATRIX + [rule(9, "lurah", 10_000_000, 10, category="cctv")]
    assert kinds(8_000_000, rules=rules, category="cctv") == ["lurah"]
    assert kinds(8_000_000, rules=rules, category="hardware") == ["camat"]


def test_rules_out_of_force_are_ignored_and_a_newer_rule_wins():
    rules = [r for r in MATRIX if r.position_kind != "lurah"] + [
        rule(10, "lurah", 5_000_000, 10, effective_until=dt.date(2026, 3, 31)),
        rule(11, "lurah", 7_500_000, 10, effective_from=dt.date(2026, 4, 1)),
    ]
    assert kinds(6_000_000, rules=rules, on=dt.date(2026, 3, 31)) == ["camat"]
    assert kinds(6_000_000, rules=rules, on=dt.date(2026, 4, 1)) == ["lurah"]
    # Another fiscal year's matrix does not apply at all.
    with pytest.raises(NoRoute):
        kinds(1_000, rules=rules, on=dt.date(2027, 1, 5))


def test_monthly_cap_makes_the_request_climb():
    rules = [r for r in MATRIX if r.position_kind != "lurah"] + [
        rule(12, "lurah", 5_000_000, 10, monthly_cap_per_unit=10_000_000)]
    assert kinds(4_000_000, rules=rules, month_used={"lurah": 6_000_000}) == ["lurah"]
    assert kinds(4_000_000, rules=rules, month_used={"lurah": 6_000_001}) == ["camat"]


def test_acting_limit_is_the_share_of_the_limit():
    assert MATRIX[1].acting_limit() == 25_000_000
    assert MATRIX[3].acting_limit() == 0


def test_escalation_goes_one_level_up_the_ladder():
    assert escalation_kind(MATRIX, on=DAY, category="hardware", unit_kind="kelurahan", position_kind="lurah") == "camat"
    assert escalation_kind(MATRIX, on=DAY, category="hardware", unit_kind="kelurahan", position_kind="kepala_bpkad") is None


def test_approver_limit_is_the_lowest_deciding_limit_over_the_unit():
    assert approver_limit(MATRIX, on=DAY, category="hardware", unit_kind="kelurahan") == 5_000_000
    assert approver_limit(MATRIX, on=DAY, category="hardware", unit_kind="kecamatan") == 50_000_000


def test_same_route_compares_rules_and_roles():
    a = [s.as_dict() for s in compute_route(MATRIX, RequestFacts("kelurahan", "hardware", 60_000_000, DAY))]
    b = [s.as_dict() for s in compute_route(MATRIX, RequestFacts("kelurahan", "hardware", 70_000_000, DAY))]
    c = [s.as_dict() for s in compute_route(MATRIX, RequestFacts("kelurahan", "hardware", 6_000_000, DAY))]
    assert same_route(a, b)
    assert not same_route(a, c)


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(amount=st.integers(min_value=1, max_value=200_000_000), unit=st.sampled_from(["kelurahan", "kecamatan"]))
def test_route_properties_for_any_amount(amount, unit):
    route = compute_route(MATRIX, RequestFacts(unit, "hardware", amount, DAY))
    # The last step decides and may decide this amount; no earlier approve step could have.
    assert route[-1].role == "decide" and route[-1].max_single_amount >= amount
    for step in route[:-1]:
        assert step.role in ("endorse", "verify")
        if step.role == "endorse":
            assert step.max_single_amount < amount
    # A lurah never appears above a kecamatan's request, and never next to the camat.
    kinds = [s.position_kind for s in route]
    assert "lurah" not in kinds or kinds == ["lurah"]
    assert unit == "kelurahan" or "lurah" not in kinds
    assert [s.index for s in route] == list(range(len(route)))
