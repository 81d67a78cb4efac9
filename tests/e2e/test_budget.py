"""IT-repair spending in a real browser: a kelurahan operator raises and submits a request (paid LS), the lurah
opens it from the task queue and approves it on the request page, then the payment goes as Permendagri 77/2020
lays it out: the bendahara prepares the SPP-LS (on a phone), the PPK-SKPD verifies it, the PA (Plh. Camat Setu
today) signs the SPM, the Kuasa BUD first refuses the SPM with a reason, then issues the SP2D after it is
signed again. Screenshots of every step go to ``artifacts/e2e/budget/`` (collected by CI)."""
import re

import pytest

from tests.e2e.conftest import ARTIFACTS, no_horizontal_scroll

pytestmark = pytest.mark.e2e

PROBLEM = "Layar anjungan layanan mandiri berkedip lalu mati (uji e2e)."


def shot(screenshot, page, name):
    (ARTIFACTS / "budget").mkdir(parents=True, exist_ok=True)
    return screenshot(page, f"budget/{name}")


def logout(page):
    page.context.clear_cookies()


def test_operator_submits_lurah_approves_officials_pay_ls(page, phone_page, login, screenshot):
    from budget_requests.models import RepairRequest

    # 1. the kelurahan operator raises and submits the request
    login(page, "operator.babakan")
    page.goto("/anggaran/")
    shot(screenshot, page, "01-operator-list")
    page.locator("[data-new-request]").click()
    page.wait_for_url(re.compile(r"/anggaran/permohonan/baru/$"))
    kiosk = page.locator("select[name=asset] option", has_text="KIOSK-BBK-01").first.get_attribute("value")
    page.select_option("select[name=asset]", kiosk)
    page.select_option("select[name=category]", "software")
    page.fill("textarea[name=problem]", PROBLEM)
    page.fill("input[name=amount]", "-5")
    envelope = page.locator("select[name=envelope] option", has_text="Kecamatan Setu").first.get_attribute("value")
    page.select_option("select[name=envelope]", envelope)
    page.select_option("select[name=payment_route]", "LS")
    page.fill("input[name=quotes-0-vendor_name]", "CV Anjungan Digital")
    page.fill("input[name=quotes-0-amount]", "1.750.000")
    page.locator("button[data-submit]").click()
    page.wait_for_load_state("networkidle")
    # a bad amount: Indonesian message, the rest of the input kept
    assert "lebih besar dari nol" in page.locator("[data-errors=amount]").inner_text()
    assert page.locator("textarea[name=problem]").input_value() == PROBLEM
    shot(screenshot, page, "02-operator-amount-error")
    page.fill("input[name=amount]", "1.750.000")
    page.locator("button[data-submit]").click()
    page.wait_for_url(re.compile(r"/anggaran/permohonan/\d+/$"))
    pk = int(re.search(r"/permohonan/(\d+)/$", page.url).group(1))
    obj = RepairRequest.objects.get(pk=pk)
    assert obj.state == "under_review" and obj.amount == 1_750_000
    assert page.locator("[data-state=under_review]").count() == 1
    assert "Lurah Babakan" in page.locator("[data-waiting-on]").inner_text()
    shot(screenshot, page, "03-operator-submitted")
    logout(page)

    # 2. the lurah finds it in the queue on the home page (it says what it is about), takes it, approves it
    login(page, "lurah.babakan")
    entry = page.locator("#pamong-queue a", has_text=obj.number)
    assert "Kelurahan Babakan" in entry.inner_text() and "KIOSK-BBK-01" in entry.inner_text()
    shot(screenshot, page, "04-lurah-home-queue")
    entry.click()
    page.wait_for_url(re.compile(r"/anggaran/permohonan/\d+/$|/workflow/"))
    page.wait_for_load_state("networkidle")
    if "/anggaran/permohonan/" not in page.url:  # viewflow's "take this task" page first
        shot(screenshot, page, "05a-lurah-take-task")
        page.locator("form.vf-form button[name=_continue]").click()
        page.wait_for_url(re.compile(rf"/anggaran/permohonan/{pk}/$"))
    shot(screenshot, page, "05b-lurah-request-page")
    page.locator("button[data-action=approve]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-state=approved]").count() == 1
    assert "selaku Lurah Babakan" in page.content()
    # the decision letter was requested on approval; the page links the PDF once it is ready
    assert page.locator("[data-document=keputusan]").count() == 1
    shot(screenshot, page, "06-lurah-approved")
    logout(page)

    # 3. the bendahara prepares the SPP-LS (on a phone: the page fits 390 px); a bad NPWP keeps what was typed
    login(phone_page, "bendahara.setu")
    phone_page.goto(f"/anggaran/permohonan/{pk}/")
    assert no_horizontal_scroll(phone_page)
    assert phone_page.locator("input[name=spp-payee_name]").input_value() == "CV Anjungan Digital"
    phone_page.fill("input[name=spp-number]", "SPP-LS/2026/0099")
    phone_page.fill("input[name=spp-payee_npwp]", "12345")
    phone_page.fill("input[name=spp-bank_name]", "Bank BJB")
    phone_page.fill("input[name=spp-bank_account]", "0012345678901")
    phone_page.fill("input[name=spp-pph]", "Rp35.000")
    phone_page.fill("input[name=spp-pph_article]", "PPh 23")
    phone_page.locator("button[data-action=spp]").click()
    phone_page.wait_for_load_state("networkidle")
    assert "NPWP" in phone_page.content() and phone_page.locator("input[name=spp-number]").input_value() == "SPP-LS/2026/0099"
    phone_page.fill("input[name=spp-payee_npwp]", "01.234.567.8-411.000")
    shot(screenshot, phone_page, "07-bendahara-spp-form-390")
    phone_page.locator("button[data-action=spp]").click()
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.locator("[data-state=spp_submitted]").count() == 1
    assert no_horizontal_scroll(phone_page)
    shot(screenshot, phone_page, "08-bendahara-spp-submitted-390")
    phone_page.context.clear_cookies()

    # 4. the PPK-SKPD verifies; 5. the PA (the Sekcam as Plh. Camat Setu today) signs the SPM
    login(page, "ppk.setu")
    page.goto(f"/anggaran/permohonan/{pk}/")
    page.locator("button[data-action=verify]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-state=spp_verified]").count() == 1
    logout(page)
    login(page, "sekcam.setu")
    page.goto(f"/anggaran/permohonan/{pk}/")
    page.fill("input[name=spm-number]", "SPM-LS/2026/0099")
    page.locator("button[data-action=spm]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-state=spm_issued]").count() == 1
    assert "selaku Plh. Camat Setu" in page.content()
    shot(screenshot, page, "09-pa-spm-signed")
    logout(page)

    # 6. the Kuasa BUD refuses the SPM with a reason: back to the PA, who signs it again; then the SP2D
    login(page, "kuasa.bud")
    page.goto(f"/anggaran/permohonan/{pk}/")
    page.locator("[data-action=sp2d_refuse]").locator("xpath=ancestor::details").locator("summary").click()
    page.fill("textarea[name=sp2d_refuse-reason]", "Rekening penerima belum divalidasi bank.")
    page.locator("button[data-action=sp2d_refuse]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-state=spp_verified]").count() == 1
    assert "Rekening penerima belum divalidasi bank." in page.content()
    logout(page)
    login(page, "sekcam.setu")
    page.goto(f"/anggaran/permohonan/{pk}/")
    page.fill("input[name=spm-number]", "SPM-LS/2026/0100")
    page.locator("button[data-action=spm]").click()
    page.wait_for_load_state("networkidle")
    logout(page)
    login(page, "kuasa.bud")
    page.goto(f"/anggaran/permohonan/{pk}/")
    page.fill("input[name=sp2d-number]", "SP2D/2026/0199")
    page.locator("button[data-action=sp2d]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-state=paid]").count() == 1
    assert page.locator("[data-entry=pay]").count() == 1
    assert page.locator("[data-document=spp]").count() == 1
    shot(screenshot, page, "10-kuasa-bud-sp2d-paid")
    assert RepairRequest.objects.get(pk=pk).state == "paid"
    logout(page)

    # the list at 390 px shows cards
    phone_page.goto("/anggaran/")
    assert no_horizontal_scroll(phone_page)
    shot(screenshot, phone_page, "11-list-cards-390")

    # the new-request form at 390 px: fields stack, nothing sticks out
    phone_page.context.clear_cookies()
    login(phone_page, "operator.babakan")
    phone_page.goto("/anggaran/permohonan/baru/")
    assert phone_page.locator("select[name=asset]").is_visible()
    assert no_horizontal_scroll(phone_page)
    shot(screenshot, phone_page, "12-new-request-form-390")
