"""Every role's day, walked in a real browser at 390 px and at 1366 px, as new civil servants would.

Each step is checked by ``Journey.step``: no English word or code token in the Indonesian page (a small
allow-list of borrowed words: Status, PDF, Excel, …), nothing sticking out to the right at 390 px, no console
error; a screenshot of every step goes to ``artifacts/e2e/journeys/<journey>-<width>/``. Clicks are counted:
the decider reaches the decision form in one click from the home page.
"""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import ARTIFACTS, _new_page, login

pytestmark = pytest.mark.e2e

WIDTHS = [390, 1366]

# English UI words and leftovers of code that must not appear on an Indonesian page (whole words, case-sensitive
# where the word is also Indonesian in lower case).
ENGLISH = {
    "After", "Submit", "Start", "End", "Assign", "Unassign", "Task", "Tasks", "Owner", "Permission", "Brief",
    "Created", "Finished", "Previous", "Next", "Process", "Processes", "Inbox", "Queue", "Archive", "Cancel",
    "Save", "Delete", "Edit", "Details", "Detail", "Download", "Search", "Filter", "Page", "Not", "Found",
    "Error", "Loading", "Yes", "Close", "Back", "Home", "Settings", "Logout", "Login", "Password", "Username",
    "Dashboard", "Report", "Reports", "Pending", "Ready", "Failed", "Approve", "Reject", "Return", "Pay",
    "Select", "Choose", "Add", "Remove", "Update", "Open", "Show", "Hide", "Done", "Waiting", "Take",
    "True", "False", "None", "null", "undefined", "NaN",
}
ALLOWED = {"Status", "PDF", "Excel", "CSV", "Wi-Fi", "CCTV", "UP", "LS", "SPP", "SPM", "SP2D", "JDIH", "ID", "EN",
           "Rp", "WIB", "NIK", "NPWP", "SHA-256", "SIPD", "Plh", "Plt", "TI", "BAB", "Perda", "Perwali", "OK"}
CODE_PATTERNS = [
    re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),  # snake_case identifiers (kepala_diskominfo, technical_verification)
    re.compile(r"[\[{]'[a-z_]+'"),  # a Python repr of a list or dict
    re.compile(r"(?<![\w.,/-])[1-9]\d{5,}(?![\w.,/-])"),  # unformatted amounts (1750000); Indonesian: 1.750.000
    re.compile(r"#\d+/\d+"),  # internal ids (#17/96)
]

# The visible text of the page, without icon ligatures, scripts, form values and fingerprints.
VISIBLE_TEXT = """() => {
  const skip = el => el.closest('.material-icons, script, style, code, [data-digest], [aria-hidden=true], svg, noscript');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = [];
  while (walker.nextNode()) {
    const n = walker.currentNode, el = n.parentElement;
    if (!el || skip(el)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    out.push(n.textContent);
  }
  document.querySelectorAll('input[type=submit], input[type=button]').forEach(b => { if (!skip(b)) out.push(b.value || ''); });
  return out.join(' ');
}"""


def problems_in(text: str) -> list[str]:
    found = []
    for word in re.findall(r"[A-Za-z][A-Za-z-]*", text):
        if word in ENGLISH and word not in ALLOWED:
            found.append(word)
    for pattern in CODE_PATTERNS:
        found += pattern.findall(text)
    return found


