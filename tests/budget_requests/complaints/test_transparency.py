"""The public transparency page shows, per kecamatan, how long residents' complaints took to be repaired."""
from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from budget_requests.services.summaries import figures_fold
from budget_requests.complaints.models import Complaint, ComplaintState as S

from .support import receive

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=WIB)


def test_time_from_complaint_to_repair_per_kecamatan(client, complaint_world, django_assert_max_num_queries):
    w = complaint_world
    # Kecamatan Setu (Babakan): reported Monday 2 March; repaired Thursday 5 (3 working days) and Monday 9
    # (5 working days); one still in process, one closed with a reason. Pamulang: one still in process.
    fast = receive(w.siaran, external_id="S-1", asset_code="CCTV-BBK-01", reported_at=at(2))
    slow = receive(w.siaran, external_id="S-2", asset_code="CCTV-BBK-02", reported_at=at(2))
    receive(w.lapor, external_id="L-1", asset_code="CCTV-BBK-01", reported_at=at(3))
    closed = receive(w.lapor, external_id="L-2", asset_code="CCTV-BBK-02", reported_at=at(4))
    receive(w.siaran, external_id="S-3", asset_code="WIFI-PB-01", category="wifi_publik", reported_at=at(4))
    # a complaint of another year does not count
    receive(w.siaran, external_id="S-OLD", asset_code="CCTV-BBK-01",
            reported_at=dt.datetime(2025, 12, 30, 9, tzinfo=WIB))
    # the end states as the triage and repair services leave them (their paths are tested on their own)
    Complaint.objects.filter(pk=fast.pk).update(state=S.REPAIRED, repaired_at=at(5, 14))
    Complaint.objects.filter(pk=slow.pk).update(state=S.REPAIRED, repaired_at=at(9, 10))
    Complaint.objects.filter(pk=closed.pk).update(state=S.CLOSED, close_reason="Bukan aset pemerintah")

    figures_fold()  # the worker's regular fold of the summaries' pending changes (the fixtures' allocations)
    with django_assert_max_num_queries(10):
        page = client.get("/publik/transparansi/", {"tahun": 2026})
    assert page.status_code == 200
    rows = {r.kecamatan: r for r in page.context["complaint_rows"]}
    setu, pamulang = rows["Setu"], rows["Pamulang"]
    assert (setu.received, setu.repaired, setu.open, setu.closed) == (4, 2, 1, 1)
    assert setu.median_days == 4  # (3 + 5) / 2 working days
    assert (pamulang.received, pamulang.repaired, pamulang.open, pamulang.median_days) == (1, 0, 1, None)
    html = page.content.decode()
    assert 'data-section="complaint-repairs"' in html
    assert "Bukan aset pemerintah" not in html and "S-1" not in html  # aggregates only, nothing of a complaint
