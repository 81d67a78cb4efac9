"""The finance summaries on PostgreSQL: a varied history and concurrent approvals leave the live summary rows
equal to a rebuild from scratch, and concurrent transitions and folds that meet on the same summary cells
neither deadlock nor lose nor double an increment."""
import pytest
from django.db import connection

from budget_requests.finance import selectors as sel
from budget_requests.finance.models import FigureChange
from budget_requests.models import RepairRequest, RequestState
from budget_requests.services import request_approve
from budget_requests.services.summaries import figures_fold, finance_summaries_rebuild, summaries_snapshot
from tests.budget_requests.summary_history import varied_history
from tests.services.parallel import run_parallel
from workflows.acting import local_date
from workflows.models import User

pytestmark = pytest.mark.services
S = RequestState
PER_UNIT = 8
FOLDERS = 4


def _postgres() -> None:
    assert connection.vendor == "postgresql", "this test is about PostgreSQL; run make test-services"


@pytest.mark.django_db(transaction=True)
def test_varied_history_then_concurrent_approvals_equal_a_rebuild(repair_world):
    _postgres()
    from tests.budget_requests.support import new_request

    w = repair_world
    varied_history(w)
    # Two kelurahan of two kecamatan approve at the same instant: every approval meets the others on the
    # city's summary cells (same month, category and state), and those of one kelurahan on its own.
    pending = [(new_request(w, amount=1_000_000 + i, vendor=f"CV Serentak {i}").pk, w.lurah_babakan.pk)
               for i in range(PER_UNIT)]
    pending += [(new_request(w, amount=1_000_000 + i, unit=w.pondok_benda, vendor=f"CV Serentak {i}").pk,
                 w.lurah_pb.pk) for i in range(PER_UNIT)]

    folds: list[int] = []

    def approve_or_fold(i: int) -> None:
        if i >= len(pending):
            # Folds race the approvals and each other: small batches, several rounds, a change taken once.
            for _round in range(5):
                folds.append(figures_fold(batch=3))
            return
        pk, actor_id = pending[i]
        request_approve(request_obj=RepairRequest.objects.get(pk=pk), actor=User.objects.get(pk=actor_id),
                        justification="Uji serentak: kerusakan berbeda.")

    errors = run_parallel(approve_or_fold, len(pending) + FOLDERS)
    assert errors == []
    assert RepairRequest.objects.filter(pk__in=[pk for pk, _a in pending], state=S.APPROVED).count() == len(pending)

    f = sel.FinanceFilter(year=local_date().year)
    bpkad = User.objects.get(username="kepala.bpkad")
    live_rows = summaries_snapshot()  # folds what the racing folds left
    assert not FigureChange.objects.exists()
    live_states = {s.state: (s.count, s.amount) for s in sel.requests_by_state(bpkad, f)}
    live_times = [(t.route, t.count, dict(t.values)) for t in sel.decision_times(bpkad, f)]

    finance_summaries_rebuild()

    assert summaries_snapshot() == live_rows
    assert {s.state: (s.count, s.amount) for s in sel.requests_by_state(bpkad, f)} == live_states
    assert [(t.route, t.count, dict(t.values)) for t in sel.decision_times(bpkad, f)] == live_times
    approved = RepairRequest.objects.filter(state=S.APPROVED, submitted_at__year=f.year).count()
    assert live_states[S.APPROVED][0] == approved
