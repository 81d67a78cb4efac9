"""The metadata a published regulation must carry in the JDIH, and what Pamong suggests for it.

Permenkumham 8/2019 (Standar Pengelolaan Dokumen dan Informasi Hukum) sets, in its Lampiran, the metadata of a
legal document of the kind "peraturan perundang-undangan": tipe dokumen, judul, T.E.U. badan, nomor, jenis
(bentuk) and its abbreviation, tempat and tanggal penetapan, tanggal pengundangan, sumber, subjek, status,
bahasa, lokasi, bidang hukum, and the document file itself. Members of the JDIHN are assessed on it every year
(Perpres 33/2012 Ps. 8 jo. Permenkumham 8/2019).

Each rule below is one row: what it checks, the field's Indonesian name (the refusal names it), its legal
basis, whether it is required, and whether the reading needs confirmation. ``formation_publish`` refuses to
publish while a required rule is unmet (``missing_metadata``). Adding or relaxing a rule is a row here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from django.utils.translation import gettext_lazy as _

from workflows.region import current_region, head_title_of

from .models import Regulation

BASIS = "Permenkumham 8/2019, Lampiran (metadata peraturan perundang-undangan)"
BASIS_JDIHN = "Permenkumham 8/2019 jo. ketentuan integrasi data JDIHN"


@dataclass(frozen=True)
class MetadataRule:
    key: str
    label: object  # lazy Indonesian name, shown in the refusal and on the JDIH page
    present: Callable[[Regulation], bool]
    legal_basis: str
    required: bool = True
    to_confirm: bool = False


def _text(field: str) -> Callable[[Regulation], bool]:
    return lambda reg: bool((getattr(reg, field) or "").strip())


def _value(field: str) -> Callable[[Regulation], bool]:
    return lambda reg: getattr(reg, field) is not None


RULES: tuple[MetadataRule, ...] = (
    MetadataRule("judul", _("Judul"), _text("title"), BASIS),
    MetadataRule("teu_badan", _("T.E.U. badan"), _text("teu_badan"), BASIS),
    MetadataRule("nomor", _("Nomor peraturan"), _value("number"), BASIS),
    MetadataRule("tahun", _("Tahun"), _value("year"), BASIS),
    MetadataRule("tempat_terbit", _("Tempat penetapan (tempat terbit)"), _text("tempat_terbit"), BASIS),
    MetadataRule("tanggal_penetapan", _("Tanggal penetapan"), _value("enacted_on"), BASIS),
    MetadataRule("tanggal_pengundangan", _("Tanggal pengundangan"), _value("promulgated_on"), BASIS),
    MetadataRule("sumber", _("Sumber"), _text("sumber"), BASIS),
    MetadataRule("subjek", _("Subjek"), _text("subjek"), BASIS),
    MetadataRule("bahasa", _("Bahasa"), _text("bahasa"), BASIS),
    MetadataRule("lokasi", _("Lokasi"), _text("lokasi"), BASIS),
    # Some member guides call the field optional ("menyesuaikan kebutuhan instansi"): required here, to confirm.
    MetadataRule("bidang_hukum", _("Bidang hukum"), _text("bidang_hukum"), BASIS, to_confirm=True),
    MetadataRule("berkas", _("Berkas peraturan (PDF)"), lambda reg: bool(reg.enacted_pdf), BASIS),
    # The JDIHN feed carries a publisher; for a regulation (not a monograph) integration guides allow it empty.
    MetadataRule("penerbit", _("Penerbit"), _text("penerbit"), BASIS_JDIHN, required=False, to_confirm=True),
    # An abstract is written for regulations of some length; which ones need one is to be confirmed.
    MetadataRule("abstrak", _("Abstrak"), _text("abstrak"), BASIS, required=False, to_confirm=True),
)


def missing_metadata(regulation: Regulation) -> list[MetadataRule]:
    """The required rules ``regulation`` does not meet yet, in the order of the Lampiran."""
    return [rule for rule in RULES if rule.required and not rule.present(regulation)]


# --- suggestions Bagian Hukum confirms ----------------------------------------------------------------

@dataclass(frozen=True)
class KindMeta:
    """How the JDIH names a regulation kind: its jenis, abbreviation, and the gazette it is promulgated in."""

    jenis: str
    singkatan: str
    gazette_abbr: str


PERDA_META = KindMeta("Peraturan Daerah", "PERDA", "LD")
# The head's own regulation is named after the head of its region (UU 12/2011 Ps. 8; the JDIHN's jenis):
# Peraturan Wali Kota (Perwali), Peraturan Bupati (Perbup), Peraturan Gubernur (Pergub) of an imported text.
HEAD_ABBR = {"Wali Kota": "PERWALI", "Bupati": "PERBUP", "Gubernur": "PERGUB"}
HEAD_WORDS = {"WALIKOTA": "Wali Kota", "BUPATI": "Bupati", "GUBERNUR": "Gubernur"}
RE_HEAD_HEADING = re.compile(r"^PERATURAN\s+(WALI\s*KOTA|BUPATI|GUBERNUR)\b", re.I)


def head_title(regulation: Regulation | None = None) -> str:
    """Whose regulation a Perwali is: the head its imported heading prints ("PERATURAN BUPATI DONGGALA" →
    "Bupati"), else the head of its stored region ("Kabupaten Donggala"), else the installation's head."""
    if regulation is None:
        return head_title_of("")
    printed = RE_HEAD_HEADING.match((regulation.kind_heading or "").strip())
    if printed:
        return HEAD_WORDS[re.sub(r"\s+", "", printed.group(1)).upper()]
    return head_title_of(regulation.region_name)


