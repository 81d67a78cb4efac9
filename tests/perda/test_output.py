"""PDF (one shared render per snapshot), HTML frame and Akoma Ntoso output."""
import io
import json
import re

import pytest
from django.core.management import call_command

from perda.render.akn import akn_errors, render_akn
from perda.render.html import render_html
from perda.render.pdf import snapshot_pdf
from perda.samples import sample_snapshot

ENACTED = sample_snapshot(6, enacted=True)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def enacted_pdf():
    return snapshot_pdf(ENACTED)


@pytest.fixture(scope="module")
def enacted_text(enacted_pdf):
    return re.sub(r"\s+", " ", _pdf_text(enacted_pdf))


FIXED_PHRASES = [
    "WALI KOTA TANGERANG SELATAN",
    "PROVINSI BANTEN",
    "PERATURAN DAERAH KOTA TANGERANG SELATAN",
    "NOMOR 4 TAHUN 2026",
    "TENTANG",
    "PENYELENGGARAAN KOTA CERDAS",
    "DENGAN RAHMAT TUHAN YANG MAHA ESA",
    "WALI KOTA TANGERANG SELATAN,",
    "Menimbang",
    "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu membentuk Peraturan Daerah tentang Penyelenggaraan Kota Cerdas;",
    "Mengingat",
    "Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;",
    "Dengan Persetujuan Bersama",
    "DEWAN PERWAKILAN RAKYAT DAERAH KOTA TANGERANG SELATAN",
    "dan",
    "MEMUTUSKAN:",
    "Menetapkan",
    "PERATURAN DAERAH TENTANG PENYELENGGARAAN KOTA CERDAS.",
    "BAB I",
    "KETENTUAN UMUM",
    "Pasal 1",
    "Dalam Peraturan Daerah ini yang dimaksud dengan:",
    "1. Daerah adalah Kota Tangerang Selatan.",
    "KETENTUAN PENUTUP",
    "Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.",
    "Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Daerah ini dengan penempatannya dalam Lembaran Daerah Kota Tangerang Selatan.",
    "Ditetapkan di Tangerang Selatan",
    "pada tanggal 10 Maret 2026",
    "WALI KOTA TANGERANG SELATAN,",
    "BENYAMIN DAVNIE",
    "Diundangkan di Tangerang Selatan",
    "pada tanggal 12 Maret 2026",
    "SEKRETARIS DAERAH KOTA TANGERANG SELATAN,",
    "BAMBANG NOERTJAHJO",
    "LEMBARAN DAERAH KOTA TANGERANG SELATAN TAHUN 2026 NOMOR 4",
    "NOREG PERATURAN DAERAH KOTA TANGERANG SELATAN, PROVINSI BANTEN: (4-31/2026)",
    "PENJELASAN",
    "ATAS",
    "PERATURAN DAERAH KOTA TANGERANG SELATAN",
    "NOMOR 4 TAHUN 2026",
    "I. UMUM",
    "II. PASAL DEMI PASAL",
    "Pasal 1",
    "Cukup jelas.",
    "TAMBAHAN LEMBARAN DAERAH KOTA TANGERANG SELATAN NOMOR 112",
]


def test_pdf_contains_the_fixed_phrases_in_order(enacted_text):
    pos = 0
    for phrase in FIXED_PHRASES:
        found = enacted_text.find(phrase, pos)
        assert found >= 0, f"missing after position {pos}: {phrase!r}\n…{enacted_text[pos:pos + 300]}"
        pos = found + len(phrase)


