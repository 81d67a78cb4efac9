"""Decision letters, SPP, the forwarding letter, the monthly report and the request page take the region from
``settings.PAMONG_REGION``: rendered under another region's settings they never name Tangerang Selatan or Banten."""
from __future__ import annotations

import pytest
from django.urls import reverse

from budget_requests.finance.models import MonthlyReport
from budget_requests.finance.reports import render_monthly_report
from budget_requests.pdf import KIND_DECISION, KIND_FORWARDING, KIND_SPP
from budget_requests.services import payment_spp_submit, request_approve
from tests.budget_requests.support import new_request
from tests.budget_requests.test_pdf import pdf_text
from workflows.acting import local_date
from workflows.models import Notification
from workflows.services.documents import document_latest

pytestmark = pytest.mark.django_db

OTHER = {"kind": "kabupaten", "name": "Bandung", "province": "Jawa Barat", "capital": "Soreang",
         "province_capital": "Bandung", "formation_law": ""}
TANGSEL_WORDS = ("Tangerang", "TANGERANG", "Banten", "BANTEN", "Serang")


@pytest.fixture(autouse=True)
def _other_region(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PAMONG_REGION = OTHER


def _clean(text: str) -> None:
    for word in TANGSEL_WORDS:
        assert word not in text, word


def test_decision_letter_and_spp_name_the_configured_region(repair_world, django_capture_on_commit_callbacks):
    w = repair_world
    r = new_request(w, amount=1_500_000, payment_route="LS")
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(request_obj=r, actor=w.lurah_babakan)
        payment_spp_submit(request_obj=r, actor=w.bendahara_setu, number="SPP-LS/0008", issued_on=local_date(),
                           payee_name="CV Maju Jaya", payee_npwp="01.234.567.8-411.000", bank_name="Bank BJB",
                           bank_account="0012345678", pph=30_000, pph_article="PPh 23")
    decision = pdf_text(document_latest(obj=r, kind=KIND_DECISION))
    spp = pdf_text(document_latest(obj=r, kind=KIND_SPP))
    for text in (decision, spp):
        _clean(text)
        assert "PEMERINTAH KABUPATEN BANDUNG" in text and "Soreang," in text


def test_forwarding_letter_goes_to_the_configured_province(repair_world, django_capture_on_commit_callbacks,
                                                           client):
    w = repair_world
    with django_capture_on_commit_callbacks(execute=True):
        r = new_request(w, amount=3_000_000, asset=w.cctv_province)
    text = pdf_text(document_latest(obj=r, kind=KIND_FORWARDING))
    _clean(text)
    assert "Gubernur Jawa Barat" in text and "di Bandung" in text
    assert "aset milik Pemerintah Provinsi Jawa Barat" in text
    r.refresh_from_db()
    assert r.status_note.endswith("Provinsi Jawa Barat.")
    client.force_login(w.lurah_babakan)
    body = client.get(reverse("budget_requests:request_detail", args=[r.pk])).content.decode()
    assert "Menunggu Pemerintah Provinsi Jawa Barat" in body
    _clean(body)
    notes = " ".join(Notification.objects.filter(object_id=str(r.pk)).values_list("body", flat=True))
    _clean(notes)


def test_city_wide_monthly_report_names_the_configured_region():
    html = render_monthly_report(MonthlyReport(org_unit=None, year=2026, month=3))
    _clean(html)
    assert "Kabupaten Bandung" in html or "KABUPATEN BANDUNG" in html
