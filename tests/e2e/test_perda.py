"""A Perda from first draft to public consultation in a real browser: draft 2 BAB and 4 Pasal in the editor,
start the formation, submit, open a consultation, post a public comment without logging in, record a
disposition, see it on the public page, and download the PDFs."""
import re

import pytest

from tests.e2e.conftest import no_horizontal_scroll

pytestmark = pytest.mark.e2e

TITLE = "Penataan Reklame Digital"


def _add_top(page, kind, heading="", role="", text=""):
    form = page.locator("form#add-top")
    form.locator("select[name=kind]").select_option(kind)
    if heading:
        form.locator("input[name=heading]").fill(heading)
    if role:
        form.locator("select[name=role]").select_option(role)
    if text:
        form.locator("textarea[name=text]").fill(text)
    form.locator("button[value=add]").click()
    page.wait_for_load_state("networkidle")


def _add_child_pasal(page, bab_label, text):
    editor_url = page.url.split("#")[0]
    page.locator(f"li.ed-node[data-kind=bab][data-label='{bab_label}'] a", has_text="Ubah / tambah").click()
    page.wait_for_load_state("networkidle")
    form = page.locator("form.ed-form", has=page.locator("button[value=add]"))
    form.locator("select[name=kind]").select_option("child:pasal")
    form.locator("textarea[name=text]").fill(text)
    form.locator("button[value=add]").click()
    page.wait_for_load_state("networkidle")
    page.goto(editor_url)


