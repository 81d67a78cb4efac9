"""The finance summaries kept by the services equal a rebuild from scratch, and the dashboard reads only them."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.urls import reverse

from budget_requests.finance import selectors as sel
from budget_requests.finance.models import EnvelopeFigure, FigureChange, RequestFigure
from budget_requests.finance.testing import Target, bulk_requests
from budget_requests.models import LedgerEntry, LedgerKind, RepairRequest, RequestState
from budget_requests.services import RequestError, request_approve
from budget_requests.services import summaries
from budget_requests.services.summaries import (
    figures_apply, figures_fold, finance_summaries_rebuild, request_figures, summaries_snapshot,
)
from tests.budget_requests.summary_history import varied_history
from tests.budget_requests.support import new_request
from workflows.acting import local_date
from workflows.models import User
from workflows.policy import Denied

pytestmark = pytest.mark.django_db
S = RequestState


def bpkad() -> User:
    return User.objects.get(username="kepala.bpkad")


def figures_for(user, f) -> dict:
    """The dashboard's figures as plain values (to compare two readings)."""
    got = sel.dashboard_figures(user, f)
    return {
        "envelopes": [(e.id, e.allocated, e.reserved, e.paid) for e in got["envelopes"]],
        "states": [(s.state, s.count, s.amount) for s in got["states"]],
        "ageing": [(a.key, a.count, a.amount) for a in got["ageing"]],
        "times": [(t.route, t.count, t.amount, dict(t.values)) for t in got["times"]],
        "trend": [(m.month, m.submitted, m.submitted_amount, m.decided, m.approved_amount, m.paid_amount)
                  for m in got["trend"]],
        "flagged": got["flagged"],
    }


def test_rebuilding_from_scratch_gives_the_live_figures_after_a_varied_history(repair_world):
    w = repair_world
    paths = varied_history(w)
    assert paths["ls_paid"] == 1 and paths["returned+resubmitted"] >= 1
    year = local_date().year
    views = [(bpkad(), sel.FinanceFilter(year=year)), (w.lurah_babakan, sel.FinanceFilter(year=year)),
             (bpkad(), sel.FinanceFilter(year=year, unit=w.kec_pamulang, category="network"))]
    live_rows = summaries_snapshot()
    live = [figures_for(u, f) for u, f in views]

    result = finance_summaries_rebuild()

    assert result.requests == RepairRequest.objects.exclude(state=S.DRAFT).count()
    assert summaries_snapshot() == live_rows
    assert [figures_for(u, f) for u, f in views] == live
    # and the figures are the truth, not only self-consistent
    city = live[0]
    truth = dict(RepairRequest.objects.exclude(state=S.DRAFT).values_list("state").annotate(n=Count("id")))
    assert {state: n for state, n, _a in city["states"] if n} == truth
    ledger = LedgerEntry.objects.filter(envelope=w.env_setu)
    setu = next(e for e in city["envelopes"] if e[0] == w.env_setu.pk)
    assert setu[3] == ledger.filter(kind=LedgerKind.PAY).aggregate(s=Sum("amount"))["s"]
    assert sum(m[5] for m in city["trend"]) == RepairRequest.objects.filter(
        paid_at__isnull=False).aggregate(s=Sum("amount"))["s"]


def test_a_refused_approval_moves_no_figure(repair_world):
    w = repair_world
    obj = new_request(w, amount=2_000_000)
    before = summaries_snapshot()
    with pytest.raises(Denied):
        request_approve(request_obj=obj, actor=w.lurah_pb)  # another kelurahan's lurah
    assert summaries_snapshot() == before
    request_approve(request_obj=obj, actor=w.lurah_babakan)
    with pytest.raises(RequestError):
        request_approve(request_obj=obj, actor=w.lurah_babakan)  # a retried approval: the FSM refuses
    after = summaries_snapshot()
    assert after != before
    finance_summaries_rebuild()
    assert summaries_snapshot() == after


def test_applying_the_same_row_twice_writes_nothing(repair_world):
    obj = new_request(repair_world, amount=2_000_000)
    cells = request_figures(obj)
    assert cells  # a submitted request counts at its kelurahan, kecamatan, the city root and the city node
    assert {key[0] for key in cells} == {"", "kota-tangsel", "kota-tangsel/kec-setu", obj.org_unit.path}
    assert figures_apply(before=cells, after=cells) == 0


