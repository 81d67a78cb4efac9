"""Styles under the Content-Security-Policy (style sheets and <style> elements only from 'self' or with a
nonce, style attributes allowed by style-src-attr): our pages keep the layout their former style="..."
attributes gave them, from static CSS; viewflow's stock pages keep the layout their own style attributes
give them; moving between our pages and viewflow's with Turbo Drive raises no violation (the fixtures fail
the test on any)."""
import re

import pytest

pytestmark = pytest.mark.e2e


def _style(page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(f"(el) => getComputedStyle(el).getPropertyValue('{prop}')")


def test_viewflow_pages_and_ours_keep_their_layout_from_static_css(page, login, screenshot):
    login(page, "kepala.bpkad")
    page.locator(".pamong-menu a[href='/workflow/inbox/']").click()  # Turbo Drive: the first page's policy stays
    page.wait_for_url(re.compile(r"/workflow/inbox/$"))
    page.wait_for_load_state("networkidle")
    # viewflow's "start" button, bottom right, laid out by the style attribute of its stock template.
    fab = "div:has(> a.mdc-fab.vf-dialog__trigger)"
    assert page.locator(fab).first.get_attribute("style").startswith("position: fixed")
    assert _style(page, fab, "position") == "fixed"
    assert _style(page, fab, "right") == "23px"
    # The site's colours come from static/pamong/theme.css, not from viewflow's inline <style>.
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--mdc-theme-primary')"
                         ).strip() == "#0d5c63"
    # Turbo's progress bar got the nonce of the first page's policy.
    assert page.evaluate("document.querySelector('head > style') && document.querySelector('head > style').nonce"
                         ) not in (None, "")

    page.goto("/keuangan/")
    page.wait_for_load_state("networkidle")
    assert _style(page, "#pagu", "margin-top") == "16px"  # was style="margin-top:16px"
    page.goto("/anggaran/pagu/")
    page.locator("table a").first.click()
    page.wait_for_load_state("networkidle")
    bar = page.locator("progress.br-bar")
    assert bar.evaluate("(el) => el.value") == float(bar.get_attribute("value"))
    assert bar.evaluate("(el) => el.getBoundingClientRect().width") > 200  # the full card width, not 10em
    screenshot(page, "styles-envelope")


def test_public_pages_keep_their_layout_from_static_css(page, screenshot):
    page.goto("/publik/konsultasi/")
    assert _style(page, "h1", "font-size") == "22px"  # was style="font-size:22px;margin:0 0 8px"
    page.goto("/publik/jdih/")
    assert _style(page, "h1", "font-size") == "22px"
    assert _style(page, "h1", "margin-bottom") == "8px"
    screenshot(page, "styles-jdih")
