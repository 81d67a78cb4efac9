"""The importer on published regulations (tests/perda/corpus/README.md gives sources and hand counts).

The published texts are not in this repository: they are read through tests.perda.corpus, and a test whose
text is absent is skipped with the file it lacks."""
import re
from pathlib import Path

import pytest

from perda.importer import clean_text, iter_pasal, parse_regulation
from tests.perda.corpus import corpus_path, corpus_text

FIXTURES = Path(__file__).parent / "fixtures"  # the texts written for the project (perda_rth.txt, …)
# file: (BAB, Pasal, penjelasan Pasal entries, TAMBAHAN number) counted by hand.
HAND = {
    "surabaya_perda_4_2025_pemakaman.txt": (19, 36, 36, "4"),
    "surabaya_perda_3_2018_parkir.txt": (17, 41, 41, "3"),
    "surabaya_perda_13_2003_pemakaman.txt": (10, 24, 24, None),
    "banjarnegara_perda_8_2025_perubahan_pdrd.txt": (0, 2, 2, "321"),
    "bali_pergub_1_2021_perubahan_kelas_jabatan.txt": (0, 2, 0, None),
    "donggala_perbup_24_2025_perubahan_add.txt": (0, 2, 0, None),
}
# Recognised page furniture removed, by kind; everything else is kept.
FURNITURE = {
    "surabaya_perda_4_2025_pemakaman.txt": {},
    "surabaya_perda_3_2018_parkir.txt": {"nomor halaman": 26},
    "surabaya_perda_13_2003_pemakaman.txt": {"nomor halaman": 14},
    "banjarnegara_perda_8_2025_perubahan_pdrd.txt": {"kaki halaman tanda tangan elektronik": 24},
    "bali_pergub_1_2021_perubahan_kelas_jabatan.txt": {},
    "donggala_perbup_24_2025_perubahan_add.txt": {},
}


def parsed(name):
    return parse_regulation(corpus_text(name))


def pasal(p, num):
    return next(x for x in iter_pasal(p["body"]) if x["num"] == num)


@pytest.mark.parametrize("name", sorted(HAND))
def test_hand_counts(name):
    p = parsed(name)
    bab, n_pasal, n_pj, tambahan = HAND[name]
    assert sum(1 for n in p["body"] if n["type"] == "bab") == bab
    assert len(list(iter_pasal(p["body"]))) == n_pasal
    assert len((p["penjelasan"] or {}).get("pasal", {})) == n_pj
    assert (p["penjelasan"] or {}).get("tambahan") == tambahan
    # Nothing is dropped: a line outside any BAB/Pasal is kept and shown to the drafter.
    warned = {w["text"] for w in p["warnings"]}
    assert all(line in warned for line in p.get("unplaced", []))


@pytest.mark.parametrize("name", sorted(FURNITURE))
def test_only_recognised_furniture_is_removed(name):
    text = corpus_text(name)
    cleaned = clean_text(text)
    by_reason = {}
    for f in cleaned["furniture"]:
        by_reason[f["reason"]] = by_reason.get(f["reason"], 0) + 1
    assert by_reason == FURNITURE[name]
    # Word for word, in order: the source minus exactly those lines is the cleaned text.
    removed = {f["line"] for f in cleaned["furniture"]}
    src = [w for i, ln in enumerate(text.split("\n"), 1) if i not in removed for w in re.findall(r"\w+", ln)]
    out = [w for ln in cleaned["lines"] for w in re.findall(r"\w+", ln)]
    assert out == src


def words(text):
    return re.findall(r"\w+", text)


@pytest.mark.parametrize("name", sorted(HAND) + ["perda_rth.txt", "perwali_ruang_rapat.txt"])
def test_every_word_of_the_source_survives_in_order(name):
    from perda.importer import imported_text

    text = corpus_text(name) if name in HAND else (FIXTURES / name).read_text(encoding="utf-8")
    p = parse_regulation(text)
    removed = {f["line"] for f in p["furniture"]}
    src = [w for i, ln in enumerate(text.split("\n"), 1) if i not in removed for w in words(ln)]
    out = words(imported_text(p))
    if out != src:
        import difflib
        diff = [d for d in difflib.ndiff(src, out) if d[0] in "+-"][:40]
        pytest.fail(f"{name}: {len(src)} source words, {len(out)} imported; first differences: {diff}")


