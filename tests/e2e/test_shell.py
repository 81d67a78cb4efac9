"""The app shell in a real browser: login, Indonesian home and inbox, English switch, logout, 390 px."""
import re
from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import no_horizontal_scroll

pytestmark = pytest.mark.e2e


def test_login_home_inbox_language_switch_logout(page, login, screenshot):
    page.goto("/")
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/$"))
    assert page.locator("[data-product]").inner_text() == "Pamong"
    assert "Kota Tangerang Selatan" in page.locator("[data-city]").inner_text()
    screenshot(page, "shell-login")

    login(page, "lurah.babakan")
    assert urlparse(page.url).path == "/"
    assert "Selamat datang" in page.locator("h1.pamong-home__greeting").inner_text()
    assert "Lurah Babakan" in page.locator("#pamong-positions").inner_text()
    screenshot(page, "shell-home-id")

    page.locator(".pamong-menu a[href='/workflow/inbox/']").click()
    page.wait_for_url(re.compile(r"/workflow/inbox/$"))
    page.wait_for_load_state("networkidle")
    assert "Kotak Masuk" in page.locator(".vf-card__title").first.inner_text()
    assert page.locator(".pamong-menu").get_by_text("Antrean").is_visible()
    screenshot(page, "shell-inbox-id")

    page.locator("button[data-language=en]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Inbox" in page.locator(".vf-card__title").first.inner_text()
    assert page.locator(".pamong-menu").get_by_text("Queue").is_visible()
    assert page.locator(".pamong-menu").get_by_text("Kotak Masuk").count() == 0
    screenshot(page, "shell-inbox-en")

    page.goto("/")
    assert "Welcome" in page.locator("h1.pamong-home__greeting").inner_text()
    assert "Your positions today" in page.locator("#pamong-positions").inner_text()

    page.locator("button[data-action=logout]").click()
    page.wait_for_url(re.compile(r"/accounts/login/$"))
    assert "Log in to your account" in page.content()
    page.goto("/")
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_home_and_inbox_fit_390px(phone_page, login, screenshot):
    page = phone_page
    page.goto("/accounts/login/")
    assert no_horizontal_scroll(page)
    screenshot(page, "shell-login-390")

    login(page, "sekcam.setu")  # Plh. Camat Setu today in the demo data
    assert "Plh. Camat Setu" in page.locator("#pamong-positions").inner_text()
    assert no_horizontal_scroll(page)
    # The top bar keeps language switch, notifications and logout within the screen.
    for selector in ["button[data-language=en]", "button[data-action=logout]"]:
        box = page.locator(selector).bounding_box()
        assert box and box["x"] + box["width"] <= 390
    screenshot(page, "shell-home-390")

    page.goto("/workflow/queue/")
    page.wait_for_load_state("networkidle")
    assert no_horizontal_scroll(page)
    screenshot(page, "shell-queue-390")


def test_task_lists_become_cards_at_390px(phone_page, login, screenshot, settings):
    """With a flow registered, the queue at 390 px shows each task as a labelled card, nothing cut off."""
    from viewflow.workflow.status import STATUS

    from workflows.models import Position
    from workflows.site import ensure_urls_loaded
    from workflows.testing.flows import ShellProbeFlow

    settings.PAMONG_FLOWS = [*settings.PAMONG_FLOWS, "workflows.testing.flows.ShellProbeFlow"]
    settings.ROOT_URLCONF = "tests.workflows.probe_urls"
    ensure_urls_loaded()
    lurah = Position.objects.get(code="lurah-kel-babakan")
    process = ShellProbeFlow.start.run(
        subject="Printer kantor Kelurahan Babakan tidak bisa mencetak (Rp1.250.000)",
        permission=lurah.permission_name,
    )
    assert process.task_set.filter(status=STATUS.NEW).count() == 1

    page = phone_page
    login(page, "lurah.babakan")
    assert "Printer kantor Kelurahan Babakan" in page.locator("#pamong-queue").inner_text()
    page.goto("/workflow/queue/")
    page.wait_for_load_state("networkidle")
    row = page.locator("table.vf-list__table tbody tr").first
    assert "Printer kantor Kelurahan Babakan" in row.inner_text()
    assert row.locator("td[data-label]").count() >= 3  # what it is about, the step, when (no internal ids)
    assert no_horizontal_scroll(page)
    screenshot(page, "shell-queue-cards-390")

    # Opening the task (assign page, then the task itself) stays within the screen too.
    row.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    assert no_horizontal_scroll(page)
    screenshot(page, "shell-task-390")
