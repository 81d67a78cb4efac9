"""PDF documents of a request: one real WeasyPrint render per kind, checked by its text; download permission."""
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from budget_requests.pdf import KIND_DECISION, KIND_FORWARDING, KIND_SPP
from budget_requests.services import payment_spp_submit, request_approve
from workflows.acting import local_date
from tests.budget_requests.support import new_request
from workflows.services.documents import document_latest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def pdf_text(doc) -> str:
    doc.refresh_from_db()
    assert doc.status == "ready", doc.error
    with doc.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_approval_renders_decision_letter_and_spp_with_terbilang(repair_world, django_capture_on_commit_callbacks,
                                                                 client):
    w = repair_world
    r = new_request(w, amount=1_500_000, payment_route="LS")
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(request_obj=r, actor=w.lurah_babakan)
    decision = document_latest(obj=r, kind=KIND_DECISION)
    text = pdf_text(decision)
    assert "DISETUJUI" in text and r.number in text and "Lurah Babakan" in text
    assert "Rp1.500.000,00" in text
    assert document_latest(obj=r, kind=KIND_SPP) is None  # the SPP exists once the bendahara prepares it
    with django_capture_on_commit_callbacks(execute=True):
        payment_spp_submit(request_obj=r, actor=w.bendahara_setu, number="SPP-LS/0007", issued_on=local_date(),
                           payee_name="CV Maju Jaya", payee_npwp="01.234.567.8-411.000", bank_name="Bank BJB",
                           bank_account="0012345678", pph=30_000, pph_article="PPh 23")
    spp = pdf_text(document_latest(obj=r, kind=KIND_SPP))
    assert "SURAT PERMINTAAN PEMBAYARAN LANGSUNG" in spp and "Rp1.500.000,00" in spp
    assert "Satu juta lima ratus ribu rupiah" in spp and "SPP-LS/0007" in spp
    assert "BENDAHARA PENGELUARAN KECAMATAN SETU" in spp and "Rp1.470.000,00" in spp  # signer; net of PPh

    # the request page lists them with a download link; another kelurahan's lurah may not download
    client.force_login(w.lurah_babakan)
    body = client.get(reverse("budget_requests:request_detail", args=[r.pk])).content.decode()
    assert f'data-document="{KIND_DECISION}"' in body and reverse("document_download", args=[decision.pk]) in body
    assert client.get(reverse("document_download", args=[decision.pk])).status_code == 200
    client.force_login(w.lurah_pb)
    assert client.get(reverse("document_download", args=[decision.pk])).status_code == 403


def test_province_asset_gets_a_forwarding_letter(repair_world, django_capture_on_commit_callbacks):
    w = repair_world
    with django_capture_on_commit_callbacks(execute=True):
        r = new_request(w, amount=3_000_000, asset=w.cctv_province)
    text = pdf_text(document_latest(obj=r, kind=KIND_FORWARDING))
    assert "Gubernur Banten" in text and "Surat Penerusan" in text and "CCTV-PROV-001" in text
    assert "aset milik Pemerintah Provinsi Banten" in text