def test_unrecognised_footer_is_kept_and_warned_with_its_line():
    p = parsed("surabaya_perda_13_2003_pemakaman.txt")
    lines = [w["line"] for w in p["warnings"] if w["text"].startswith("C:\\Rizal")]
    assert lines[:2] == [52, 113] and len(lines) >= 10


def test_wrapped_cross_references_start_no_ayat():
    p = parsed("surabaya_perda_13_2003_pemakaman.txt")
    pidana = pasal(p, "20")  # ketentuan pidana: "… Pasal 9 ayat⏎(1) dan (3) …"
    assert [a["num"] for a in pidana["ayat"]] == ["1", "2"]
    assert "Pasal 9 ayat (1) dan (3), Pasal 10" in pidana["ayat"][0]["text"]
    assert [a["num"] for a in pasal(p, "9")["ayat"]] == ["1", "2", "3"]
    assert [a["num"] for a in pasal(p, "11")["ayat"]] == ["1", "2", "3", "4", "5"]
    p = parsed("surabaya_perda_4_2025_pemakaman.txt")
    assert [a["num"] for a in pasal(p, "29")["ayat"]] == ["1", "2", "3"]
    assert [a["num"] for a in pasal(p, "18")["ayat"]] == ["1", "2", "3", "4", "5"]
    assert [a["num"] for a in pasal(p, "21")["ayat"]] == ["1", "2", "3", "4"]
    p = parsed("surabaya_perda_3_2018_parkir.txt")
    assert [len(pasal(p, n)["ayat"]) for n in ("10", "33", "35", "39")] == [5, 3, 3, 2]


def test_penjelasan_layouts_attach_each_entry_to_its_pasal():
    p = parsed("surabaya_perda_4_2025_pemakaman.txt")  # "II. PENJELASAN PASAL DEMI PASAL", ayat entries
    pj = p["penjelasan"]
    assert pj["umum"] and list(pj["pasal"]) == [str(n) for n in range(1, 37)]
    assert pj["pasal"]["21"].startswith("Ayat (1)") and "Ayat (4)" in pj["pasal"]["21"]
    assert pj["pasal"]["22"].strip() != "" and "Ayat (4)" not in pj["pasal"]["22"]
    p = parsed("banjarnegara_perda_8_2025_perubahan_pdrd.txt")  # "PENJELASAN" / "ATAS" on two lines
    assert p["penjelasan"]["pasal"] == {"I": "Cukup jelas.", "II": "Cukup jelas."}


def test_penjelasan_entry_on_one_line():
    pj = parsed("surabaya_perda_3_2018_parkir.txt")["penjelasan"]  # "Pasal 1 : cukup jelas" as published
    assert (pj["pasal"]["1"], pj["pasal"]["8"]) == ("cukup jelas", "cukup jelas.")
    assert pj["pasal"]["9"].startswith("Standar teknis yang dimaksud") and "Pasal 10" not in pj["pasal"]["9"]
    # "Pasal 5 Cukup jelas." on one line (another region's layout), built from a published entry.
    text = corpus_text("surabaya_perda_4_2025_pemakaman.txt")
    text, count = re.subn(r"(\n\s*Pasal 5)\s*\n\s*Cukup jelas\.", r"\1 Cukup jelas.", text)
    assert count == 1
    pj = parse_regulation(text)["penjelasan"]
    assert pj["pasal"]["5"] == "Cukup jelas." and len(pj["pasal"]) == 36


def test_closing_block_of_other_regions():
    pen = parsed("surabaya_perda_4_2025_pemakaman.txt")["penutup"]
    assert (pen["ditetapkan_di"], pen["tanggal_ditetapkan"], pen["nama_penetap"]) == ("Surabaya", "20 Mei 2025", "ERI CAHYADI")
    assert pen["nama_pengundang"] == "Dr. Ikhsan, S.Psi., M.M." and pen["noreg"] == "53 - 4/2025"
    pen = parsed("surabaya_perda_3_2018_parkir.txt")["penutup"]
    assert pen["diundangkan_di"] == "Surabaya" and pen["noreg"] == "133-3/2018"  # not the stray "………"
    p = parsed("banjarnegara_perda_8_2025_perubahan_pdrd.txt")
    pen = p["penutup"]
    assert pen["jabatan_pengundang"] == "Pj. SEKRETARIS DAERAH KABUPATEN BANJARNEGARA"
    assert (pen["nama_penetap"], pen["nama_pengundang"], pen["tanggal_diundangkan"]) == ("AMALIA DESIANA", "TURSIMAN", "30-12-2025")
    assert p["region"] == "Kabupaten Banjarnegara" and p["province"] == "Jawa Tengah"
    p = parsed("bali_pergub_1_2021_perubahan_kelas_jabatan.txt")
    assert (p["region"], p["head_title"], p["penutup"]["nama_penetap"]) == ("Provinsi Bali", "GUBERNUR BALI", "WAYAN KOSTER")
    assert p["penutup"]["lembaran"] == {"jenis": "berita", "tahun": 2021, "nomor": "1"}
    pen = parsed("surabaya_perda_13_2003_pemakaman.txt")["penutup"]
    assert "ditetapkan_di" not in pen and pen["lembaran"]["nomor"] == "5/E" and pen["nama_pengundang"] == "ALISJAHBANA"


