"""The drafting pages at phone width (390 px): the editor of the seeded Raperda, a provision's page, the
preview, the redline and the import page fit without horizontal scrolling; a Pasal inserted from the
provision page renumbers the following Pasal on the editor."""
import re

import pytest

from tests.e2e.conftest import no_horizontal_scroll

pytestmark = pytest.mark.e2e


def test_drafting_pages_fit_a_phone(phone_page, login, screenshot):
    from perda.models import Provision, Regulation
    from perda.seed import RAPERDA_TITLE

    page = phone_page
    raperda = Regulation.objects.get(title=RAPERDA_TITLE)
    login(page, "kabag.hukum")
    page.goto(f"/perda/{raperda.pk}/")
    assert page.locator("li.ed-node[data-kind=pasal]").count() >= 3
    assert no_horizontal_scroll(page)
    screenshot(page, "perda-editor-390")

    page.goto(f"/perda/{raperda.pk}/pratinjau/")
    assert page.locator("text=DENGAN RAHMAT TUHAN YANG MAHA ESA").is_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "perda-preview-390")

    page.goto(f"/perda/{raperda.pk}/bandingkan/?a=1&tampilan=dokumen")
    assert no_horizontal_scroll(page)
    screenshot(page, "perda-redline-390")

    page.goto("/perda/impor/")
    assert no_horizontal_scroll(page)

    # The provision page (only while the stage allows editing; the seeded Raperda is in pembahasan I).
    first = Provision.objects.live().filter(regulation=raperda, kind="pasal").order_by("parent__order", "order").first()
    page.goto(f"/perda/{raperda.pk}/ketentuan/{first.uid}/")
    assert no_horizontal_scroll(page)
    screenshot(page, "perda-provision-390")
    heading = page.locator("h2").inner_text()
    number = int(re.match(r"^Pasal (\d+)", heading).group(1))
    second = Provision.objects.live().filter(regulation=raperda, kind="pasal").exclude(pk=first.pk).order_by(
        "parent__order", "order").first()
    form = page.locator("form.ed-form", has=page.locator("button[value=add]"))
    form.locator("select[name=kind]").select_option("after:pasal")
    form.locator("textarea[name=text]").fill("Pasal sisipan dari ponsel.")
    form.locator("button[value=add]").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"/perda/{raperda.pk}/")
    inserted = Provision.objects.get(regulation=raperda, text="Pasal sisipan dari ponsel.")
    assert page.locator(f"#n-{inserted.uid}").get_attribute("data-label") == f"Pasal {number + 1}"
    assert page.locator(f"#n-{second.uid}").get_attribute("data-label") == f"Pasal {number + 2}"