def test_draft_submit_consult_comment_dispose_download(page, browser, live_server, login, screenshot):
    login(page, "kabag.hukum")
    page.goto("/perda/baru/")
    page.select_option("select[name=kind]", "perda")
    page.fill("input[name=title]", TITLE)
    value = page.locator("select[name=pemrakarsa] option", has_text="Komunikasi dan Informatika").first.get_attribute(
        "value")
    page.select_option("select[name=pemrakarsa]", value)
    page.fill("input[name=propemperda_year]", "2026")
    page.locator("form.perda-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/perda/\d+/$"))
    regulation_id = int(re.search(r"/perda/(\d+)/$", page.url).group(1))

    page.fill("textarea#kons-new", "bahwa reklame digital perlu ditata agar tertib, aman, dan tidak mengganggu "
                                   "pengguna jalan;")
    page.locator("button[value=konsiderans_add]").click()
    page.wait_for_load_state("networkidle")
    page.fill("textarea#dasar-new", "Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;")
    page.locator("button[value=dasar_add]").click()
    page.wait_for_load_state("networkidle")

    _add_top(page, "bab", heading="Ketentuan Umum", role="ketentuan_umum")
    _add_child_pasal(page, "BAB I", "Reklame digital adalah reklame yang menggunakan layar elektronik.")
    _add_child_pasal(page, "BAB I", "Penyelenggara reklame digital wajib memiliki izin.")
    _add_top(page, "bab", heading="Ketentuan Penutup", role="ketentuan_penutup")
    _add_child_pasal(page, "BAB II", "Ketentuan lebih lanjut diatur dengan Peraturan Wali Kota.")
    _add_child_pasal(page, "BAB II", "Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.")
    assert page.locator("li.ed-node[data-kind=pasal]").count() == 4
    assert page.locator("li.ed-node[data-label='Pasal 4']").count() == 1
    assert page.locator("[data-checks] li.error").count() == 0
    screenshot(page, "perda-editor")

    # formation: start, begin drafting, submit (freezes v1)
    page.goto(f"/perda/{regulation_id}/pembentukan/")
    page.locator("button[data-action=start]").click()
    page.wait_for_load_state("networkidle")
    page.locator("button[data-action=start_drafting]").click()
    page.wait_for_load_state("networkidle")
    page.locator("button[data-action=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-stage=harmonisasi]").count() == 1
    assert page.locator("[data-version='1']").count() == 1
    assert page.locator("[data-deadline=harmonisasi]").is_visible()
    screenshot(page, "perda-formation-detail")

    # open a consultation on v1
    page.locator("summary", has_text="Buka konsultasi publik").click()
    page.locator("button[data-action=open_consultation]").click()
    page.wait_for_url(re.compile(r"/perda/konsultasi/\d+/$"))
    consultation_id = int(re.search(r"/perda/konsultasi/(\d+)/$", page.url).group(1))

    # a resident comments on Pasal 2 without logging in
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 390, "height": 844})
    public = context.new_page()
    public.goto("/publik/konsultasi/")
    public.locator(f"[data-consultation='{consultation_id}'] a").click()
    public.wait_for_load_state("networkidle")
    block = public.locator("[data-provision]", has=public.locator("h3", has_text=re.compile(r"^Pasal 2$")))
    block.locator("summary").click()
    block.locator("input[name=name]").fill("Dewi Lestari")
    block.locator("input[name=contact]").fill("dewi@example.org")
    block.locator("textarea[name=text]").fill("Izin sebaiknya bisa diurus daring. <script>alert(1)</script>")
    block.locator("button[type=submit]").click()
    public.wait_for_load_state("networkidle")
    assert public.locator("[data-sent]").is_visible()
    assert "<script>alert(1)</script>" in public.locator("[data-comment-text]").first.inner_text()
    assert no_horizontal_scroll(public)
    screenshot(public, "perda-public-consultation-390")

    # Bagian Hukum answers it
    page.reload()
    comment = page.locator("[data-comment]").first
    comment.locator("summary").click()
    comment.locator("select").select_option("partly")
    comment.locator("textarea").fill("Perizinan daring diatur dalam Peraturan Wali Kota pelaksana.")
    comment.locator("button[data-action=dispose]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-pending='0']").count() == 1

    public.reload()
    assert public.locator("[data-disposition=partly]").count() == 1
    assert "Peraturan Wali Kota pelaksana" in public.locator("[data-reason]").first.inner_text()
    context.close()

    # downloads: the consultation report (rendered by the documents service) and the draft's PDF
    page.locator("button[data-action=report]").click()
    page.wait_for_load_state("networkidle")
    page.locator("a[data-report]").wait_for()
    with page.expect_download() as report:
        page.locator("a[data-report]").click()
    assert report.value.suggested_filename.endswith(".pdf")
    with open(report.value.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    # the draft's PDF (with the RANCANGAN watermark), fetched with the logged-in session from the editor's link
    page.goto(f"/perda/{regulation_id}/")
    href = page.locator("a[data-pdf]").get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("application/pdf")
    assert response.body()[:5] == b"%PDF-"
    screenshot(page, "perda-editor-after")


def test_formation_pages_fit_a_phone(phone_page, login, screenshot):
    """The seeded Raperda's formation page, its consultation and the JDIH listing at 390 px."""
    from perda.models import Regulation
    from perda.seed import RAPERDA_TITLE

    raperda = Regulation.objects.get(title=RAPERDA_TITLE)
    login(phone_page, "kabag.hukum")
    phone_page.goto("/perda/pembentukan/")
    assert phone_page.locator(f"[data-formation='{raperda.pk}']").is_visible()
    assert no_horizontal_scroll(phone_page)
    screenshot(phone_page, "perda-formation-list-390")
    phone_page.goto(f"/perda/{raperda.pk}/pembentukan/")
    assert phone_page.locator("[data-stage=pembahasan_1]").is_visible()
    assert phone_page.locator("[data-timeline=harmonisasi]").is_visible()
    assert no_horizontal_scroll(phone_page)
    screenshot(phone_page, "perda-formation-detail-390")
    phone_page.locator("[data-consultation] a").first.click()
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.locator("[data-comment]").count() == 5
    assert no_horizontal_scroll(phone_page)
    screenshot(phone_page, "perda-consultation-manage-390")
    phone_page.goto("/publik/jdih/")
    assert "Tata Kelola Satu Data" in phone_page.content()
    assert no_horizontal_scroll(phone_page)
    screenshot(phone_page, "perda-jdih-390")