@pytest.mark.django_db
def test_saved_import_keeps_its_region_in_pdf_html_and_akn():
    from lxml import etree

    from perda.importer import save_regulation
    from perda.render.akn import render_akn_tree, validate_akn
    from perda.render.html import document_html
    from perda.snapshot import snapshot_build
    from tests.factories import OrgUnitFactory, UserFactory

    user = UserFactory(username="perancang9", is_superuser=True)
    reg = save_regulation(parsed("banjarnegara_perda_8_2025_perubahan_pdrd.txt"), actor=user,
                          pemrakarsa=OrgUnitFactory(), drafter=user)
    reg.refresh_from_db()
    assert (reg.region_name, reg.number, reg.year, reg.gazette_number, reg.tambahan_number) == (
        "Kabupaten Banjarnegara", 8, 2025, 8, 321)
    assert (reg.signer_name, reg.sekda_title, reg.sekda_name) == (
        "AMALIA DESIANA", "Pj. SEKRETARIS DAERAH KABUPATEN BANJARNEGARA", "TURSIMAN")
    html = document_html(snapshot_build(reg))
    assert "PERATURAN DAERAH KABUPATEN BANJARNEGARA" in html and "TANGERANG" not in html
    assert "Ditetapkan di Banjarnegara" in html and "30-12-2025" in html and "AMALIA DESIANA" in html
    assert "Pj. SEKRETARIS DAERAH KABUPATEN BANJARNEGARA," in html and "PROVINSI JAWA TENGAH" in html
    assert "TAMBAHAN LEMBARAN DAERAH KABUPATEN BANJARNEGARA NOMOR 321" in html and "NOREG" not in html
    # The diktum and the order to promulgate as printed (its misprint "Dearah" included), not regenerated.
    assert "PERATURAN DAERAH TENTANG PERUBAHAN ATAS PERATURAN DAERAH NOMOR 8 TAHUN 2023 TENTANG PAJAK" in html
    assert "memerintahkan pengundangan Peraturan Dearah ini dengan penempatannya" in html
    xml = etree.tostring(render_akn_tree(snapshot_build(reg)), encoding="unicode")
    assert "kabupaten-banjarnegara" in xml and "tangerang" not in xml.lower() and "Peraturan Dearah ini" in xml
    validate_akn(xml.encode())


def test_printed_noreg_and_titled_names_are_rendered_as_printed():
    from perda.render.html import document_html
    from perda.samples import sample_snapshot

    pen = parsed("surabaya_perda_4_2025_pemakaman.txt")["penutup"]
    snap = sample_snapshot(3)
    snap["regulation"].update(
        imported_from_text=True, region_name="Kota Surabaya", province_name="Jawa Timur",
        head_title="WALI KOTA SURABAYA", kind_heading="PERATURAN DAERAH KOTA SURABAYA", number=4, year=2025,
        enacted_place=pen["ditetapkan_di"], enacted_date_text=pen["tanggal_ditetapkan"],
        promulgated_place=pen["diundangkan_di"], promulgated_date_text=pen["tanggal_diundangkan"],
        signer_name=pen["nama_penetap"], signer_title=pen["jabatan_penetap"], sekda_title=pen["jabatan_pengundang"],
        sekda_name=pen["nama_pengundang"], gazette_label=pen["lembaran_text"], noreg=pen["noreg"],
        noreg_label=pen["noreg_text"])
    html = document_html(snap)
    assert "NOREG PERATURAN DAERAH KOTA SURABAYA NOMOR 53 - 4/2025" in html and "(53 - 4/2025)" not in html
    donggala = parsed("donggala_perbup_24_2025_perubahan_add.txt")
    assert donggala["menetapkan"].startswith("PERUBAHAN ATAS PERATURAN BUPATI NOMOR 33 TAHUN 2024")
    assert parsed("surabaya_perda_3_2018_parkir.txt")["penutup"]["pengundangan"].endswith("dalam Lembaran Daerah.")
    assert "Dr. Ikhsan, S.Psi., M.M." in html and "20 Mei 2025" in html
    assert "LEMBARAN DAERAH KOTA SURABAYA TAHUN 2025 NOMOR 4" in html and "TANGERANG" not in html


