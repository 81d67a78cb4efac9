"""The operator's pages: the complaint list and page, triage from the page (repair request prefilled, close,
route), the outbox listing pending and failed deliveries; scope and bounded queries."""
from __future__ import annotations

import pytest

from budget_requests.complaints.models import ComplaintState as S, ComplaintUpdate, DeliveryStatus
from budget_requests.models import RepairRequest
from workflows.models import User

from .support import fresh, receive

pytestmark = pytest.mark.django_db


def _quote_management(prefix="quotes", total=3):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "10"}


def test_operator_sees_the_prefilled_repair_form_and_raises_the_request(client, complaint_world):
    w = complaint_world
    c = receive(w.siaran, asset_code="CCTV-BBK-01", title="CCTV simpang mati")
    client.force_login(w.operator_babakan)
    page = client.get(f"/anggaran/pengaduan/{c.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-form="perbaikan"' in html and "CCTV-BBK-01" in html
    assert f'value="{w.cctv_babakan.pk}" selected' in html  # the matched asset is preselected
    assert "SIARAN SRN-1: CCTV simpang mati" in html  # problem text prefilled from the complaint

    form = {"org_unit": str(w.babakan.pk), "asset": str(w.cctv_babakan.pk), "category": "cctv",
            "problem": "Kamera mati", "amount": "2.500.000", "urgency": "normal", "payment_route": "UP",
            "envelope": str(w.env_setu.pk), "quotes-0-vendor_name": "CV Kamera", "quotes-0-amount": "2.500.000",
            "submit": "1", **_quote_management()}
    r = client.post(f"/anggaran/pengaduan/{c.pk}/aksi/perbaikan/", form)
    obj = RepairRequest.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/anggaran/permohonan/{obj.pk}/"
    assert fresh(c).state == S.ACCEPTED and fresh(c).repair_request_id == obj.pk and obj.amount == 2_500_000


def test_bad_amount_keeps_the_input_and_writes_nothing(client, complaint_world):
    w = complaint_world
    c = receive(w.siaran, asset_code="CCTV-BBK-01")
    client.force_login(w.operator_babakan)
    form = {"org_unit": str(w.babakan.pk), "asset": str(w.cctv_babakan.pk), "category": "cctv",
            "problem": "Kamera mati total di simpang", "amount": "dua juta", "urgency": "normal",
            "payment_route": "UP", "envelope": str(w.env_setu.pk), "quotes-0-vendor_name": "CV Kamera",
            "quotes-0-amount": "2000000", **_quote_management()}
    r = client.post(f"/anggaran/pengaduan/{c.pk}/aksi/perbaikan/", form)
    assert r.status_code == 400
    html = r.content.decode()
    assert "Kamera mati total di simpang" in html and 'value="dua juta"' in html and "bilangan bulat" in html
    assert not RepairRequest.objects.exists() and fresh(c).state == S.TRIAGE


def test_close_from_the_page_and_refusal_for_another_operator(client, complaint_world):
    w = complaint_world
    c = receive(w.siaran, asset_code="CCTV-BBK-01")
    client.force_login(w.operator_pb)
    assert client.get(f"/anggaran/pengaduan/{c.pk}/").status_code == 404  # another kelurahan's complaint
    client.force_login(w.operator_babakan)
    r = client.post(f"/anggaran/pengaduan/{c.pk}/aksi/tutup/", {"close-reason": ""})
    assert r.status_code == 400 and fresh(c).state == S.TRIAGE
    r = client.post(f"/anggaran/pengaduan/{c.pk}/aksi/tutup/", {"close-reason": "Sudah menyala lagi."})
    assert r.status_code == 302 and fresh(c).state == S.CLOSED
    page = client.get(f"/anggaran/pengaduan/{c.pk}/").content.decode()
    assert "Sudah menyala lagi." in page and 'data-form="tutup"' not in page


def test_diskominfo_routes_an_unmatched_complaint_by_asset_number(client, complaint_world):
    w = complaint_world
    c = receive(w.lapor, external_id="LPR-2", category="wifi_publik", location="lapangan")
    client.force_login(User.objects.get(username="teknisi.diskominfo"))
    page = client.get(f"/anggaran/pengaduan/{c.pk}/").content.decode()
    assert 'data-form="arahkan"' in page and 'data-form="perbaikan"' not in page  # no kelurahan yet
    r = client.post(f"/anggaran/pengaduan/{c.pk}/aksi/arahkan/", {"route-asset_tag": "wifi-pb-01"})
    assert r.status_code == 302 and fresh(c).org_unit == w.pondok_benda
    r = client.post(f"/anggaran/pengaduan/{c.pk}/aksi/arahkan/", {"route-asset_tag": "CCTV-BBK-01"})
    assert r.status_code == 403  # no longer the technician's to triage


def test_list_is_scoped_and_queries_do_not_grow(client, complaint_world, django_assert_max_num_queries):
    w = complaint_world
    receive(w.siaran, external_id="A-1", asset_code="CCTV-BBK-01")
    receive(w.siaran, external_id="A-2", asset_code="WIFI-PB-01", category="wifi_publik")
    client.force_login(w.operator_babakan)
    with django_assert_max_num_queries(24) as few:
        html = client.get("/anggaran/pengaduan/").content.decode()
    assert 'data-complaint="A-1"' in html and 'data-complaint="A-2"' not in html
    for i in range(12):
        receive(w.siaran, external_id=f"B-{i}", asset_code="CCTV-BBK-02")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/anggaran/pengaduan/").content.decode()
    assert html.count("data-complaint=") == 13


def test_outbox_page_lists_pending_and_failed_and_retry_is_audited(client, complaint_world, settings,
                                                                  django_assert_max_num_queries):
    from workflows.models import AuditEvent

    w = complaint_world
    from budget_requests.complaints.services import complaint_close

    for i in range(3):
        c = receive(w.siaran, external_id=f"C-{i}", asset_code="CCTV-BBK-01")
        complaint_close(complaint=c, actor=w.operator_babakan, reason=f"Alasan {i}")
    rows = list(ComplaintUpdate.objects.order_by("pk"))
    ComplaintUpdate.objects.filter(pk=rows[0].pk).update(status=DeliveryStatus.FAILED, attempts=8,
                                                         last_error="Connection refused")
    ComplaintUpdate.objects.filter(pk=rows[2].pk).update(status=DeliveryStatus.DELIVERED, delivered_at=rows[2].created_at)
    client.force_login(w.operator_babakan)
    with django_assert_max_num_queries(24):
        html = client.get("/anggaran/pengaduan/kotak-keluar/").content.decode()
    assert f'data-update="{rows[0].pk}" data-status="failed"' in html and "Connection refused" in html
    assert f'data-update="{rows[1].pk}" data-status="pending"' in html
    assert f'data-update="{rows[2].pk}"' not in html  # delivered rows only under "Terkirim"
    assert "alamat sumber belum diatur" in html

    r = client.post(f"/anggaran/pengaduan/kotak-keluar/{rows[0].pk}/kirim-ulang/")
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="complaint.update_retry").count() == 1
    client.force_login(w.operator_pb)
    assert client.post(f"/anggaran/pengaduan/kotak-keluar/{rows[0].pk}/kirim-ulang/").status_code == 404
    assert "C-0" not in client.get("/anggaran/pengaduan/kotak-keluar/").content.decode()


def test_inbox_entry_opens_the_complaint(client, complaint_world):
    from viewflow.workflow.models import Task

    from budget_requests.complaints.flows import ComplaintFlow

    w = complaint_world
    c = receive(w.siaran, asset_code="CCTV-BBK-01", title="CCTV simpang mati")
    task = Task.objects.get(process_id=c.process_id, flow_task=ComplaintFlow.triage)
    assert ComplaintFlow.instance.document_url(task) == f"/anggaran/pengaduan/{c.pk}/"
    client.force_login(w.operator_babakan)
    html = client.get("/workflow/queue/").content.decode()
    assert "SRN-1" in html and "CCTV simpang mati" in html
