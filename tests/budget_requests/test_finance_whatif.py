"""Delegation what-if: hand-counted replay under the illustrative matrix and the fully central baseline,
and the whatif_replay command (deterministic for a seed)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from budget_requests.finance import timing, whatif
from budget_requests.finance.whatif import ReplayRequest

WIB = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def req(i, amount, day, *, asset=1, province=False):
    return ReplayRequest(id=i, unit_id=1, unit_kind="kelurahan", category="hardware", amount=amount,
                         at=dt.datetime(2026, 6, day, 9, tzinfo=WIB), asset_id=asset, province_owned=province)


REQUESTS = [
    req(1, 4_999_999, 1, asset=10), req(2, 5_000_000, 2, asset=11), req(3, 5_000_001, 3, asset=12),
    req(4, 60_000_000, 4, asset=13), req(5, 3_000_000, 5, asset=14, province=True),
    # the split-purchase example: three Rp2 jt for one asset within 10 days under a Rp5 jt lurah limit
    req(6, 2_000_000, 15, asset=20), req(7, 2_000_000, 16, asset=20), req(8, 2_000_000, 17, asset=20),
]


def test_replay_counts_under_illustrative_matrix():
    rules = whatif.illustrative_rules(2026)
    r = whatif.replay("current", REQUESTS, rules)
    assert (r.requests, r.forwarded, r.no_route) == (8, 1, 0)
    # Rp60 juta from a kecamatan's DPA: Diskominfo verifies, the camat as PA decides (a local decision).
    assert r.by_route == {"lurah": 5, "camat": 2, "central": 0}
    assert r.decided_locally == 7 and r.decided_locally_share == 0.875
    assert r.amount_without_central_review == 4_999_999 + 5_000_000 + 5_000_001 + 3 * 2_000_000
    # no history given: no times at all (never the rules' response times)
    assert (r.median_days, r.p90_days) == (None, None)
    # the third Rp2 jt for one asset crosses the Rp5 jt lurah limit (the Rp5 jt of 2 June and the Rp4.999.999
    # of 1 June are on different assets of unknown kind: not grouped)
    assert r.red_flags == 1


def test_fully_central_baseline():
    rules = whatif.central_rules(whatif.illustrative_rules(2026))
    r = whatif.replay("central", whatif.centralize(REQUESTS), rules)
    assert r.by_route == {"lurah": 0, "camat": 0, "central": 7}
    assert r.decided_locally_share == 0.0 and r.amount_without_central_review == 0


def constant(**kinds):
    return timing.DurationHistory(samples={k: [v] * 10 for k, v in kinds.items()}, capacity=None)


def test_observed_durations_time_each_step():
    rules = whatif.illustrative_rules(2026)
    history = constant(lurah=0.25, camat=1.5, kepala_diskominfo=2.0)
    r = whatif.replay("m", REQUESTS[:4], rules, history=history, runs=3)
    # lurah 0.25 ×2, camat 1.5, Diskominfo verification 2.0 + camat 1.5 = 3.5
    assert r.timing.route_median == {"lurah": 0.25, "camat": 2.5}
    assert (r.median_days, r.timing.median_interval) == (0.88, (0.88, 0.88))
    assert r.timing.source == "observed"


def test_too_few_observations_draw_from_the_pool_and_none_give_no_time():
    rules = whatif.illustrative_rules(2026)
    history = timing.DurationHistory(samples={"lurah": [0.3] * 6, "camat": [9.0] * 2})
    r = whatif.replay("p", REQUESTS[2:3], rules, history=history, runs=2)  # a camat request, 2 camat samples
    assert r.timing.source == "pooled" and r.median_days in (0.3, 9.0)
    nothing = timing.DurationHistory(samples={"lurah": [0.3, 0.4]})
    assert whatif.replay("n", REQUESTS[:3], rules, history=nothing).median_days is None


def test_response_time_settings_alone_do_not_move_the_replayed_times():
    """The issue: doubling the configured response times doubled every figure. Now they are not read."""
    requests = whatif.synthetic_year(2026, 5)[:400]
    history = whatif.synthetic_history(5)
    rules = whatif.illustrative_rules(2026)
    slow = [dataclasses.replace(r, response_time_value=r.response_time_value * 10, response_time_unit="working_days")
            for r in rules]
    a = whatif.replay("a", requests, rules, history=history, runs=10)
    b = whatif.replay("b", requests, slow, history=history, runs=10)
    assert a.as_json() | {"scenario": ""} == b.as_json() | {"scenario": ""}
    configured = {r.response_time_value / (8 if r.response_time_unit == "hours" else 1) for r in rules + slow}
    assert a.median_days not in configured and a.p90_days not in configured


def test_central_queue_builds_a_backlog_at_its_daily_capacity():
    """Five central requests arriving together at an office that takes up one a day: each waits a day more."""
    at = dt.datetime(2026, 6, 2, 9, 36, tzinfo=WIB)  # Tuesday, 0.2 of the office day
    requests = [ReplayRequest(id=i, unit_id=1, unit_kind="kelurahan", category="hardware", amount=1_000_000, at=at,
                              asset_id=i, dpa_kind="perangkat_daerah", dpa_head_kind="kepala_diskominfo")
                for i in range(5)]
    history = timing.DurationHistory(samples={"kepala_diskominfo": [0.5] * 10}, capacity=1,
                                     capacity_source="observed")
    r = whatif.replay("q", requests, whatif.illustrative_rules(2026), history=history, runs=1)
    assert r.by_route["central"] == 5
    assert (r.median_days, r.p90_days) == (2.3, 4.3)  # 0.5, 1.3, 2.3, 3.3, 4.3
    assert r.timing.backlog_max == 4
    roomy = dataclasses.replace(history, capacity=10)
    assert whatif.replay("q", requests, whatif.illustrative_rules(2026), history=roomy, runs=1).p90_days == 0.5


def test_monthly_cap_makes_requests_climb():
    from dataclasses import replace
    rules = [replace(x, monthly_cap_per_unit=6_000_000) if x.position_kind == "lurah" else x
             for x in whatif.illustrative_rules(2026)]
    r = whatif.replay("cap", [req(1, 4_000_000, 1, asset=1), req(2, 3_000_000, 2, asset=2)], rules)
    assert r.by_route == {"lurah": 1, "camat": 1, "central": 0}


def test_replay_follows_each_requests_dpa():
    rules = whatif.illustrative_rules(2026)
    central = [dataclasses.replace(x, dpa_kind="perangkat_daerah", dpa_head_kind="kepala_diskominfo")
               for x in REQUESTS[:2]]
    r = whatif.replay("mixed", central + REQUESTS[2:3], rules)
    assert r.by_route == {"lurah": 0, "camat": 1, "central": 2}


def test_command_json_is_deterministic_labelled_synthetic_and_has_intervals(tangsel):
    def run(seed):
        out = StringIO()
        call_command("whatif_replay", "--synthetic-year", "2026", "--seed", str(seed), "--json", stdout=out)
        return json.loads(out.getvalue())
    first, again, other = run(7), run(7), run(8)
    assert first == again and first != other
    names = [x["scenario"] for x in first]
    assert names == ["current", "fully_central"]
    for entry in first:
        assert entry["durations"] == "synthetic" and entry["central_capacity_source"] == "synthetic"
        assert 1500 < entry["requests"] < 2500
        lo, hi = entry["median_interval_working_days"]
        assert lo <= entry["median_decision_working_days"] <= hi
        lo, hi = entry["p90_interval_working_days"]
        assert lo <= entry["p90_decision_working_days"] <= hi and lo < hi
    current, central = first
    assert current["decided_locally_share"] > 0.8 and central["decided_locally_share"] == 0
    # Every request at one central office with a daily capacity: a backlog builds and decisions slow down.
    assert central["central_backlog_max"] > current["central_backlog_max"]
    assert current["median_decision_working_days"] < central["median_decision_working_days"]


def test_synthetic_year_is_for_all_54_kelurahan():
    requests = whatif.synthetic_year(2026, 3)
    assert len({r.unit_id for r in requests}) == 54
    assert all(r.at.year == 2026 and r.amount % 50_000 == 0 and 150_000 <= r.amount <= 190_000_000 for r in requests)


def test_observed_history_from_decisions(repair_world):
    """Two-step route: Diskominfo verifies 1 office day after submission, the camat decides 4 office hours
    later; the central office's capacity is the most central decisions it made in one working day."""
    import datetime as dt
    from budget_requests.models import Decision, DecisionOutcome, RepairRequest, RequestState

    w = repair_world
    sub = dt.datetime(2026, 6, 2, 8, tzinfo=WIB)  # Tuesday 08:00 (1 June is Hari Lahir Pancasila)
    for i in range(5):
        req = RepairRequest.objects.create(
            number=f"M/{i}", org_unit=w.babakan, asset=w.pc_babakan, category="hardware", problem="x",
            amount=60_000_000, envelope=w.env_setu, requester=w.operator_babakan, state=RequestState.APPROVED,
            submitted_at=sub, decided_at=sub + dt.timedelta(days=1, hours=4))
        d1 = Decision.objects.create(request=req, step_index=0, outcome=DecisionOutcome.APPROVE, amount=1,
                                     rule=w.matrix["diskominfo"])
        d2 = Decision.objects.create(request=req, step_index=1, outcome=DecisionOutcome.APPROVE, amount=1,
                                     rule=w.matrix["camat"], is_final=True)
        Decision.objects.filter(pk=d1.pk).update(created_at=sub + dt.timedelta(days=1))           # Wed 08:00
        Decision.objects.filter(pk=d2.pk).update(created_at=sub + dt.timedelta(days=1, hours=4))  # Wed 12:00
    history = whatif.observed_history(since_days=100000)
    assert history.samples["kepala_diskominfo"] == [1.0] * 5
    assert history.samples["camat"] == [0.5] * 5
    assert (history.capacity, history.capacity_source, history.source) == (5, "observed", "observed")


def test_a_large_period_runs_fewer_draws_but_at_least_ten():
    items = [timing.Timed(arrival=0.1 * i, route_class="lurah", steps=(("lurah", False),)) for i in range(20_000)]
    history = timing.DurationHistory(samples={"lurah": [0.2, 0.4, 0.6, 0.8, 1.0]})
    t = timing.time_requests(items, history)
    assert t.runs == 10 and t.median_interval[0] <= t.median <= t.median_interval[1]
    assert timing.time_requests(items[:100], history, runs=3).runs == 3