@pytest.mark.django_db
def test_imported_pergub_keeps_its_kind_and_its_own_closing_konsiderans():
    from perda.importer import save_regulation
    from perda.render.akn import render_akn_tree
    from perda.render.html import document_html
    from perda.snapshot import snapshot_build
    from tests.factories import OrgUnitFactory, UserFactory

    user = UserFactory(username="perancang10", is_superuser=True)
    p = parsed("bali_pergub_1_2021_perubahan_kelas_jabatan.txt")
    reg = save_regulation(p, actor=user, pemrakarsa=OrgUnitFactory(), drafter=user)
    snap = snapshot_build(reg)
    assert [k["text"][:40] for k in snap["konsiderans"]][-1] == "bahwa berdasarkan pertimbangan sebagaima"
    html = document_html(snap)
    assert "GUBERNUR BALI" in html and "PERATURAN GUBERNUR BALI" in html and "WALI KOTA" not in html
    assert "pengundangan Peraturan Gubernur ini dengan penempatannya dalam Berita Daerah Provinsi Bali" in html
    assert html.count("bahwa berdasarkan pertimbangan") == 1  # not generated a second time
    assert "BERITA DAERAH PROVINSI BALI TAHUN 2021 NOMOR 1" in html and "NOREG" not in html
    from lxml import etree
    xml = etree.tostring(render_akn_tree(snap), encoding="unicode")
    assert xml.count("bahwa berdasarkan pertimbangan") == 1 and "Gubernur Bali" in xml


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["surabaya_perda_13_2003_pemakaman.txt", "banjarnegara_perda_8_2025_perubahan_pdrd.txt",
                                  "bali_pergub_1_2021_perubahan_kelas_jabatan.txt",
                                  "donggala_perbup_24_2025_perubahan_add.txt"])
def test_saved_import_renders_valid_akoma_ntoso_and_keeps_its_ayat(name):
    from lxml import etree

    from perda.importer import save_regulation
    from perda.models import Provision
    from perda.render.akn import render_akn_tree, validate_akn
    from perda.snapshot import snapshot_build
    from tests.factories import OrgUnitFactory, UserFactory

    user = UserFactory(is_superuser=True)
    p = parsed(name)
    reg = save_regulation(p, actor=user, pemrakarsa=OrgUnitFactory(), drafter=user)
    validate_akn(etree.tostring(render_akn_tree(snapshot_build(reg))))
    rows = list(Provision.objects.filter(regulation=reg, kind="pasal").order_by("id"))
    assert len(rows) == len(list(iter_pasal(p["body"])))
    if name.startswith("surabaya_perda_13"):
        # Ketentuan pidana: once saved, Pasal 20 still has its 2 ayat, the wrapped "ayat⏎(1)" inside the first.
        ayat = list(Provision.objects.filter(parent=rows[19], kind="ayat").order_by("order", "id"))
        assert [a.text[:22] for a in ayat] == ["Barang siapa melakukan", "Perbuatan sebagaimana "]
        assert "Pasal 9 ayat (1) dan (3)" in ayat[0].text
        # Each penjelasan entry is attached to its own Pasal.
        assert rows[7].penjelasan.startswith("Ayat (1) Cukup jelas.\nAyat (2) dimaksud Dokter adalah")
        assert [r.penjelasan for r in rows[6:9:2]] == ["", ""]  # "Cukup jelas." is the default, kept empty


