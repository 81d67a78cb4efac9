"""SIPD exchange pages (/keuangan/sipd/): BPKAD only (403 otherwise, audited), export and download, an SP2D file
with bad rows shown again with every problem and the file kept (nothing written), the reconciliation page with
its actions, 404 for a line outside the import, bounded queries."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from budget_requests.models import RequestState
from budget_requests.sipd.exports import sipd_export_create
from budget_requests.sipd.models import Outcome, Sp2dImport, Sp2dLine, SipdExport
from tests.budget_requests.test_sipd import csv_upload, sp2d_file_from_export, spm_issued
from workflows.acting import local_date
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_documents(settings):
    settings.BUDGET_DOCUMENTS_ON_EVENTS = False


def test_only_bpkad_finance_officers_and_the_refusal_is_audited(client, repair_world):
    w = repair_world
    url = reverse("finance:sipd")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(w.bendahara_setu)
    assert client.get(url).status_code == 403
    assert client.post(reverse("finance:sipd_export_create"), {"only_new": "on"}).status_code == 403
    assert SipdExport.objects.count() == 0
    assert AuditEvent.objects.filter(action="sipd.denied").count() == 2
    for user in (w.kuasa_bud, w.kepala_bpkad):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_export_page_and_downloads(client, repair_world):
    w = repair_world
    spm_issued(w, "1")
    client.force_login(w.kuasa_bud)
    response = client.post(reverse("finance:sipd_export_create"), {"only_new": "on", "unit": "kec-setu"})
    batch = SipdExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("finance:sipd_export", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "SPM-LS/1" in page and "7.01.01.2.09.0006" in page
    xlsx = client.get(reverse("finance:sipd_export_download", args=[batch.pk, "xlsx"]))
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.max_row == 2 and ws.cell(2, 3).value == "SPM-LS/1"
    csv_body = client.get(reverse("finance:sipd_export_download", args=[batch.pk, "csv"])).content.decode("utf-8-sig")
    assert csv_body.splitlines()[1].split(";")[2] == "SPM-LS/1"
    assert AuditEvent.objects.filter(action="sipd.export_downloaded", object_id=str(batch.pk)).count() == 2
    again = client.post(reverse("finance:sipd_export_create"), {"only_new": "on"})
    assert again.status_code == 400 and "Tidak ada SPM-LS" in again.content.decode()


def test_bad_file_shows_every_row_problem_keeps_the_file_and_writes_nothing(client, repair_world):
    w = repair_world
    spm_issued(w, "1")
    client.force_login(w.kuasa_bud)
    upload = csv_upload([["SP2D/1", "32/13/2026", "3.000.000", "SPM-LS/1", "", "", ""],
                         ["SP2D/2", local_date().strftime("%d/%m/%Y"), "-5", "", "", "", ""]])
    response = client.post(reverse("finance:sipd_import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Baris 2, kolom Tanggal SP2D" in body and "Baris 3, kolom Nilai" in body and "Baris 3, kolom Nomor SPM" in body
    assert 'name="file__kept"' in body and "sp2d.csv" in body
    assert (Sp2dImport.objects.count(), Sp2dLine.objects.count()) == (0, 0)


def test_reconciliation_page_and_actions(client, repair_world, django_assert_max_num_queries):
    w = repair_world
    r1, r2 = spm_issued(w, "1"), spm_issued(w, "2")
    batch = sipd_export_create(actor=w.kuasa_bud)
    client.force_login(w.kuasa_bud)
    response = client.post(reverse("finance:sipd_import"), {"file": sp2d_file_from_export(batch)})
    imported = Sp2dImport.objects.get()
    assert response.status_code == 302
    with django_assert_max_num_queries(25):
        page = client.get(reverse("finance:sipd_reconciliation", args=[imported.pk]))
    assert page.status_code == 200 and page.content.decode().count('data-outcome="matched"') == 2
    # the same file again: the same reconciliation, nothing doubled
    again = client.post(reverse("finance:sipd_import"), {"file": sp2d_file_from_export(batch)})
    assert again["Location"] == reverse("finance:sipd_reconciliation", args=[imported.pk])
    assert Sp2dLine.objects.count() == 2

    line = imported.lines.get(request=r1)
    client.force_login(w.kepala_bpkad)  # a BPKAD officer, but not the Kuasa BUD who issues SP2D
    url = reverse("finance:sipd_line_action", args=[imported.pk, line.pk, "catat"])
    assert client.post(url).status_code == 403
    client.force_login(w.kuasa_bud)
    assert client.post(url).status_code == 302
    r1.refresh_from_db()
    assert r1.state == RequestState.PAID
    other = Sp2dImport.objects.create(created_by=w.kuasa_bud, file_name="x", content_sha256="0" * 64)
    outside = reverse("finance:sipd_line_action", args=[other.pk, imported.lines.get(request=r2).pk, "selesai"])
    assert client.post(outside, {"note": "x"}).status_code == 404
    resolve = reverse("finance:sipd_line_action", args=[imported.pk, imported.lines.get(request=r2).pk, "selesai"])
    assert client.post(resolve, {"note": ""}).status_code == 400
    assert client.post(resolve, {"note": "Dicatat manual oleh BUD."}).status_code == 302
    assert not imported.lines.filter(status="open").exists()
    assert set(imported.lines.values_list("outcome", flat=True)) == {Outcome.MATCHED}
