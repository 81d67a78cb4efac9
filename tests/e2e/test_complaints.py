"""A resident's complaint becomes a repair in a real browser, on a 390 px phone: the Babakan operator finds the
SIARAN complaint about the park's CCTV in the queue, opens it, raises the repair request from the prefilled form
(a bad amount first: Indonesian message, input kept) and lands on the request's page; the outbox lists the
update waiting for SIARAN. Screenshots in ``artifacts/e2e/complaints/``."""
import re

import pytest

from tests.e2e.conftest import ARTIFACTS, no_horizontal_scroll

pytestmark = pytest.mark.e2e


def shot(screenshot, page, name):
    (ARTIFACTS / "complaints").mkdir(parents=True, exist_ok=True)
    return screenshot(page, f"complaints/{name}")


def test_operator_turns_a_complaint_into_a_repair_request_on_a_phone(phone_page, login, screenshot):
    from budget_requests.complaints.models import Complaint

    page = phone_page
    login(page, "operator.babakan")
    page.goto("/workflow/queue/")
    assert "SRN-2026-000101" in page.content()
    page.goto("/anggaran/pengaduan/")
    page.locator("[data-complaint='SRN-2026-000101'] a").first.click()
    page.wait_for_url(re.compile(r"/anggaran/pengaduan/\d+/$"))
    assert "CCTV-BBK-01" in page.locator("[data-asset]").inner_text()
    assert no_horizontal_scroll(page)
    shot(screenshot, page, "01-complaint-390")

    form = page.locator("form[data-form=perbaikan]")
    assert "SRN-2026-000101" in form.locator("textarea[name=problem]").input_value()
    envelope = form.locator("select[name=envelope] option", has_text="Kecamatan Setu").first.get_attribute("value")
    form.locator("select[name=envelope]").select_option(envelope)
    form.locator("input[name=amount]").fill("dua juta")
    form.locator("input[name=quotes-0-vendor_name]").fill("CV Kamera Terang")
    form.locator("input[name=quotes-0-amount]").fill("2.250.000")
    form.locator("button[name=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "bilangan bulat" in page.locator("[data-errors=amount]").inner_text()
    assert page.locator("input[name=quotes-0-vendor_name]").input_value() == "CV Kamera Terang"
    shot(screenshot, page, "02-amount-error-390")

    page.locator("form[data-form=perbaikan] input[name=amount]").fill("2.250.000")
    page.locator("form[data-form=perbaikan] button[name=submit]").click()
    page.wait_for_url(re.compile(r"/anggaran/permohonan/\d+/$"))
    complaint = Complaint.objects.select_related("repair_request").get(external_id="SRN-2026-000101")
    assert complaint.state == "accepted" and complaint.repair_request.amount == 2_250_000
    assert complaint.repair_request.state == "under_review"
    shot(screenshot, page, "03-request-390")

    page.goto("/anggaran/pengaduan/kotak-keluar/")
    assert page.locator("tr[data-status=pending]").count() >= 1
    assert no_horizontal_scroll(page)
    shot(screenshot, page, "04-outbox-390")
