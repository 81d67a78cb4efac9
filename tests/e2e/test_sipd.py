"""The SIPD round trip in a real browser: the Kuasa BUD exports the SPM-LS batch of Kecamatan Setu, SIPD's SP2D
list is built from the downloaded file, a broken SP2D file is refused row by row (file kept, nothing written),
the right one is imported and every SP2D recorded on its payment. Screenshots in artifacts/e2e/sipd/."""
from __future__ import annotations

import pytest

from budget_requests.models import Asset, Envelope, RequestState
from budget_requests.services import (
    payment_spm_issue, payment_spp_submit, payment_spp_verify, request_approve, request_create, request_submit,
)
from budget_requests.sipd.models import Sp2dLine
from tests.budget_requests.sipd_support import sp2d_rows, sp2d_xlsx_from_export
from tests.e2e.conftest import no_horizontal_scroll
from workflows.acting import local_date
from workflows.models import OrgUnit, User

pytestmark = pytest.mark.e2e


def _spm_issued(tag: str, n: int) -> int:
    """An LS repair of a Babakan asset, charged to Kecamatan Setu's envelope, up to its signed SPM."""
    user = User.objects.get
    env = Envelope.objects.get(org_unit__code="kec-setu", fiscal_year=local_date().year)
    obj = request_create(actor=user(username="operator.babakan"), org_unit=OrgUnit.objects.get(code="kel-babakan"),
                         asset=Asset.objects.get(tag=tag), category="hardware", problem="Mati total.",
                         amount=3_000_000 + n, envelope=env, payment_route="LS",
                         quotes=[{"vendor_name": "CV Maju Jaya", "amount": 3_000_000 + n}])
    request_submit(request_obj=obj, actor=user(username="operator.babakan"))
    request_approve(request_obj=obj, actor=user(username="lurah.babakan"), justification="Perangkat berbeda.")
    payment_spp_submit(request_obj=obj, actor=user(username="bendahara.setu"), number=f"SPP-LS/E2E/{n}",
                       issued_on=local_date(), payee_name="CV Maju Jaya", payee_npwp="01.234.567.8-411.000",
                       bank_name="Bank BJB", bank_account="0012345678901", ppn=270_000, pph=40_000,
                       contract_number=f"SPK/E2E/{n}", contract_date=local_date(), evidence=f"Faktur {n}")
    payment_spp_verify(request_obj=obj, actor=user(username="ppk.setu"))
    payment_spm_issue(request_obj=obj, actor=user(username="sekcam.setu"), number=f"SPM-LS/E2E/{n}",
                      issued_on=local_date())
    return obj.pk


def test_sipd_round_trip(page, login, screenshot, tmp_path, settings):
    settings.BUDGET_DOCUMENTS_ON_EVENTS = False
    ids = [_spm_issued("BABAKAN-PRN-01", 1), _spm_issued("BABAKAN-SW-01", 2)]
    login(page, "kuasa.bud")
    page.goto("/keuangan/")
    page.locator("a[data-link=sipd]").click()
    page.wait_for_url("**/keuangan/sipd/")
    page.select_option("form[data-form=export] select[name=unit]", "kec-setu")
    screenshot(page, "sipd/01-exchange")
    page.locator("form[data-form=export] button[type=submit]").click()
    page.wait_for_url("**/keuangan/sipd/ekspor/*/")
    rows = page.locator("[data-table=export-rows] tbody tr")
    assert rows.count() >= 2 and rows.filter(has_text="SPM-LS/E2E/2").count() == 1  # with the demo's own LS SPMs
    screenshot(page, "sipd/02-export-batch")
    with page.expect_download() as info:
        page.locator("a[data-download=xlsx]").click()
    exported = open(info.value.path(), "rb").read()

    # A broken SP2D file: every bad row is named, the file is kept, nothing is written.
    bad = tmp_path / "sp2d-salah.csv"
    bad.write_text("Nomor SP2D;Tanggal SP2D;Nilai;Nomor SPM\nSP2D/1;31/02/2026;3.000.001;SPM-LS/E2E/1\n"
                   "SP2D/2;01/01/2026;tiga juta;\n", encoding="utf-8")
    page.goto("/keuangan/sipd/")
    page.set_input_files("form[data-form=import] input[type=file]", str(bad))
    page.locator("form[data-form=import] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    problems = page.locator("[data-import-problems] li").all_inner_texts()
    assert any(p.startswith("Baris 2, kolom Tanggal SP2D") for p in problems)
    assert any(p.startswith("Baris 3, kolom Nilai") for p in problems)
    assert any(p.startswith("Baris 3, kolom Nomor SPM") for p in problems)
    assert page.locator("[data-kept=file]").count() == 1
    assert Sp2dLine.objects.count() == 0
    screenshot(page, "sipd/03-bad-file")

    good = tmp_path / "sp2d-sipd.xlsx"
    good.write_bytes(sp2d_xlsx_from_export(exported, on=local_date()))
    page.set_input_files("form[data-form=import] input[type=file]", str(good))
    page.locator("form[data-form=import] button[type=submit]").click()
    page.wait_for_url("**/keuangan/sipd/impor/*/")
    assert page.locator("[data-count=matched] b").inner_text() == str(rows_exported := len(
        sp2d_rows(exported)))
    assert page.locator("button[data-action=record]").count() == 2
    screenshot(page, "sipd/04-reconciliation")
    for _ in ids:
        page.locator("button[data-action=record]").first.click()
        page.wait_for_load_state("networkidle")
    # a demo payment already paid under another SP2D number in Pamong: BPKAD closes it with a note
    while page.locator("tr[data-status=open] textarea[name=note]").count():
        page.locator("tr[data-status=open] textarea[name=note]").first.fill("Nomor SP2D dikoreksi di SIPD.")
        page.locator("tr[data-status=open] button[data-action=resolve]").first.click()
        page.wait_for_load_state("networkidle")
    assert page.locator("[data-count=open] b").inner_text() == "0"
    assert page.locator("tr[data-status=recorded]").count() == 2 <= rows_exported
    screenshot(page, "sipd/05-reconciled")
    from budget_requests.models import RepairRequest

    assert set(RepairRequest.objects.filter(pk__in=ids).values_list("state", flat=True)) == {RequestState.PAID}


def test_reconciliation_fits_390px(phone_page, login, screenshot):
    login(phone_page, "kuasa.bud")
    phone_page.goto("/keuangan/sipd/")
    phone_page.wait_for_load_state("networkidle")
    assert no_horizontal_scroll(phone_page)
    screenshot(phone_page, "sipd/exchange-390")
