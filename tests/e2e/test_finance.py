"""Finance dashboard in a real browser: BPKAD logs in, filters to one kecamatan, opens a drill-down and
downloads the Excel export. Screenshots in artifacts/e2e/finance/."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import no_horizontal_scroll

pytestmark = pytest.mark.e2e


def test_bpkad_filters_drills_down_and_downloads_excel(page, login, screenshot):
    login(page, "kepala.bpkad")
    page.goto("/keuangan/")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-finance-dashboard]").is_visible()
    assert page.locator("svg.pamong-chart").count() >= 2
    screenshot(page, "finance/dashboard-city")

    page.select_option("select[name=unit]", "kec-setu")
    page.locator("[data-apply-filter]").click()
    page.wait_for_url(re.compile(r"unit=kec-setu"))
    page.wait_for_load_state("networkidle")
    envelope_units = page.locator("[data-table=envelopes] tbody tr td:first-child").all_inner_texts()
    assert envelope_units and all("Setu" in u or "Babakan" in u or "Bakti" in u or "Kademangan" in u
                                  or "Keranggan" in u or "Muncul" in u for u in envelope_units)
    screenshot(page, "finance/dashboard")

    # drill down from the number of requests in one state
    link = page.locator("[data-table=states] tbody a").filter(has_not_text=re.compile(r"^0$")).first
    expected = int(link.inner_text())
    link.click()
    page.wait_for_url(re.compile(r"/keuangan/rincian/\?"))
    page.wait_for_load_state("networkidle")
    assert int(page.locator("[data-total]").inner_text()) == expected
    assert "unit=kec-setu" in page.url
    screenshot(page, "finance/drilldown")

    with page.expect_download() as info:
        page.locator("a[data-export=xlsx]").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    ws = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    assert ws.cell(row=2, column=1).value == "Nomor"
    assert ws.max_row == expected + 2


def test_dashboard_fits_390px(phone_page, login, screenshot):
    login(phone_page, "kepala.bpkad")
    phone_page.goto("/keuangan/")
    phone_page.wait_for_load_state("networkidle")
    assert no_horizontal_scroll(phone_page)
    screenshot(phone_page, "finance/dashboard-390")


def test_public_transparency_page_without_login(phone_page, screenshot):
    phone_page.goto("/publik/transparansi/")
    phone_page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in phone_page.url
    assert phone_page.locator("[data-table=public] tbody tr").count() == 7  # the 7 kecamatan of Tangsel
    assert no_horizontal_scroll(phone_page)
    screenshot(phone_page, "finance/transparansi-390")