def kind_meta(regulation: Regulation) -> KindMeta:
    """The jenis, abbreviation and gazette of ``regulation``: a Perda, or the head's regulation of its own
    region ("Peraturan Bupati", "PERBUP", Berita Daerah)."""
    if regulation.kind == "perda":
        return PERDA_META
    head = head_title(regulation)
    return KindMeta(f"Peraturan {head}", HEAD_ABBR[head], "BD")


def region_parts(regulation: Regulation | None = None) -> tuple[str, str]:
    """("Kota", "Tangerang Selatan"): the region printed in an imported text of another region, else the
    installation's region (``workflows.region``)."""
    printed = (regulation.region_name if regulation is not None else "").strip()
    if not printed:
        region = current_region()
        return region.kind_label, region.name
    for level in ("Kota", "Kabupaten", "Provinsi"):
        if printed.startswith(level + " "):
            return level, printed[len(level) + 1:]
    return "", printed


def teu_badan_default(regulation: Regulation | None = None) -> str:
    """The tajuk entri utama of a regional government: the region's name, its level in parentheses."""
    level, place = region_parts(regulation)
    return f"{place} ({level})" if level else place


def sumber_text(regulation: Regulation, pages: int | None) -> str:
    """"LD 2026 (12) : 10 hlm." — the gazette, its year and number, and the page count of the document."""
    abbr = kind_meta(regulation).gazette_abbr
    text = f"{abbr} {regulation.year or '…'} ({regulation.gazette_number or '…'})"
    return f"{text} : {pages} hlm." if pages else text


def pdf_pages(regulation: Regulation) -> int | None:
    """The page count of the frozen PDF, or None while it is not rendered (or unreadable)."""
    if not regulation.enacted_pdf:
        return None
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        with regulation.enacted_pdf.open("rb") as fh:
            return len(PdfReader(fh).pages)
    except (OSError, PdfReadError):
        return None


def metadata_suggestions(regulation: Regulation) -> dict[str, str]:
    """Initial values of the metadata form: the stored value where there is one, else what the facts give."""
    region = current_region()
    defaults = {
        "teu_badan": teu_badan_default(regulation),
        # An imported text names its own place of enactment (``enacted_place``); ours is the region's capital.
        "tempat_terbit": regulation.enacted_place or region.capital,
        "penerbit": f"Bagian Hukum Sekretariat Daerah {region.full_name}",
        "sumber": sumber_text(regulation, pdf_pages(regulation)),
        "bahasa": "Indonesia",
        "lokasi": f"Bagian Hukum Sekretariat Daerah {region.full_name}",
    }
    return {field: getattr(regulation, field) or defaults.get(field, "") for field in METADATA_FIELDS}


# The stored fields the form edits (``perda.services.jdih.jdih_metadata_update``).
METADATA_FIELDS: tuple[str, ...] = (
    "teu_badan", "tempat_terbit", "penerbit", "sumber", "subjek", "bahasa", "bidang_hukum", "lokasi", "abstrak",
)
