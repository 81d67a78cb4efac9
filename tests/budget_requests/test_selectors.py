"""Reads behind the pages: time at each step from the audit trail, scoping of envelopes, the summary line."""
import pytest

from budget_requests import selectors
from budget_requests.models import RepairRequest
from budget_requests.services import request_approve, request_return, request_submit
from tests.budget_requests.support import new_request

pytestmark = pytest.mark.django_db


def test_step_times_follow_return_and_resubmission(repair_world):
    w = repair_world
    r = new_request(w, amount=6_000_000)  # camat (Plh today) decides
    request_return(request_obj=r, actor=w.plh_camat_setu, reason="Tambahkan foto.")
    request_submit(request_obj=r, actor=w.operator_babakan)
    request_approve(request_obj=r, actor=w.plh_camat_setu)
    steps = selectors.step_times(RepairRequest.objects.get(pk=r.pk))
    assert [s.label for s in steps] == ["Penyusunan draf", "Langkah 1: Camat Setu", "Perbaikan oleh pemohon",
                                        "Langkah 1: Camat Setu", "Menunggu pembayaran"]
    assert [s.outcome for s in steps[:4]] == ["Diajukan", "Dikembalikan", "Diajukan ulang", "Disetujui"]
    assert "Plh. Camat Setu" in steps[1].actor
    assert steps[-1].ongoing and not steps[0].ongoing
    assert all(s.working_hours >= 0 for s in steps)


def test_summary_and_envelope_scope(repair_world):
    w = repair_world
    r = new_request(w, amount=4_500_000)
    assert selectors.request_summary(r) == f"{r.number} · TI-BBK-001 · Kelurahan Babakan · Rp4.500.000"
    lurah_envelopes = set(selectors.envelopes_visible(w.lurah_babakan).values_list("pk", flat=True))
    assert lurah_envelopes == {w.env_setu.pk}  # the kecamatan envelope his repairs are charged to
    assert set(selectors.envelopes_visible(w.kepala_bpkad).values_list("pk", flat=True)) >= {
        w.env_setu.pk, w.env_pamulang.pk}
    assert not selectors.may_view_request(w.lurah_pb, r)
    assert selectors.may_view_request(w.kepala_bpkad, r)