def test_pdf_is_f4_with_the_shipped_bookman_and_no_watermark_once_enacted(enacted_pdf, enacted_text):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(enacted_pdf))
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 215 and round(float(box.height) / 72 * 25.4) == 330
    fonts = {f.get_object()["/BaseFont"] for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert any("Pamong-Bookman" in str(f) for f in fonts)
    assert "RANCANGAN" not in enacted_text


def test_draft_html_has_watermark_and_perwali_wording():
    draft = sample_snapshot(4, kind="perwali", title="Tarif Layanan Data")
    html = render_html(draft)
    assert '<div class="watermark">RANCANGAN</div>' in html
    assert "PERATURAN WALI KOTA TANGERANG SELATAN" in html
    assert "perlu menetapkan Peraturan Wali Kota tentang Tarif Layanan Data;" in html
    assert "Dengan Persetujuan Bersama" not in html
    assert "BERITA DAERAH KOTA TANGERANG SELATAN TAHUN" in html and "NOREG" not in html
    assert "Berita Daerah Kota Tangerang Selatan." in html


def test_user_text_is_escaped_in_html():
    snap = sample_snapshot(3)
    snap["konsiderans"][0]["text"] = "bahwa <script>alert(1)</script>;"
    html = render_html(snap)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_dinyatakan_sah_replaces_the_signature():
    snap = sample_snapshot(3, enacted=True)
    snap["regulation"]["dinyatakan_sah"] = True
    html = render_html(snap)
    assert "Peraturan Daerah ini dinyatakan sah." in html and "BENYAMIN DAVNIE" not in html


def test_reference_renders_as_citation():
    html = render_html(sample_snapshot(8))
    assert "sebagaimana dimaksud dalam <a class=\"ref\"" in html and "Pasal 2 ayat (2) huruf b</a>" in html


@pytest.mark.parametrize("snap", [sample_snapshot(12), sample_snapshot(5, enacted=True),
                                  sample_snapshot(3, kind="perwali", title="Tarif")])
def test_akoma_ntoso_validates_against_the_official_schema(snap):
    xml = render_akn(snap)
    assert akn_errors(xml) == []
    text = xml.decode()
    assert '<FRBRlanguage language="ind"/>' in text
    assert "<recital" in text and "<citation" in text and "<article" in text and "<conclusions>" in text
    assert '<ref href="#art_2__para_2__point_b">' in text or snap["regulation"]["kind"] == "perwali" or "[[ref" not in json.dumps(snap)


def test_invalid_akn_is_reported():
    xml = render_akn(sample_snapshot(3)).replace(b"<preface>", b"<preface><bogus/>")
    assert akn_errors(xml)


@pytest.mark.django_db
def test_export_akn_command(tmp_path):
    from perda.samples import sample_fill
    from tests.perda.doc_factories import RegulationFactory

    regs = [RegulationFactory(), RegulationFactory(kind="perwali")]
    for r in regs:
        sample_fill(regulation=r, pasal_count=5, bulk=True)
    out = io.StringIO()
    call_command("export_akn", str(regs[0].pk), stdout=out)
    assert out.getvalue().startswith("<?xml") and "<akomaNtoso" in out.getvalue()
    call_command("export_akn", "--all", str(tmp_path), stderr=io.StringIO())
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [f"regulation-{r.pk}.akn.xml" for r in regs]
    assert akn_errors((tmp_path / files[1]).read_bytes()) == []


@pytest.mark.django_db
def test_export_akn_of_the_demo_data_validates(tangsel, tmp_path):
    from perda.models import Regulation
    from perda.seed import seed_demo

    seed_demo()
    raperda = Regulation.objects.get(title__icontains="Kota Cerdas")
    assert Regulation.objects.count() >= 2
    call_command("export_akn", "--all", str(tmp_path), stderr=io.StringIO())  # validates each, raises if not
    xml = (tmp_path / f"regulation-{raperda.pk}.akn.xml").read_bytes()
    assert akn_errors(xml) == [] and b"Kota Cerdas" in xml and b"<article" in xml


def test_redline_pdf_marks_words():
    import copy

    from perda.redline import redline_pdf

    a = sample_snapshot(3)
    b = copy.deepcopy(a)
    b["body"][1]["children"][0]["text"] = "Teks yang benar-benar baru."
    text = re.sub(r"\s+", " ", _pdf_text(redline_pdf(a, b, label_a="v1", label_b="v2")))
    assert "Perbandingan v1 → v2" in text and "diubah" in text and "benar-benar baru" in text


def test_pdf_cache_answers_an_unchanged_text_without_rendering(monkeypatch):
    from perda.render import pdf as pdf_module

    calls = []
    monkeypatch.setattr(pdf_module, "html_to_pdf", lambda html: calls.append(html) or b"%PDF-fake")
    snap = sample_snapshot(3)
    snap["regulation"]["title"] = "Uji Tembolok PDF"
    assert pdf_module.cached_snapshot_pdf(snap) == b"%PDF-fake"
    assert pdf_module.cached_snapshot_pdf(snap) == b"%PDF-fake"
    snap["body"][1]["children"][0]["text"] = "Teks lain."
    pdf_module.cached_snapshot_pdf(snap)
    assert len(calls) == 2