class Journey:
    """One role's walk at one width: steps with screenshots and checks, and the clicks it took."""

    def __init__(self, browser, live_server, name: str, width: int):
        self.context, self.page = _new_page(browser, live_server, width, 844 if width < 600 else 900)
        self.name, self.width, self.clicks, self.n = name, width, 0, 0
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.folder = ARTIFACTS / "journeys" / f"{name}-{width}"
        self.folder.mkdir(parents=True, exist_ok=True)

    def click(self, locator) -> None:
        """Click and wait for the next page, whether Turbo Drive renders it (turbo:load) or the browser loads it."""
        self.clicks += 1
        # Turbo Drive swaps <body> for the next page's, a full load replaces the document: either way the
        # marked body is gone once the next page is there.
        self.page.evaluate("() => { document.body.dataset.journeyOld = '1'; }")
        locator.click()
        # Polled with evaluate(): wait_for_function compiles its predicate inside the page, which the
        # Content-Security-Policy (no eval) refuses.
        deadline = time.monotonic() + 15
        while True:
            try:
                if self.page.evaluate("() => document.readyState === 'complete' && !document.body.dataset.journeyOld"):
                    break
            except PlaywrightError:  # the old page went away mid-call: look again
                pass
            assert time.monotonic() < deadline, "the click did not lead to a new page"
            self.page.wait_for_timeout(100)
        self.page.wait_for_load_state("networkidle")

    def step(self, label: str) -> None:
        page = self.page
        page.wait_for_load_state("networkidle")
        self.n += 1
        page.screenshot(path=str(self.folder / f"{self.n:02d}-{label}.png"), full_page=True)
        where = f"{self.name} {self.width}px {label} ({page.url})"
        found = problems_in(page.evaluate(VISIBLE_TEXT))
        assert not found, f"{where}: English or code tokens {sorted(set(found))}"
        if self.width <= 400:
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{where}: {overflow}px wider than the screen"
        assert not self.errors, f"{where}: console errors {self.errors}"

    def close(self):
        self.context.close()


@pytest.fixture
def journey(browser, live_server, demo):
    made = []

    def make(name, width):
        j = Journey(browser, live_server, name, width)
        made.append(j)
        return j

    yield make
    for j in made:
        j.close()


def test_token_check_catches_what_the_issue_saw():
    assert problems_in("Nilai (rp) 1750000") == ["1750000"]
    assert "True" in problems_in("Bertanda merah True")
    assert problems_in("[{'rule_id': 1, 'position_kind': 'lurah'}]")
    assert "After" in problems_in("After Submit")
    assert problems_in("#17/96") == ["#17/96"]
    assert not problems_in("Status: Dalam penelaahan · Rp1.750.000 · Unduh PDF · 6 Desember 2026 14.53 WIB")


@pytest.mark.parametrize("width", WIDTHS)
def test_decider_reaches_the_decision_form_in_one_click(journey, width):
    from budget_requests.models import RepairRequest

    j = journey("pemutus", width)
    login(j.page, "lurah.babakan")
    j.step("beranda")
    unread_before = int(j.page.locator("[data-unread]").get_attribute("data-unread") or 0)
    entry = j.page.locator("#pamong-queue .pamong-entries a").first
    number = entry.locator(".pamong-entry__about").inner_text().split(" · ")[0]
    j.click(entry)
    assert j.clicks == 1
    assert "/anggaran/permohonan/" in j.page.url  # the document itself, not viewflow's "take the task" page
    assert j.page.locator("button[data-action=approve]").count() == 1
    assert j.page.locator("[data-route-words]").count() == 1
    assert j.page.locator("[data-decision-jump]").count() == 1
    j.step("permohonan-dengan-formulir")
    j.page.fill("textarea[name=approve-justification]", "Kerusakan berbeda, sudah dicek teknisi.")
    j.click(j.page.locator("button[data-action=approve]"))
    assert j.page.locator("[data-state=approved], [data-state=under_review]").count() == 1
    j.step("sudah-diputus")
    assert RepairRequest.objects.get(number=number).state in ("approved", "under_review")
    # the notification that asked for this decision no longer asks, and the bell counts one fewer
    j.page.goto("/notifikasi/")
    j.step("notifikasi")
    assert "Sudah diputuskan" in j.page.content()
    unread_after = j.page.locator("[data-unread]")
    assert (int(unread_after.get_attribute("data-unread")) if unread_after.count() else 0) < unread_before
    j.page.goto("/workflow/archive/")
    j.step("arsip")


@pytest.mark.parametrize("width", WIDTHS)
def test_walikota_reads_the_text_then_signs(journey, width):
    from perda.models import Formation

    formation = Formation.objects.select_related("regulation").exclude(stage="selesai").first()
    Formation.objects.filter(pk=formation.pk).update(stage="penetapan")
    j = journey("walikota", width)
    login(j.page, "walikota")
    j.page.goto(f"/perda/{formation.regulation_id}/pembentukan/")
    j.step("pembentukan")
    j.click(j.page.locator("a[data-action=enact]"))
    assert j.page.locator("[data-enact-text]").inner_text().strip()
    j.step("baca-naskah")
    # the button does nothing until the Wali Kota confirms having read the text (the server checks it too)
    assert j.page.locator("input[name=confirm][required]").count() == 1
    j.page.locator("button[data-action=enact]").click()
    j.page.wait_for_timeout(300)
    assert Formation.objects.get(pk=formation.pk).stage == "penetapan"
    j.page.locator("input[name=confirm]").check()
    j.step("konfirmasi")
    j.click(j.page.locator("button[data-action=enact]"))
    assert Formation.objects.get(pk=formation.pk).stage == "pengundangan"
    j.step("ditetapkan")