@pytest.mark.django_db
def test_import_page_shows_the_lines_to_check_and_the_closing_block(client):
    from django.urls import reverse

    from perda.models import Regulation
    from tests.factories import OrgUnitFactory, UserFactory
    from workflows.models import OrgUnitKind

    unit = OrgUnitFactory(code="diskominfo", kind=OrgUnitKind.PERANGKAT_DAERAH)
    client.force_login(UserFactory(username="admin-impor2", is_superuser=True))
    text = corpus_text("surabaya_perda_13_2003_pemakaman.txt")
    r = client.post(reverse("perda:regulation_import"), {"text": text, "pemrakarsa": unit.pk})
    body = r.content.decode()
    assert r.status_code == 200 and "24 Pasal" in body and not Regulation.objects.exists()
    assert "Baris 52: <code>C:\\Rizal\\Perda Makam.Hkm</code>" in body  # kept, and the drafter is told where
    assert "14 baris kepala/kaki halaman dibuang" in body
    assert "SEKRETARIS DAERAH KOTA SURABAYA" in body and "LEMBARAN DAERAH KOTA SURABAYA TAHUN 2003 NOMOR 5/E" in body


def test_a_number_inside_the_text_is_not_taken_for_a_page_number():
    text = "Pasal 1\n(1) Tarif ditetapkan sebesar\n2\npersen.\n\n- 2 -\n\n(2) Cukup.\n"
    cleaned = clean_text(text)
    assert "2" in cleaned["lines"] and [f["text"] for f in cleaned["furniture"]] == ["- 2 -"]
    assert [(w["line"], w["text"]) for w in cleaned["warnings"]] == [(3, "2")]  # kept, and the drafter is told
    # Out of the page sequence: kept and shown.
    cleaned = clean_text("a\n\n7\n\nb")
    assert "7" in cleaned["lines"] and cleaned["warnings"][0]["line"] == 3


def test_command_prints_json_and_the_lines_to_check_on_stderr():
    import io
    import json

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    call_command("import_regulation", str(corpus_path("surabaya_perda_13_2003_pemakaman.txt")), stdout=out, stderr=err)
    data = json.loads(out.getvalue())
    assert {"kind", "number", "year", "title", "konsiderans", "dasar_hukum", "body", "penutup", "penjelasan"} <= set(data)
    assert set(data["penjelasan"]) >= {"umum", "pasal"} and len(data["penjelasan"]["pasal"]) == 24
    assert "Periksa baris 52: 'C:\\\\Rizal\\\\Perda Makam.Hkm'" in err.getvalue()


def test_penjelasan_heading_variants_and_a_wrapped_citation():
    text = corpus_text("surabaya_perda_3_2018_parkir.txt")
    base = parse_regulation(text)["penjelasan"]
    variant = (text.replace("PENJELASAN\n                              ATAS", "PENJELASAN ATAS", 1)
               .replace("I. UMUM", "UMUM", 1).replace("II. PASAL DEMI PASAL", "PASAL DEMI PASAL", 1))
    assert variant != text
    pj = parse_regulation(variant)["penjelasan"]
    assert pj["pasal"] == base["pasal"] and pj["umum"] == base["umum"] and len(pj["pasal"]) == 41
    # A citation wrapped so that "Pasal 12" stands alone on a line does not open an entry.
    wrapped = text.replace("      Standar teknis yang dimaksud meliputi:",
                           "      Sebagaimana dimaksud dalam\nPasal 12\n      Standar teknis yang dimaksud meliputi:", 1)
    pj = parse_regulation(wrapped)["penjelasan"]
    assert "Pasal 12" in pj["pasal"]["9"] and pj["pasal"]["12"] == base["pasal"]["12"]


def test_running_header_of_the_regulations_own_heading_at_a_page_break_is_removed():
    text = corpus_text("bali_pergub_1_2021_perubahan_kelas_jabatan.txt")
    # Put the regulation's own heading on top of page 2, as some JDIH copies print it.
    with_header = text.replace("\f", "\f                    PERATURAN GUBERNUR BALI\n", 1)
    cleaned = clean_text(with_header)
    assert [f["reason"] for f in cleaned["furniture"]] == ["kepala halaman (judul peraturan ini)"]
    assert words(" ".join(cleaned["lines"])) == words(" ".join(clean_text(text)["lines"]))
    # The same words elsewhere (not at a page break) are law text and stay.
    inline = text.replace("MEMUTUSKAN:", "PERATURAN GUBERNUR BALI\nMEMUTUSKAN:", 1)
    assert clean_text(inline)["furniture"] == []
