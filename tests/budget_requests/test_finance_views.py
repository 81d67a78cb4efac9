"""Finance pages, exports and API: scoping, Excel cells, CSV, public page, PDF report, what-if pages."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budget_requests.finance.models import MonthlyReport, Scenario
from tests.budget_requests.test_finance_figures import fixed, make  # noqa: F401 - fixture
from workflows.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def client_for(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_dashboard_renders_figures_with_drilldown_links_and_charts(client, fixed):
    c = client_for(client, "kepala.bpkad")
    r = c.get(reverse("finance:dashboard"), {"year": 2026})
    assert r.status_code == 200
    html = r.content.decode()
    assert "<svg" in html and "Rp486.000.000" in html
    assert reverse("finance:drilldown") + "?year=2026" in html
    assert "bucket=3-5" in html and "route=lurah" in html


def test_dashboard_filters_to_one_kecamatan(client, fixed):
    c = client_for(client, "kepala.bpkad")
    r = c.get(reverse("finance:dashboard"), {"year": 2026, "unit": "kec-pamulang"})
    assert r.context["f"].unit.code == "kec-pamulang"
    assert [e.id for e, _u in r.context["envelopes"]] == [fixed.env_pamulang.pk]


def test_lurah_cannot_see_other_kelurahan_through_page(client, fixed):
    c = client_for(client, "lurah.babakan")
    r = c.get(reverse("finance:drilldown"), {"year": 2026})
    assert r.status_code == 200
    numbers = {x.number for x in r.context["page"]}
    assert fixed.other.number not in numbers and len(numbers) == 15
    # asking for another kelurahan falls back to the own scope
    r = c.get(reverse("finance:drilldown"), {"year": 2026, "unit": "kel-pondok-benda"})
    assert fixed.other.number not in {x.number for x in r.context["page"]}
    r = c.get(reverse("finance:dashboard"), {"year": 2026, "unit": "kel-pondok-benda"})
    assert r.context["f"].unit is None
    assert "Pondok Benda" not in r.content.decode().split('name="unit"')[1].split("</select>")[0]


def test_lurah_cannot_see_other_kelurahan_through_export(client, fixed):
    c = client_for(client, "lurah.babakan")
    r = c.get(reverse("finance:export", args=["rincian", "csv"]), {"year": 2026, "unit": "kel-pondok-benda"})
    body = b"".join(r.streaming_content).decode("utf-8-sig")
    assert fixed.other.number not in body
    assert body.count("\n") == 16  # header + 15 Babakan requests
    assert AuditEvent.objects.filter(action="finance.exported").exists()


def test_lurah_cannot_see_other_kelurahan_through_api(client, fixed):
    c = client_for(client, "lurah.babakan")
    r = c.get("/api/v1/finance/ageing/", {"year": 2026})
    assert r.status_code == 200
    assert sum(row["count"] for row in r.json()) == 6  # Pondok Benda's open request is not counted
    r = c.get("/api/v1/finance/decision-times/", {"year": 2026})
    total = next(row for row in r.json() if row["route"] == "all")
    assert total["count"] == 9
    bpkad = client_for(client, "kepala.bpkad")
    total = next(row for row in bpkad.get("/api/v1/finance/decision-times/", {"year": 2026}).json()
                 if row["route"] == "all")
    assert total["count"] == 10


def test_api_summary_and_red_flags_and_schema(client, fixed):
    c = client_for(client, "kepala.bpkad")
    data = c.get("/api/v1/finance/summary/", {"year": 2026, "unit": "kec-setu"}).json()
    assert data["totals"]["room"] == 486_000_000
    assert data["envelopes"][0]["absorption_committed"] == "2.8"
    assert c.get("/api/v1/finance/red-flags/", {"year": 2026}).status_code == 200
    schema = c.get("/api/schema/").content.decode()
    for p in ("/api/v1/finance/summary/", "/api/v1/finance/ageing/", "/api/v1/finance/decision-times/",
              "/api/v1/finance/red-flags/"):
        assert p in schema


def test_outsider_is_refused_with_audit(client, fixed):
    c = client_for(client, "operator.babakan")
    r = c.get(reverse("finance:dashboard"))
    assert r.status_code == 403 and "tidak berwenang" in r.content.decode()
    assert c.get("/api/v1/finance/summary/").status_code == 403
    assert AuditEvent.objects.filter(action="finance.denied").count() == 2


def test_excel_export_cells(client, fixed):
    c = client_for(client, "kepala.bpkad")
    r = c.get(reverse("finance:export", args=["pagu", "xlsx"]), {"year": 2026, "unit": "kec-setu"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    ws = wb.active
    assert [c.value for c in ws[2]][:7] == ["Unit", "Kode rekening", "Nama pagu", "Pagu (Rp)", "Terikat (Rp)",
                                           "Terbayar (Rp)", "Sisa pagu (Rp)"]
    row = [c for c in ws[3]]
    assert row[3].value == 500_000_000 and row[3].number_format == "#,##0"
    # opens cleanly: the filter in the title, header frozen and filterable, amounts in wide enough columns
    assert ws["A1"].value == "Pagu dan penyerapan — Tahun anggaran 2026 · Unit: Kecamatan Setu"
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == f"A2:I{ws.max_row}"
    assert ws.column_dimensions["D"].width >= 15 and ws.column_dimensions["A"].width >= 20
    assert row[6].value == 486_000_000
    assert row[7].value == pytest.approx(0.8) and row[8].value == pytest.approx(2.8)
    # drill-down export: dates are real dates
    r = c.get(reverse("finance:export", args=["rincian", "xlsx"]), {"year": 2026, "unit": "kel-babakan",
                                                                    "route": "lurah", "dt_lo": 1, "dt_hi": 1})
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    assert ws.max_row == 3
    sub = ws.cell(row=3, column=7)
    assert sub.value.date() == dt.date(2026, 3, 17) and sub.number_format == "DD/MM/YYYY"
    assert ws.cell(row=3, column=8).value.date() == dt.date(2026, 3, 25)
    assert ws.cell(row=3, column=5).value == 1_000_000


def test_every_table_exports_in_both_formats(client, fixed):
    c = client_for(client, "inspektur")
    for key in ("pagu", "status", "umur", "waktu-putusan", "tren", "tanda-merah", "rincian"):
        for fmt in ("xlsx", "csv"):
            r = c.get(reverse("finance:export", args=[key, fmt]), {"year": 2026})
            assert r.status_code == 200, (key, fmt)
            assert len(b"".join(r.streaming_content)) > 20


def test_public_transparency_page_without_login(client, fixed, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        r = client.get(reverse("finance:transparency"), {"tahun": 2026})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Setu" in html and "Pamulang" in html
    assert fixed.other.number not in html and "operator" not in html.lower()
    rows = {row.kecamatan: row for row in r.context["rows"]}
    assert rows["Setu"].count == 15 and rows["Setu"].decided == 9 and rows["Setu"].decided_locally == 7
    assert rows["Pamulang"].count == 2


def test_monthly_report_pdf_in_background(client, fixed, settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    c = client_for(client, "kepala.bpkad")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("finance:reports"), {"unit": "kec-setu", "year": 2026, "month": 3})
    report = MonthlyReport.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("finance:report_detail", args=[report.pk])
    page = c.get(r["Location"])
    doc = page.context["doc"]
    assert doc.status == "ready"
    assert c.get(reverse("document_download", args=[doc.pk])).status_code == 200
    assert 'data-download' in page.content.decode()
    # while a report is still waiting there is no download link yet, only its progress
    from workflows.models import GeneratedDocument

    GeneratedDocument.objects.filter(pk=doc.pk).update(status="pending")
    waiting = c.get(r["Location"]).content.decode()
    assert reverse("document_download", args=[doc.pk]) not in waiting
    assert "data-doc-wait" in waiting and "<progress" in waiting
    GeneratedDocument.objects.filter(pk=doc.pk).update(status="ready")
    # the lurah of another kecamatan may not download it
    other = client_for(client.__class__(), "lurah-kel-pondok-benda")
    assert other.get(reverse("document_download", args=[doc.pk])).status_code == 403


def test_whatif_pages_copy_edit_replay(client, fixed):
    c = client_for(client, "kepala.bpkad")
    r = c.post(reverse("finance:scenarios"), {"name": "Lurah 10 juta", "year": 2026})
    scenario = Scenario.objects.get()
    assert r.status_code == 302 and len(scenario.rules) == 4
    lurah_i = next(i for i, x in enumerate(scenario.rules) if x["position_kind"] == "lurah")
    page = c.get(reverse("finance:scenario_edit", args=[scenario.pk])).content.decode()
    assert f'name="max_{lurah_i}" value="5.000.000"' in page  # formatted, and read back as typed
    assert "Kepala Diskominfo" in page and "Verifikasi teknis" in page
    assert "Camat selaku PA" in page and "Lurah selaku KPA" in page and "Kepala Perangkat Daerah selaku PA" in page
    assert "kepala_diskominfo" not in page.replace('value="kepala_diskominfo"', "")
    assert "technical_verification" not in page
    data = {"name": "Lurah 10 juta"}
    for i, rule in enumerate(scenario.rules):
        data[f"max_{i}"] = str(rule["max_single_amount"])
        if rule["endorses_above_limit"]:
            data[f"endorses_{i}"] = "on"
    data[f"max_{lurah_i}"] = "abc"
    r = c.post(reverse("finance:scenario_edit", args=[scenario.pk]), data)
    assert r.status_code == 200 and "bilangan bulat" in r.content.decode() and 'value="abc"' in r.content.decode()
    data[f"max_{lurah_i}"] = "10.000.000"
    r = c.post(reverse("finance:scenario_edit", args=[scenario.pk]), data)
    assert r.status_code == 302
    assert Scenario.objects.get().rules[lurah_i]["max_single_amount"] == 10_000_000
    r = c.get(reverse("finance:scenario_run", args=[scenario.pk]), {"year": 2026})
    names = [x.scenario for x in r.context["results"]]
    assert names[1] == "Lurah 10 juta" and len(names) == 3
    current, edited, central = r.context["results"]
    assert edited.decided_locally >= current.decided_locally > central.decided_locally == 0
    # a lurah may not run scenarios
    assert client_for(client.__class__(), "lurah.babakan").get(reverse("finance:scenarios")).status_code == 403


def test_whatif_refuses_too_large_a_period(client, fixed, settings):
    settings.BUDGET_WHATIF_MAX_REQUESTS = 5
    c = client_for(client, "kepala.bpkad")
    c.post(reverse("finance:scenarios"), {"name": "Besar", "year": 2026})
    r = c.get(reverse("finance:scenario_run", args=[Scenario.objects.get().pk]), {"year": 2026})
    assert r.status_code == 200 and "data-too-many" in r.content.decode() and r.context["results"] == []


def test_exports_never_turn_user_text_into_formulas(client, fixed):
    from budget_requests.models import Asset

    Asset.objects.filter(pk=fixed.pc_babakan.pk).update(tag="=HYPERLINK(\"http://x\")")
    c = client_for(client, "kepala.bpkad")
    r = c.get(reverse("finance:export", args=["rincian", "xlsx"]), {"year": 2026, "unit": "kel-babakan"})
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    tags = {ws.cell(row=i, column=3).value for i in range(3, ws.max_row + 1)}
    assert tags == {"'=HYPERLINK(\"http://x\")"}
    r = c.get(reverse("finance:export", args=["rincian", "csv"]), {"year": 2026, "unit": "kel-babakan"})
    assert ';"\'=HYPERLINK' in b"".join(r.streaming_content).decode("utf-8-sig")


def test_whatif_page_replays_the_synthetic_year(client, fixed):
    c = client_for(client, "kepala.bpkad")
    c.post(reverse("finance:scenarios"), {"name": "Salinan", "year": 2026})
    r = c.get(reverse("finance:scenario_run", args=[Scenario.objects.get().pk]),
              {"year": 2026, "sintetis": "1", "seed": "1"})
    current, copy, central = r.context["results"]
    assert current.requests > 1500 and current.as_json()["decided_locally_share"] == copy.as_json()["decided_locally_share"]
    assert central.decided_locally == 0


def test_monthly_report_has_letterhead_signature_and_kecamatan_subtotals(fixed):
    from budget_requests.finance.reports import envelope_groups, render_monthly_report
    from budget_requests.finance.selectors import EnvelopeRow

    def row(path, allocated):
        return EnvelopeRow(id=1, unit=path.rsplit("/", 1)[-1], unit_code=path.rsplit("/", 1)[-1], account_code="5.1",
                           name="", allocated=allocated, reserved=0, paid=0, unit_path=path)

    rows = [row("kota/kec-ciputat", 10), row("kota/kec-ciputat/kel-ciputat", 5), row("kota/kec-ciputat-timur", 7),
            row("kota/kec-ciputat-timur/kel-rempoa", 3), row("kota/bpkad", 100)]
    groups = envelope_groups(rows)
    assert [(g.unit_path if g else None, [r.unit for r in members]) for g, members in groups] == [
        ("kota/kec-ciputat", ["kec-ciputat", "kel-ciputat"]),
        ("kota/kec-ciputat-timur", ["kec-ciputat-timur", "kel-rempoa"]),
        ("kota/bpkad", ["bpkad"])]
    assert groups[0][0].allocated == 15 and groups[1][0].allocated == 10
    report = MonthlyReport.objects.create(org_unit=None, year=2026, month=3)
    html = render_monthly_report(report)
    assert 'class="kop"' in html and "BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH" in html
    assert "data-signature" in html and "KEPALA BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH," in html
    assert "break-inside: avoid" in html
