"""The installation's region comes from ``settings.PAMONG_REGION``: a city draft rendered under another region's
settings names that region everywhere (frame, signing place, head's office, formation law) and never Tangerang
Selatan, while an imported regulation of a third region keeps the region printed in it."""
from __future__ import annotations

import io
import re

import pytest

from perda.render.html import render_html
from perda.render.pdf import snapshot_pdf
from perda.samples import sample_snapshot
from workflows.region import current_region

BANDUNG = {
    "kind": "kabupaten", "name": "Bandung", "province": "Jawa Barat", "capital": "Soreang",
    "province_capital": "Bandung",
    "formation_law": "Undang-Undang Nomor 14 Tahun 1950 tentang Pembentukan Daerah-daerah Kabupaten dalam "
                     "Lingkungan Propinsi Djawa Barat;",
}


@pytest.fixture
def bandung(settings):
    settings.PAMONG_REGION = BANDUNG
    return current_region()


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_default_region_is_tangerang_selatan():
    region = current_region()
    assert region.full_name == "Kota Tangerang Selatan"
    assert region.head_office == "Wali Kota Tangerang Selatan"
    assert region.governor == "Gubernur Banten" and region.province_capital == "Serang"


def test_region_kind_decides_the_head(bandung):
    assert bandung.full_name == "Kabupaten Bandung"
    assert bandung.head_office == "Bupati Bandung"
    assert bandung.province_government == "Pemerintah Provinsi Jawa Barat"


def test_unknown_region_kind_is_refused(settings):
    settings.PAMONG_REGION = {**BANDUNG, "kind": "desa"}
    with pytest.raises(ValueError):
        current_region()


def test_city_draft_pdf_names_the_configured_region_only(bandung):
    snapshot = sample_snapshot(6, enacted=True)
    html = render_html(snapshot)
    text = _pdf_text(snapshot_pdf(snapshot))
    for out in (html, text):
        assert "Tangerang" not in out and "Banten" not in out and "BANTEN" not in out
    for phrase in ("BUPATI BANDUNG", "PROVINSI JAWA BARAT", "PERATURAN DAERAH KABUPATEN BANDUNG",
                   "DEWAN PERWAKILAN RAKYAT DAERAH KABUPATEN BANDUNG", "Ditetapkan di Soreang",
                   "Diundangkan di Soreang", "Lembaran Daerah Kabupaten Bandung", "Daerah adalah Kabupaten Bandung.",
                   "Pembentukan Daerah-daerah Kabupaten"):
        assert phrase in text, phrase


def test_city_perwali_is_the_heads_regulation_of_the_configured_region(bandung):
    html = render_html(sample_snapshot(4, kind="perwali", enacted=True))
    assert "PERATURAN BUPATI BANDUNG" in html and "Berita Daerah Kabupaten Bandung" in html
    assert "Tangerang" not in html


def test_kabupaten_perwali_closing_konsiderans_names_the_bupati(bandung):
    from perda.numbering import konsiderans_closing
    from perda.render.akn import render_akn

    assert konsiderans_closing(2, "perwali", "Tarif Layanan") == (
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu menetapkan "
        "Peraturan Bupati tentang Tarif Layanan;")
    # A Perda's closing names no head: it is the same in a kota and a kabupaten.
    assert konsiderans_closing(1, "perda", "X").endswith("perlu membentuk Peraturan Daerah tentang X;")
    snapshot = sample_snapshot(4, kind="perwali", title="Tarif Layanan", enacted=True)
    closing = "perlu menetapkan Peraturan Bupati tentang Tarif Layanan;"
    html = render_html(snapshot)
    akn = render_akn(snapshot).decode()
    for out in (html, akn):
        assert closing in out and "Wali Kota" not in out


def test_kota_perwali_closing_konsiderans_names_the_wali_kota():
    from perda.numbering import konsiderans_closing

    assert konsiderans_closing(0, "perwali", "X") == "bahwa perlu menetapkan Peraturan Wali Kota tentang X;"
    # The renderers name the head of the regulation's own region, given explicitly.
    assert konsiderans_closing(0, "perwali", "X", head="Bupati") == "bahwa perlu menetapkan Peraturan Bupati tentang X;"


def test_imported_regulation_keeps_its_own_region(bandung):
    snapshot = sample_snapshot(4, enacted=True)
    snapshot["regulation"].update(region_name="Kota Surabaya", province_name="Jawa Timur",
                                  head_title="WALI KOTA SURABAYA,")
    html = render_html(snapshot)
    assert "PERATURAN DAERAH KOTA SURABAYA" in html and "PROVINSI JAWA TIMUR" in html
    assert "Ditetapkan di Surabaya" in html
    assert "BUPATI BANDUNG" not in html and "Soreang" not in html


def test_kabupaten_sample_draft_refers_to_a_peraturan_bupati(bandung):
    html = render_html(sample_snapshot(12, enacted=True))
    assert "diatur dengan Peraturan Bupati." in html and "Wali Kota" not in html


def test_kabupaten_perwali_kind_label_and_metadata(bandung, db):
    from perda.metadata import kind_meta, sumber_text
    from perda.models import Regulation

    reg = Regulation(kind="perwali", title="Tarif", year=2026, gazette_number=3)
    assert reg.kind_label == "Peraturan Bupati" and str(reg) == "Peraturan Bupati tentang Tarif"
    assert (kind_meta(reg).singkatan, sumber_text(reg, 4)) == ("PERBUP", "BD 2026 (3) : 4 hlm.")
    # A Perda names no head; an imported Perwali of a kota keeps its Wali Kota.
    assert Regulation(kind="perda").kind_label == "Peraturan Daerah"
    assert Regulation(kind="perwali", region_name="Kota Surabaya").kind_label == "Peraturan Wali Kota"