@pytest.mark.parametrize("width", WIDTHS)
def test_operator_menu_and_new_request(journey, width):
    j = journey("operator", width)
    login(j.page, "operator.babakan")
    j.step("beranda")
    labels = [t.strip() for t in j.page.locator(".pamong-menu .mdc-list-item__content").all_inner_texts()]
    assert len(labels) == len(set(labels)), f"menu lists an entry twice: {labels}"
    assert "Tugas yang sudah selesai" not in labels
    j.page.goto("/anggaran/permohonan/baru/")
    j.step("permohonan-baru")
    j.page.goto("/anggaran/")
    j.step("daftar-permohonan")


@pytest.mark.parametrize("width", WIDTHS)
def test_drafter_finds_drafts_and_adds_in_place(journey, width):
    j = journey("perancang", width)
    login(j.page, "perancang")
    j.step("beranda")
    j.click(j.page.locator("#pamong-links a[href='/perda/']"))
    j.step("rancangan")
    j.page.goto("/perda/pembentukan/")
    assert j.page.locator("[data-drafts-outside]").count() == 1
    j.step("pembentukan")
    reg = j.page.locator("[data-formation]").first.get_attribute("data-formation")
    j.page.goto(f"/perda/{reg}/")
    options = j.page.locator("#add-top select[name=kind] option").all_inner_texts()
    assert any(o.startswith("Pasal — di akhir BAB") for o in options), options
    j.step("penyunting")
    j.page.goto(f"/perda/{reg}/pratinjau/")
    j.step("pratinjau")
    # a reference after a typed "sebagaimana dimaksud dalam" is inserted once
    href = j.page.goto(f"/perda/{reg}/") and j.page.locator(".ed-tools a").nth(3).get_attribute("href")
    j.page.goto(href)
    area = j.page.locator("textarea[data-ref-input]")
    area.fill("Rencana sebagaimana dimaksud dalam ")
    area.evaluate("a => a.setSelectionRange(a.value.length, a.value.length)")
    j.page.select_option("#ref-target", index=1)
    j.page.locator("button[data-insert-ref]").click()
    assert area.input_value().count("sebagaimana dimaksud dalam") == 1
    j.step("ketentuan")


@pytest.mark.parametrize("width", WIDTHS)
def test_finance_pages(journey, width):
    j = journey("keuangan", width)
    login(j.page, "kepala.bpkad")
    j.page.goto("/keuangan/")
    j.step("dasbor")
    j.page.goto("/anggaran/pagu/")
    j.step("pagu")
    j.page.goto("/keuangan/laporan/")
    j.step("laporan")
    j.click(j.page.locator("form.fin-filter button[type=submit]"))
    assert "/keuangan/laporan/" in j.page.url
    j.step("laporan-detail")
    j.page.goto("/keuangan/simulasi/")
    j.step("simulasi")
    j.page.context.clear_cookies()
    login(j.page, "inspektur")
    j.page.goto("/anggaran/tanda-merah/")
    j.step("tanda-merah")


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_link_each_other(journey, width):
    j = journey("publik", width)
    j.page.goto("/publik/jdih/")
    j.step("jdih")
    assert j.page.locator("link[rel=icon]").count() == 1
    j.click(j.page.locator("header nav a[href='/publik/transparansi/']"))
    j.step("transparansi")
    j.page.goto("/accounts/login/")
    j.page.fill("input[name=username]", "lurah.babakan")
    j.page.fill("input[name=password]", "salah")
    j.page.locator("form.vf-form button[type=submit]").click()
    j.page.wait_for_load_state("networkidle")
    assert "nama pengguna nama pengguna" not in j.page.content().lower()
    j.step("salah-sandi")
