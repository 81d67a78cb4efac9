"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's ``live_server``.

Run them with ``make e2e`` (installs Chromium with apt when missing) or
``PAMONG_CHROMIUM=$(command -v chromium) python -m pytest -m e2e``. Mark every test ``@pytest.mark.e2e``.

Fixtures and helpers for everyone's e2e tests:

- ``browser`` (session): headless Chromium from ``$PAMONG_CHROMIUM`` or ``shutil.which("chromium")``.
- ``demo`` : the Tangsel demo data (``workflows.seed.seed_demo()``) in the transactional test database;
  every demo login has the password ``pamong-demo`` (e.g. ``lurah.babakan``, ``camat.setu``,
  ``sekcam.setu`` who is Plh. Camat Setu today, ``kepala.bpkad``, ``kabag.hukum``).
- ``page``: a fresh page (own cookies) at 1280×800, browser language Indonesian, ``base_url`` set to the live
  server, so ``page.goto("/")`` works. Depends on ``demo``.
- ``phone_page``: the same at 390×844 (an iPhone-sized screen) for the "works at 390 px" checks.
  Both fail the test on any Content-Security-Policy violation the browser reports.
- ``login(page, username, password="pamong-demo")``: logs in through the login form and waits for the home
  page. Also importable: ``from tests.e2e.conftest import login``.
- ``screenshot(page, name)``: full-page PNG in ``artifacts/e2e/<name>.png`` (collected by CI); returns the path.
- ``no_horizontal_scroll(page)``: True when nothing sticks out to the right of the viewport.

Example::

    @pytest.mark.e2e
    def test_lurah_sees_request(page, login, screenshot):
        login(page, "lurah.babakan")
        page.goto("/anggaran/")
        screenshot(page, "anggaran-list")
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body (seeding,
# assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"
DEMO_PASSWORD = "pamong-demo"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("PAMONG_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if not executable:
        pytest.fail("Chromium not found: install Debian's chromium (make e2e does) or set PAMONG_CHROMIUM.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    """The Tangsel org tree and demo logins (seed_demo of the shared engine plus each app's seeders)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    for dotted in getattr(settings, "PAMONG_SEEDERS", ["workflows.seed.seed_demo"]):
        import_string(dotted)()


# Every page reports a Content-Security-Policy violation to the test: the browser's "securitypolicyviolation"
# event (inline script, inline handler, eval, a resource from another origin) and its console error.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _new_page(browser, live_server, width: int, height: int):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="id-ID", base_url=live_server.url,
        extra_http_headers={"Accept-Language": "id-ID,id;q=0.9"},
    )
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.csp_violations = []

    def on_console(message):
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or text.startswith("CSP violation")):
            page.csp_violations.append(f"{page.url}: {text}")

    page.on("console", on_console)
    return context, page


def _no_csp_violations(page) -> None:
    assert not page.csp_violations, "Content-Security-Policy violations:\n" + "\n".join(page.csp_violations)


@pytest.fixture
def page(browser, live_server, demo):
    context, page = _new_page(browser, live_server, 1280, 800)
    yield page
    context.close()
    _no_csp_violations(page)


@pytest.fixture
def phone_page(browser, live_server, demo):
    context, page = _new_page(browser, live_server, 390, 844)
    yield page
    context.close()
    _no_csp_violations(page)


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form and wait for the home page."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form.vf-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str) -> Path:
    """Full-page PNG in artifacts/e2e/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture(name="login")
def login_fixture():
    return login


@pytest.fixture(name="screenshot")
def screenshot_fixture():
    return screenshot
