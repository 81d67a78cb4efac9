"""Finance figures against hand-computed ones on a small fixed data set (issue 5).

Calendar around Idul Fitri 2026 (workflows.calendar with the seeded cuti bersama): Wed 18 March (cuti
bersama Nyepi), Thu 19 (Nyepi), Fri 20 (cuti bersama), Sat 21 / Sun 22 (Idul Fitri), Mon 23 and Tue 24
(cuti bersama) are all days off, so Tue 17 → Wed 25 March is ONE working day.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from budget_requests.finance import selectors as sel
from budget_requests.services.summaries import finance_summaries_rebuild
from budget_requests.models import Decision, DecisionOutcome, LedgerEntry, LedgerKind, RepairRequest, RequestState
from workflows import calendar
from workflows.models import User

WIB = ZoneInfo("Asia/Jakarta")
S = RequestState
TODAY = dt.date(2026, 3, 27)  # Friday after Idul Fitri 1447 H


def at(d: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(hour), tzinfo=WIB)


def make(world, *, unit=None, state=S.UNDER_REVIEW, sub: dt.date, dec: dt.date | None = None, amount=1_000_000,
         rule=None, outcome=DecisionOutcome.APPROVE, n=[0], dec_hour=14):
    n[0] += 1
    unit = unit or world.babakan
    asset = world.pc_babakan if unit == world.babakan else world.pc_pb
    env = world.env_setu if unit == world.babakan else world.env_pamulang
    requester = world.operator_babakan if unit == world.babakan else world.operator_pb
    obj = RepairRequest.objects.create(
        number=f"T/2026/{n[0]:05d}", org_unit=unit, asset=asset, category="hardware", problem="x", amount=amount,
        envelope=env, requester=requester, state=state, submitted_at=at(sub),
        decided_at=at(dec, dec_hour) if dec else None)
    if dec:
        Decision.objects.create(request=obj, step_index=0, outcome=outcome, is_final=True, amount=amount,
                                rule=world.matrix[rule])
    return obj


@pytest.fixture
def fixed(repair_world):
    w = repair_world
    d = dt.date
    # open requests for ageing (Babakan)
    w.ageing = {
        "0-2": [make(w, sub=d(2026, 3, 25))],                                   # 2 working days
        "3-5": [make(w, sub=d(2026, 3, 17), state=S.SUBMITTED),                 # 3 (10 calendar days!)
                make(w, sub=d(2026, 3, 13), state=S.RETURNED)],                 # 5
        "6-10": [make(w, sub=d(2026, 3, 12)), make(w, sub=d(2026, 3, 6))],      # 6 and 10
        "10+": [make(w, sub=d(2026, 3, 5))],                                    # 11
    }
    # decided requests: lurah [0, 1, 2], camat [1, 2, 3, 4], central [5, 10]
    make(w, state=S.APPROVED, sub=d(2026, 3, 16), dec=d(2026, 3, 16), rule="lurah")
    make(w, state=S.PAID, sub=d(2026, 3, 17), dec=d(2026, 3, 25), rule="lurah")
    make(w, state=S.REJECTED, sub=d(2026, 3, 9), dec=d(2026, 3, 11), rule="lurah", outcome=DecisionOutcome.REJECT)
    make(w, state=S.APPROVED, sub=d(2026, 3, 2), dec=d(2026, 3, 4), rule="camat", amount=10_000_000)
    make(w, state=S.APPROVED, sub=d(2026, 3, 2), dec=d(2026, 3, 6), rule="camat", amount=10_000_000)
    make(w, state=S.CLOSED, sub=d(2026, 3, 9), dec=d(2026, 3, 10), rule="camat", amount=10_000_000)
    make(w, state=S.APPROVED, sub=d(2026, 3, 10), dec=d(2026, 3, 13), rule="camat", amount=10_000_000)
    make(w, state=S.APPROVED, sub=d(2026, 3, 2), dec=d(2026, 3, 16), rule="diskominfo_pa", amount=60_000_000)
    make(w, state=S.APPROVED, sub=d(2026, 3, 12), dec=d(2026, 3, 26), rule="diskominfo_pa", amount=60_000_000)
    # another kecamatan: must never show to the lurah of Babakan
    w.other = make(w, unit=w.pondok_benda, sub=d(2026, 3, 25))
    make(w, unit=w.pondok_benda, state=S.APPROVED, sub=d(2026, 3, 2), dec=d(2026, 3, 30), rule="lurah")
    # ledger of the Setu envelope (allocated Rp500 jt by the fixture): reserved 10 jt, paid 4 jt
    req = w.ageing["0-2"][0]
    for kind, amount in [(LedgerKind.RESERVE, 10_000_000), (LedgerKind.RESERVE, 4_000_000), (LedgerKind.PAY, 4_000_000),
                         (LedgerKind.RESERVE, 2_000_000), (LedgerKind.RELEASE, 2_000_000)]:
        LedgerEntry.objects.create(envelope=w.env_setu, kind=kind, amount=amount, request=req, room_after=0)
    finance_summaries_rebuild()  # the rows above bypassed the services that keep the summaries
    return w


def bpkad():
    return User.objects.get(username="kepala.bpkad")


def test_calendar_assumption_idul_fitri_2026(tangsel):
    assert calendar.working_days_between(dt.date(2026, 3, 17), dt.date(2026, 3, 25)) == 1


def test_envelope_room_and_absorption(fixed):
    f = sel.FinanceFilter(year=2026)
    rows = {r.id: r for r in sel.envelope_summary(bpkad(), f)}
    setu = rows[fixed.env_setu.pk]
    assert (setu.allocated, setu.reserved, setu.paid, setu.room) == (500_000_000, 10_000_000, 4_000_000, 486_000_000)
    assert setu.absorption_paid == Decimal("0.8")
    assert setu.absorption_committed == Decimal("2.8")
    totals = sel.envelope_totals(rows.values())
    assert totals.allocated == 1_000_000_000 and totals.room == 986_000_000


def test_envelope_as_of_end_of_period_excludes_later_entries(fixed):
    LedgerEntry.objects.filter(envelope=fixed.env_setu, kind=LedgerKind.PAY).update(
        created_at=dt.datetime(2026, 12, 1, tzinfo=WIB))
    LedgerEntry.objects.filter(envelope=fixed.env_setu).exclude(kind=LedgerKind.PAY).update(
        created_at=dt.datetime(2026, 2, 1, tzinfo=WIB))
    finance_summaries_rebuild()
    row = next(r for r in sel.envelope_summary(bpkad(), sel.FinanceFilter(year=2026, month_to=6))
               if r.id == fixed.env_setu.pk)
    # the pay of December is not there yet in June: the 4 jt is still reserved
    assert (row.allocated, row.reserved, row.paid) == (500_000_000, 14_000_000, 0)


def test_ageing_buckets_across_idul_fitri(fixed):
    rows = {r.key: r.count for r in sel.ageing(bpkad(), sel.FinanceFilter(year=2026), today=TODAY)}
    # Pondok Benda's open request of 25 March is in 0-2 too (BPKAD sees the city)
    assert rows == {"0-2": 2, "3-5": 2, "6-10": 2, "10+": 1}
    assert sel.ageing_boundaries(TODAY) == {2: dt.date(2026, 3, 25), 5: dt.date(2026, 3, 13), 10: dt.date(2026, 3, 6)}


def test_ageing_drilldown_lists_the_bucket(fixed):
    f = sel.FinanceFilter(year=2026)
    got = set(sel.drilldown(bpkad(), f, {"bucket": "3-5"}, today=TODAY).values_list("pk", flat=True))
    assert got == {r.pk for r in fixed.ageing["3-5"]}
    got = set(sel.drilldown(bpkad(), f, {"bucket": "6-10"}, today=TODAY).values_list("pk", flat=True))
    assert got == {r.pk for r in fixed.ageing["6-10"]}


def test_decision_times_median_and_p90_per_route(fixed):
    f = sel.FinanceFilter(year=2026, unit=fixed.kec_setu)
    times = {t.route: t for t in sel.decision_times(bpkad(), f)}
    assert times["lurah"].values == {0: 1, 1: 1, 2: 1}
    assert (times["lurah"].median, times["lurah"].p90) == (Decimal(1), 2)
    assert times["camat"].values == {1: 1, 2: 1, 3: 1, 4: 1}
    assert (times["camat"].median, times["camat"].p90) == (Decimal("2.5"), 4)
    assert times["central"].values == {5: 1, 10: 1}
    assert (times["central"].median, times["central"].p90) == (Decimal("7.5"), 10)
    assert (times["all"].count, times["all"].median, times["all"].p90) == (9, Decimal(2), 10)
    assert times["central"].amount == 120_000_000


def test_decision_time_bin_drilldown(fixed):
    f = sel.FinanceFilter(year=2026, unit=fixed.kec_setu)
    one = sel.drilldown(bpkad(), f, {"route": "lurah", "dt_lo": "1", "dt_hi": "1"})
    assert [r.submitted_at.astimezone(WIB).date() for r in one] == [dt.date(2026, 3, 17)]
    many = sel.drilldown(bpkad(), f, {"dt_lo": "4", "dt_hi": "10"})
    assert sorted(r.decided_at.astimezone(WIB).date() for r in many) == [
        dt.date(2026, 3, 6), dt.date(2026, 3, 16), dt.date(2026, 3, 26)]
    assert sel.drilldown(bpkad(), f, {"route": "central"}).count() == 2


def test_requests_by_state_and_trend(fixed):
    f = sel.FinanceFilter(year=2026, unit=fixed.kec_setu)
    states = {s.state: s.count for s in sel.requests_by_state(bpkad(), f)}
    assert states["under_review"] == 4 and states["submitted"] == 1 and states["returned"] == 1
    assert states["approved"] == 6 and states["paid"] == 1 and states["closed"] == 1 and states["rejected"] == 1
    trend = {m.month: m for m in sel.monthly_trend(bpkad(), f)}
    assert trend[3].submitted == 15 and trend[3].decided == 9
    assert trend[3].approved_amount == 2 * 1_000_000 + 4 * 10_000_000 + 2 * 60_000_000
    assert trend[2].submitted == 0


def test_lurah_sees_only_own_kelurahan(fixed):
    lurah = fixed.lurah_babakan
    f = sel.FinanceFilter(year=2026)
    assert sum(a.count for a in sel.ageing(lurah, f, today=TODAY)) == 6
    assert fixed.other.pk not in set(sel.drilldown(lurah, f, {}).values_list("pk", flat=True))
    assert sel.envelope_summary(lurah, f) == []  # envelopes sit at the kecamatan
    camat_pamulang = User.objects.get(username="camat-kec-pamulang")
    assert set(sel.drilldown(camat_pamulang, f, {}).values_list("org_unit__code", flat=True)) == {"kel-pondok-benda"}


def test_envelopes_summed_per_kecamatan():
    rows = [
        sel.EnvelopeRow(1, "Kecamatan Setu", "kec-setu", "A", "", 100, 10, 5, unit_path="kota/kec-setu"),
        sel.EnvelopeRow(2, "Kelurahan Babakan", "kel-babakan", "A", "", 50, 1, 2, unit_path="kota/kec-setu/kel-babakan"),
        sel.EnvelopeRow(3, "Kelurahan Pondok Benda", "kel-pb", "A", "", 40, 0, 0,
                        unit_path="kota/kec-pamulang/kel-pb"),
    ]
    groups = {g.unit_code: g for g in sel.envelopes_by_kecamatan(rows)}
    assert (groups["kec-setu"].unit, groups["kec-setu"].allocated, groups["kec-setu"].room) == ("Kecamatan Setu", 150, 132)
    assert groups["kec-pamulang"].allocated == 40


def test_routes_are_read_from_the_decision_level(fixed):
    """The route of a decision follows its rule's level (levels.py): a Diskominfo PA rule is central; a rule
    stored before levels existed counts by the level its position kind implies; relabelling a camat rule's
    level moves its decisions with it, in the figures and in the drill-down alike."""
    from budget_requests.models import DelegationRule

    f = sel.FinanceFilter(year=2026, unit=fixed.kec_setu)
    DelegationRule.objects.filter(pk=fixed.matrix["lurah"].pk).update(level="")  # a legacy row
    finance_summaries_rebuild()  # the summaries keep the route of the day of decision until rebuilt
    times = {t.route: t.count for t in sel.decision_times(bpkad(), f)}
    assert (times["lurah"], times["camat"], times["central"]) == (3, 4, 2)
    assert sel.drilldown(bpkad(), f, {"route": "lurah"}).count() == 3
    DelegationRule.objects.filter(pk=fixed.matrix["camat"].pk).update(level="pa_skpd")
    finance_summaries_rebuild()
    times = {t.route: t.count for t in sel.decision_times(bpkad(), f)}
    assert (times["lurah"], times["camat"], times["central"]) == (3, 0, 6)
    assert sel.drilldown(bpkad(), f, {"route": "central"}).count() == 6
    assert sel.drilldown(bpkad(), f, {"route": "camat"}).count() == 0
