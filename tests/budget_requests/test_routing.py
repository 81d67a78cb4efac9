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


# The illustrative matrix: lurah as KPA up to Rp5 juta; Diskominfo verifies above Rp50 juta; the camat as PA
# of the kecamatan's DPA decides up to Rp200 juta; the Kepala Diskominfo as PA decides from Diskominfo's DPA.
MATRIX = [
    rule(1, "lurah", 5_000_000, 10, acting_allowed=True, level="kpa_lurah"),
    rule(3, "kepala_diskominfo", 200_000_000, 15, "technical_verification", level="technical",
         applies_above=50_000_000),
    rule(2, "camat", 200_000_000, 20, acting_allowed=True, acting_share_pct=25, level="pa_camat"),
    rule(5, "kepala_diskominfo", 200_000_000, 30, level="pa_skpd"),
]
CENTRAL = dict(dpa_kind="perangkat_daerah", dpa_head_kind="kepala_diskominfo")


def kinds(amount, unit="kelurahan", rules=MATRIX, **kw):
    return [s.position_kind for s in compute_route(rules, RequestFacts(unit, kw.pop("category", "hardware"), amount, kw.pop("on", DAY), **kw))]


@pytest.mark.parametrize("amount, expected", [
    (1, ["lurah"]),
    (4_999_999, ["lurah"]),
    (5_000_000, ["lurah"]),
    (5_000_001, ["camat"]),
    (50_000_000, ["camat"]),
    (50_000_001, ["kepala_diskominfo", "camat"]),
    (60_000_000, ["kepala_diskominfo", "camat"]),
    (200_000_000, ["kepala_diskominfo", "camat"]),
])
def test_kelurahan_route_climbs_only_as_high_as_the_amount_requires(amount, expected):
    assert kinds(amount) == expected


def test_roles_of_a_long_route():
    route = compute_route(MATRIX, RequestFacts("kelurahan", "hardware", 60_000_000, DAY))
    assert [(s.role, s.rule_id, s.index, s.level) for s in route] == [
        ("verify", 3, 0, "technical"), ("decide", 2, 1, "pa_camat")]
    assert route[1].as_dict()["acting_share_pct"] == 25


def test_kecamatan_request_starts_at_the_camat():
    assert kinds(1_000_000, unit="kecamatan") == ["camat"]
    assert kinds(60_000_000, unit="kecamatan") == ["kepala_diskominfo", "camat"]


def test_above_fifty_million_in_a_kecamatan_dpa_the_pa_decides_not_bpkad():
    """The issue's case: a request above Rp50 juta spending from a kecamatan's DPA used to be decided by the
    Kepala BPKAD. A BPKAD row in the matrix (even a stale 'finance' one) never becomes a step: as BUD it
    issues SP2D, it does not approve in the PA's place."""
    stale_bpkad = rule(4, "kepala_bpkad", 200_000_000, 40, "finance")
    route = compute_route(MATRIX + [stale_bpkad], RequestFacts("kelurahan", "hardware", 75_000_000, DAY))
    assert [(s.position_kind, s.role) for s in route] == [("kepala_diskominfo", "verify"), ("camat", "decide")]
    with pytest.raises(NoRoute):  # a matrix where only BPKAD could decide has no route at all
        kinds(60_000_000, rules=[MATRIX[0], stale_bpkad])


def test_central_envelope_is_decided_by_its_own_pa():
    # Diskominfo's DPA: neither the lurah nor the camat decide, and Diskominfo does not verify itself.
    assert kinds(1_000_000, **CENTRAL) == ["kepala_diskominfo"]
    assert kinds(150_000_000, **CENTRAL) == ["kepala_diskominfo"]
    route = compute_route(MATRIX, RequestFacts("kelurahan", "wifi", 150_000_000, DAY, **CENTRAL))
    assert [(s.role, s.level, s.rule_id) for s in route] == [("decide", "pa_skpd", 5)]
    # Another office's PA rule does not decide from Diskominfo's DPA.
    other = [rule(6, "kepala_bpkad", 200_000_000, 30, level="pa_skpd")]
    with pytest.raises(NoRoute):
        kinds(1_000_000, rules=other, **CENTRAL)
    # ... and Diskominfo's PA does not decide from a kecamatan's DPA.
    with pytest.raises(NoRoute):
        kinds(1_000_000, rules=[MATRIX[3]])


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
    assert MATRIX[2].acting_limit() == 50_000_000
    assert MATRIX[3].acting_limit() == 0


def test_escalation_goes_one_level_up_the_ladder():
    # The lurah's step goes to the camat (not to the Diskominfo verifier between them in step order).
    assert escalation_kind(MATRIX, on=DAY, category="hardware", unit_kind="kelurahan", position_kind="lurah") == "camat"
    assert escalation_kind(MATRIX, on=DAY, category="hardware", unit_kind="kelurahan", position_kind="camat") is None
    assert escalation_kind(MATRIX, on=DAY, category="hardware", unit_kind="kelurahan",
                           position_kind="kepala_diskominfo") is None


def test_approver_limit_is_the_lowest_deciding_limit_over_the_unit():
    assert approver_limit(MATRIX, on=DAY, category="hardware", unit_kind="kelurahan") == 5_000_000
    assert approver_limit(MATRIX, on=DAY, category="hardware", unit_kind="kecamatan") == 200_000_000
    assert approver_limit(MATRIX, on=DAY, category="hardware", unit_kind="kelurahan", **CENTRAL) == 200_000_000


def test_same_route_compares_rules_and_roles():
    a = [s.as_dict() for s in compute_route(MATRIX, RequestFacts("kelurahan", "hardware", 60_000_000, DAY))]
    b = [s.as_dict() for s in compute_route(MATRIX, RequestFacts("kelurahan", "hardware", 70_000_000, DAY))]
    c = [s.as_dict() for s in compute_route(MATRIX, RequestFacts("kelurahan", "hardware", 40_000_000, DAY))]
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
    # A lurah never appears above a kecamatan's request, and never next to the camat; the PA of the
    # kecamatan's DPA (or its KPA) always decides, never a city office.
    kinds = [s.position_kind for s in route]
    assert "lurah" not in kinds or kinds == ["lurah"]
    assert unit == "kelurahan" or "lurah" not in kinds
    assert route[-1].level in ("kpa_lurah", "pa_camat")
    assert ("kepala_diskominfo" in kinds) == (amount > 50_000_000)
    assert [s.index for s in route] == list(range(len(route)))


def test_a_matrix_row_cannot_make_bpkad_approve_or_put_a_position_on_a_foreign_level():
    from django.core.exceptions import ValidationError

    from budget_requests.models import DelegationRule

    with pytest.raises(ValidationError) as exc:
        DelegationRule(position_kind="kepala_bpkad", step_kind="finance", max_single_amount=1, step_order=1).clean()
    assert "SP2D" in str(exc.value)
    with pytest.raises(ValidationError):
        DelegationRule(position_kind="lurah", level="pa_camat", max_single_amount=1, step_order=1).clean()
    DelegationRule(position_kind="kepala_diskominfo", level="pa_skpd", max_single_amount=1, step_order=1).clean()
