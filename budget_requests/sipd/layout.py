"""The column layouts of the files exchanged with SIPD penatausahaan (documented in budget_requests/README.md).

Export (SPP-LS/SPM, one row per SPM): the fields an SKPD operator keys into SIPD for an SPP-LS and its SPM, in
that order. Import (SP2D, one row per SP2D): the columns of SIPD's SP2D list; headers are matched loosely
(case, spaces and punctuation ignored, a few common spellings accepted) because SIPD's export headers are not
published as a fixed standard.
"""
from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

MONEY, DATE, TEXT = "money", "date", "text"

# (key, header, kind). The key is the name used in the stored export line and in the code.
EXPORT_COLUMNS: list[tuple[str, object, str]] = [
    ("nomor_spp", _("Nomor SPP"), TEXT),
    ("tanggal_spp", _("Tanggal SPP"), DATE),
    ("nomor_spm", _("Nomor SPM"), TEXT),
    ("tanggal_spm", _("Tanggal SPM"), DATE),
    ("jenis", _("Jenis SPP/SPM"), TEXT),
    ("kode_unit", _("Kode unit"), TEXT),
    ("unit", _("Unit (SKPD/sub unit)"), TEXT),
    ("sub_kegiatan", _("Kode sub kegiatan"), TEXT),
    ("nama_sub_kegiatan", _("Nama sub kegiatan"), TEXT),
    ("kode_rekening", _("Kode rekening"), TEXT),
    ("nama_rekening", _("Nama rekening"), TEXT),
    ("uraian", _("Uraian"), TEXT),
    ("nilai", _("Nilai bruto (Rp)"), MONEY),
    ("ppn", _("PPN (Rp)"), MONEY),
    ("pph", _("PPh (Rp)"), MONEY),
    ("pasal_pph", _("Pasal PPh"), TEXT),
    ("nilai_bersih", _("Nilai bersih (Rp)"), MONEY),
    ("pihak_ketiga", _("Pihak ketiga"), TEXT),
    ("npwp", _("NPWP"), TEXT),
    ("bank", _("Bank"), TEXT),
    ("rekening", _("Nomor rekening"), TEXT),
    ("nomor_kontrak", _("Nomor kontrak"), TEXT),
    ("tanggal_kontrak", _("Tanggal kontrak"), DATE),
    ("bukti", _("Bukti"), TEXT),
    ("nomor_permohonan", _("Nomor permohonan Pamong"), TEXT),
]

# SP2D import: key -> (label for messages, accepted header spellings after ``header_key``, required).
SP2D_COLUMNS: dict[str, tuple[object, tuple[str, ...], bool]] = {
    "sp2d_number": (_("Nomor SP2D"), ("nomorsp2d", "nosp2d", "sp2d"), True),
    "sp2d_date": (_("Tanggal SP2D"), ("tanggalsp2d", "tglsp2d"), True),
    "amount": (_("Nilai"), ("nilai", "nilaisp2d", "nilaibruto", "jumlah"), True),
    "spm_number": (_("Nomor SPM"), ("nomorspm", "nospm", "spm"), True),
    "payee_name": (_("Pihak ketiga"), ("pihakketiga", "namapihakketiga", "penerima", "namapenerima"), False),
    "payee_npwp": (_("NPWP"), ("npwp", "npwppihakketiga", "npwppenerima"), False),
    "deductions": (_("Potongan"), ("potongan", "jumlahpotongan", "nilaipotongan"), False),
}


def header_key(text) -> str:
    """A header reduced to lowercase letters and digits ("Nomor SP2D" and "nomor_sp2d" → "nomorsp2d")."""
    return re.sub(r"[^0-9a-z]", "", str(text or "").lower())