def test_rebuild_command_recomputes_the_tables(repair_world):
    w = repair_world
    new_request(w, amount=2_000_000)
    RequestFigure.objects.all().delete()
    EnvelopeFigure.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_finance_summaries", stdout=out)
    assert "1 permohonan" in out.getvalue()
    states = {s.state: s.count for s in sel.requests_by_state(bpkad(), sel.FinanceFilter(year=local_date().year))}
    assert states[S.UNDER_REVIEW] == 1
    assert EnvelopeFigure.objects.filter(envelope=w.env_setu).aggregate(a=Sum("allocated"))["a"] == 500_000_000


def test_dashboard_query_count_is_bounded_and_the_same_at_both_sizes(client, repair_world,
                                                                     django_assert_max_num_queries):
    w = repair_world
    targets = [Target(w.babakan, w.env_setu, w.pc_babakan, w.operator_babakan),
               Target(w.pondok_benda, w.env_pamulang, w.pc_pb, w.operator_pb)]
    client.force_login(bpkad())
    url, params = reverse("finance:dashboard"), {"year": str(local_date().year)}
    bulk_requests(300, targets=targets, rules=w.matrix, seed=1, prefix="A")
    finance_summaries_rebuild()
    client.get(url, params)  # warm the per-process caches
    with django_assert_max_num_queries(20) as small:
        assert client.get(url, params).status_code == 200
    bulk_requests(3_000, targets=targets, rules=w.matrix, seed=2, prefix="B")
    finance_summaries_rebuild()
    with django_assert_max_num_queries(20) as large:
        response = client.get(url, params)
    assert len(large.captured_queries) == len(small.captured_queries)
    # no query of the page reads the request table: its figures all come from the summaries
    assert not [q["sql"] for q in large.captured_queries if 'FROM "budget_requests_repairrequest"' in q["sql"]
                and "budget_requests_redflag" not in q["sql"]]
    states = {row.state: row.count for row, _url in response.context["states"]}
    assert sum(states.values()) == RepairRequest.objects.exclude(state=S.DRAFT).count()


