"""The closing block of real rendered PDFs, read back page by page with poppler's pdftotext (pypdf where
poppler is not installed): NOREG never stands alone on a page, "Diundangkan di" sits on the left under the
penetapan block (Lampiran II), and a Perwali has a PENJELASAN only when it has one."""
from __future__ import annotations

import html
import io
import re
import shutil
import subprocess

import pytest

from perda.render.pdf import snapshot_pdf
from perda.samples import sample_snapshot

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>')


def pdf_pages(data: bytes) -> list[list[tuple[str, float, float]]]:
    """Each page's words with their left x and top y (points)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True).stdout
        pages = out.decode().split("<page ")[1:]
        return [[(html.unescape(w), float(x), float(y)) for x, y, w in WORD.findall(p)] for p in pages]
    from pypdf import PdfReader

    result = []
    for page in PdfReader(io.BytesIO(data)).pages:
        words: list[tuple[str, float, float]] = []
        height = float(page.mediabox.height)

        def visit(text, cm, tm, font, size, words=words):
            x, y = cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]
            for w in text.split():
                words.append((w, x, height - y))
        page.extract_text(visitor_text=visit)
        result.append(words)
    return result


def page_text(words) -> str:
    return " ".join(w for w, _x, _y in words)


@pytest.fixture(scope="module")
def closing_pages():
    # Six Pasal: the closing block falls at the foot of page 3, where the gazette and NOREG lines used to be
    # pushed alone onto page 4.
    return pdf_pages(snapshot_pdf(sample_snapshot(6, enacted=True)))


def test_noreg_never_stands_alone_on_a_page(closing_pages):
    noreg_pages = [words for words in closing_pages if "NOREG" in page_text(words)]
    assert len(noreg_pages) == 1
    text = page_text(noreg_pages[0])
    assert "Diundangkan di Tangerang Selatan" in text and "BAMBANG NOERTJAHJO" in text
    assert "LEMBARAN DAERAH KOTA TANGERANG SELATAN TAHUN 2026" in text
    assert "Ditetapkan di Tangerang Selatan" in text and "BENYAMIN DAVNIE" in text


def test_diundangkan_block_sits_left_under_the_penetapan_block(closing_pages):
    words = next(w for w in closing_pages if "NOREG" in page_text(w))
    first = {w: (x, y) for w, x, y in reversed(words)}
    left_margin = min(x for _w, x, _y in words if _w not in ("-",) and not _w.strip("-").isdigit())
    ditetapkan, diundangkan = first["Ditetapkan"], first["Diundangkan"]
    assert diundangkan[1] > ditetapkan[1]  # below the penetapan block
    assert abs(diundangkan[0] - left_margin) < 2  # at the left margin
    assert ditetapkan[0] > diundangkan[0] + 100  # the penetapan block stays on the right
    assert first["LEMBARAN"][1] > diundangkan[1] and first["NOREG"][1] > first["LEMBARAN"][1]


def _walk(nodes):
    for n in nodes:
        yield n
        yield from _walk(n.get("children") or [])


def _perwali(**penjelasan):
    snap = sample_snapshot(3, kind="perwali", title="Tarif Layanan Wi-Fi Publik", enacted=True)
    snap["penjelasan_umum"] = penjelasan.get("umum", "")
    for node in _walk(snap["body"]):
        node["penjelasan"] = ""
    if penjelasan.get("ayat"):
        next(n for n in _walk(snap["body"]) if n["kind"] == "ayat")["penjelasan"] = penjelasan["ayat"]
    return snap


def test_perwali_has_a_penjelasan_only_when_it_has_one():
    without = page_text([w for page in pdf_pages(snapshot_pdf(_perwali())) for w in page])
    assert "PENJELASAN" not in without and "TAMBAHAN" not in without
    assert "BERITA DAERAH KOTA TANGERANG SELATAN TAHUN 2026 NOMOR 4" in without
    # an explanation of a single ayat is a penjelasan too
    pages = pdf_pages(snapshot_pdf(_perwali(ayat="Yang dimaksud dengan tarif adalah biaya per jam.")))
    text = page_text([w for page in pages for w in page])
    assert "PENJELASAN ATAS PERATURAN WALI KOTA TANGERANG SELATAN" in text
    assert "Yang dimaksud dengan tarif adalah biaya per jam." in text
    assert "TAMBAHAN BERITA DAERAH KOTA TANGERANG SELATAN NOMOR" in text
    assert "NOREG" not in text


def test_imported_published_regulation_carries_no_draft_watermark():
    from perda.render.html import render_html
    from tests.perda.test_akn import _imported

    snap = _imported()
    assert 'class="watermark"' not in render_html(snap)
    snap["regulation"]["imported_from_text"] = False  # an own draft without promulgation date stays a draft
    snap["regulation"]["promulgated_on"] = None
    assert 'class="watermark">RANCANGAN' in render_html(snap)
