"""The Wali Kota signs the enacted demo regulation on a phone, and a resident checks it: the verification page
behind the QR code says the signature is valid, and a copy changed by one byte is reported as not valid."""
from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ARTIFACTS, no_horizontal_scroll

pytestmark = pytest.mark.e2e


@pytest.mark.e2e
def test_walikota_signs_and_the_public_verifies(phone_page, browser, live_server, login, screenshot, tmp_path):
    from perda.models import Regulation
    from workflows.models import SignedDocument
    from workflows.signing.seed import DEMO_PASSPHRASE

    (ARTIFACTS / "tte").mkdir(parents=True, exist_ok=True)
    page = phone_page
    regulation = Regulation.objects.exclude(enacted_pdf_sha256="").order_by("pk").first()
    assert regulation is not None, "the demo data has an enacted regulation"
    login(page, "walikota")
    page.goto(f"/perda/{regulation.pk}/pembentukan/")
    page.locator("[data-sign-action]").click()
    page.wait_for_url(re.compile(r"/tandatangani/$"))
    assert no_horizontal_scroll(page)
    page.fill("input[name=passphrase]", "bukan-passphrase")
    page.locator("[data-sign-form] button[type=submit]").click()
    page.wait_for_selector("[data-sign-error]")
    assert "Passphrase salah" in page.inner_text("[data-sign-error]")
    screenshot(page, "tte/01-wrong-passphrase-390")
    page.fill("input[name=passphrase]", DEMO_PASSPHRASE)
    page.locator("[data-sign-form] button[type=submit]").click()
    page.wait_for_selector("[data-signed]")
    screenshot(page, "tte/02-signed-390")

    signed = SignedDocument.objects.get()
    public = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", base_url=live_server.url)
    resident = public.new_page()
    resident.goto(f"/publik/verifikasi/{signed.public_id}")
    assert resident.get_attribute("[data-verify-status]", "data-verify-status") == "valid"
    assert "Wali Kota" in resident.inner_text("[data-capacity]")
    assert no_horizontal_scroll(resident)
    screenshot(resident, "tte/03-verification-390")

    tampered = bytearray(signed.file.open("rb").read())
    tampered[len(tampered) // 3] ^= 0x01
    copy = tmp_path / "salinan.pdf"
    copy.write_bytes(bytes(tampered))
    resident.set_input_files("input[name=file]", str(copy))
    resident.locator("form button[type=submit]").click()
    resident.wait_for_selector("[data-copy-result]")
    assert resident.get_attribute("[data-copy-result]", "data-copy-result") == "invalid"
    assert "TIDAK SAH" in resident.inner_text("[data-copy-result]")
    screenshot(resident, "tte/04-tampered-copy-390")
    public.close()