def test_a_change_is_one_insert_and_the_fold_moves_any_number_of_cells_in_two_statements(
        repair_world, django_assert_num_queries):
    """A service records its difference as one ``FigureChange`` row and touches no cell; the fold finds the cells
    by their one indexed ``cell_key`` and moves them in two statements (insert the missing; lock and move in
    one update), however many cells the pending changes touch."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    day = dt.date(2026, 3, 1)
    left = ("", "submitted", day, "hardware", "under_review", 0, "", 0)
    entered = [(f"kota/unit-{i}", "submitted", day, "hardware", "approved", 0, "", 0) for i in range(30)]
    figures_fold()  # the fixtures' envelope allocations
    with django_assert_num_queries(1):
        figures_apply(before={}, after={left: (2, 1000)})
    with django_assert_num_queries(1):
        moved = figures_apply(before={left: (1, 500)}, after={k: (1, 500) for k in entered})
    assert moved == 31
    assert not RequestFigure.objects.filter(period=day).exists()
    assert FigureChange.objects.count() == 2
    with CaptureQueriesContext(connection) as cq:
        assert figures_fold() == 2
    on_cells = [q["sql"] for q in cq.captured_queries if '"budget_requests_requestfigure"' in q["sql"]]
    assert len(on_cells) == 2, on_cells
    assert not FigureChange.objects.exists()
    rows = {tuple(getattr(r, f) for f in RequestFigure.KEY_FIELDS): (r.count, r.amount, r.cell_key)
            for r in RequestFigure.objects.filter(period=day)}
    assert rows[left] == (1, 500, RequestFigure.digest(left))
    assert all(rows[k] == (1, 500, RequestFigure.digest(k)) for k in entered)
    assert len(rows) == 31
    with django_assert_num_queries(1):  # nothing pending: one look
        assert figures_fold() == 0


def test_the_fold_takes_changes_in_batches_and_a_leaving_change_before_its_entering_one(repair_world):
    """Batches of any size give the same cells; a change that leaves a cell folded before the one that entered it
    (another fold held it) still nets out."""
    import datetime as dt

    day = dt.date(2026, 4, 1)
    a = ("kota", "submitted", day, "network", "approved", 0, "", 0)
    b = ("kota", "submitted", day, "network", "paid", 0, "", 0)
    figures_fold()  # the fixtures' envelope allocations
    FigureChange.objects.create(cells=[[*summaries._key_json(b), -1, -700], [*summaries._key_json(a), 0, 0]])
    figures_fold(batch=1)
    assert RequestFigure.objects.get(cell_key=RequestFigure.digest(b)).count == -1
    for i in range(7):
        figures_apply(before={}, after={a: (1, 100 + i)})
    figures_apply(before={}, after={b: (1, 700)})
    assert figures_fold(batch=3) == 8
    assert RequestFigure.objects.get(cell_key=RequestFigure.digest(a)).count == 7
    assert RequestFigure.objects.get(cell_key=RequestFigure.digest(b)).amount == 0
    assert not FigureChange.objects.exists()


def test_readers_and_the_worker_fold_the_pending_changes(client, repair_world):
    from budget_requests.tasks import fold_finance_figures

    w = repair_world
    obj = new_request(w, amount=1_300_000)
    request_approve(request_obj=obj, actor=w.lurah_babakan, justification="")
    assert FigureChange.objects.exists()
    fold_finance_figures.apply().get()
    assert not FigureChange.objects.exists()
    obj2 = new_request(w, amount=1_400_000)
    request_approve(request_obj=obj2, actor=w.lurah_babakan, justification="")
    assert FigureChange.objects.exists()
    f = sel.FinanceFilter(year=local_date().year)
    states = {s.state: (s.count, s.amount) for s in sel.requests_by_state(bpkad(), f)}
    assert not FigureChange.objects.exists()
    approved = RepairRequest.objects.filter(state=S.APPROVED)
    assert states[S.APPROVED] == (approved.count(), sum(approved.values_list("amount", flat=True)))


def test_every_cell_key_is_the_digest_of_its_key_columns_and_the_migration_computes_the_same(repair_world):
    import importlib

    varied_history(repair_world)
    finance_summaries_rebuild()
    rows = list(RequestFigure.objects.all())
    assert rows
    for r in rows:
        assert r.cell_key == RequestFigure.digest(tuple(getattr(r, f) for f in RequestFigure.KEY_FIELDS))
    frozen = importlib.import_module("budget_requests.migrations.0013_requestfigure_cell_key")
    sample = [tuple(getattr(r, f) for f in RequestFigure.KEY_FIELDS) for r in rows[:50]]
    assert [frozen._digest(k) for k in sample] == [RequestFigure.digest(k) for k in sample]


def test_a_final_approval_reads_neither_its_decision_back_nor_a_missing_complaint(repair_world):
    """The route class comes from the step just decided, and a request loaded with its (absent) complaint is not
    searched for one; the figures still equal a rebuild (the route is the one the decision's rule gives)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = repair_world
    obj = new_request(w, amount=1_250_000)
    with CaptureQueriesContext(connection) as cq:
        request_approve(request_obj=obj, actor=w.lurah_babakan, justification="")
    sql = [q["sql"] for q in cq.captured_queries]
    assert obj.state == S.APPROVED
    assert not [s for s in sql if s.startswith("SELECT") and 'FROM "budget_requests_decision"' in s]
    assert not [s for s in sql if 'FROM "budget_requests_complaint"' in s]
    live = summaries_snapshot()
    finance_summaries_rebuild()
    assert summaries_snapshot() == live
    assert any(key[1] == "decided" and key[6] for key in live[0])  # a decided cell with its route


def test_a_reservation_goes_in_the_approval_s_own_change_row_and_the_fold_adds_it_to_its_month(repair_world):
    w = repair_world
    figures_fold()
    obj = new_request(w, amount=1_700_000)
    figures_fold()
    reserved_before = EnvelopeFigure.objects.filter(envelope=w.env_setu).aggregate(r=Sum("reserved"))["r"] or 0
    request_approve(request_obj=obj, actor=w.lurah_babakan, justification="")
    change = FigureChange.objects.get()
    assert [row[:1] + row[2:] for row in change.envelopes] == [[w.env_setu.pk, "reserved", 1_700_000]]
    assert change.cells
    figures_fold()
    assert EnvelopeFigure.objects.filter(envelope=w.env_setu).aggregate(r=Sum("reserved"))["r"] == (
        reserved_before + 1_700_000)
    live = summaries_snapshot()
    finance_summaries_rebuild()
    assert summaries_snapshot() == live
