"""The Inspektorat reviews a red flag in a real browser: the seeded split on PC-BBK-01 explains its requests and
the rule; a review without a note is refused with the choice kept; with a note the finding shows, on a phone
too. Screenshots go to ``artifacts/e2e/budget/``."""
import pytest

from tests.e2e.conftest import ARTIFACTS, no_horizontal_scroll

pytestmark = pytest.mark.e2e


def test_inspektorat_reviews_the_seeded_split(page, phone_page, login, screenshot):
    (ARTIFACTS / "budget").mkdir(parents=True, exist_ok=True)
    login(page, "inspektur")
    page.goto("/anggaran/tanda-merah/")
    row = page.locator("tr[data-flag]").filter(has_text="PC-BBK-01").first
    flag_id = row.get_attribute("data-flag")
    explanation = page.locator(f"tr#flag-{flag_id} + tr [data-explanation]")
    assert "Rp6.000.000" in explanation.inner_text() and "Rp5.000.000" in explanation.inner_text()
    screenshot(page, "budget/redflags-list")

    row.locator("select[name=finding]").select_option("not_split")
    row.locator("button[type=submit]").click()  # the note is empty: refused, choice kept
    row = page.locator(f"tr#flag-{flag_id}")
    row.locator("[role=alert]").wait_for()
    assert "Catatan telaah wajib diisi." in row.inner_text()
    assert row.locator("select[name=finding]").input_value() == "not_split"

    row.locator("textarea[name=note]").fill("Kerusakan berbeda yang terjadi berurutan; bukti servis terlampir.")
    row.locator("button[type=submit]").click()
    page.locator(f"tr#flag-{flag_id} [data-finding=not_split]").wait_for()
    screenshot(page, "budget/redflags-reviewed")

    login(phone_page, "inspektur")
    phone_page.goto("/anggaran/tanda-merah/")
    assert phone_page.locator(f"tr#flag-{flag_id} [data-finding=not_split]").is_visible()
    assert no_horizontal_scroll(phone_page)
    screenshot(phone_page, "budget/redflags-390")
