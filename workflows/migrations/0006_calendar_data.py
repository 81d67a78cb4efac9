"""Initial calendar data: the legal deadlines of DOMAIN.md §4 and the cuti bersama of the shipped file.

Later changes are data changes made through the admin (or ``manage.py load_cuti_bersama``), not migrations.
"""
import datetime as dt
import json
from pathlib import Path

from django.db import migrations

CUTI_BERSAMA_FILE = Path(__file__).resolve().parent.parent / "data" / "cuti_bersama.json"

UU_12_2011 = (
    "Undang-Undang Nomor 12 Tahun 2011 tentang Pembentukan Peraturan Perundang-undangan sebagaimana telah "
    "diubah dengan Undang-Undang Nomor 15 Tahun 2019 dan Undang-Undang Nomor 13 Tahun 2022"
)
PERMENDAGRI_80_2015 = (
    "Peraturan Menteri Dalam Negeri Nomor 80 Tahun 2015 tentang Pembentukan Produk Hukum Daerah sebagaimana "
    "telah diubah dengan Peraturan Menteri Dalam Negeri Nomor 120 Tahun 2018"
)

LEGAL_DEADLINES = [
    {
        "code": "harmonisasi", "name": "Pengharmonisasian rancangan Perda oleh Kanwil Kementerian Hukum",
        "days": 5, "day_kind": "working", "to_confirm": True,
        "legal_basis": f"{UU_12_2011}, Pasal 58; peraturan menteri di bidang hukum tentang pengharmonisasian "
                       "rancangan peraturan daerah (jangka waktu perlu dikonfirmasi)",
        "counts_from": "diterimanya permohonan pengharmonisasian yang lengkap oleh Kanwil Kementerian Hukum",
        "effective_from": dt.date(2022, 6, 16),
        "note": "Target layanan sekitar 5 hari kerja (DOMAIN.md §4, perlu dikonfirmasi).",
    },
    {
        "code": "fasilitasi", "name": "Fasilitasi rancangan Perda oleh Gubernur",
        "days": 15, "day_kind": "working", "to_confirm": True,
        "legal_basis": f"{PERMENDAGRI_80_2015}, ketentuan tentang fasilitasi (pasal perlu dikonfirmasi)",
        "counts_from": "diterimanya rancangan Perda secara lengkap oleh Gubernur (Biro Hukum)",
        "effective_from": dt.date(2015, 1, 1),
        "note": "Sekitar 15 hari kerja (DOMAIN.md §4, perlu dikonfirmasi).",
    },
    {
        "code": "penyampaian-dprd", "name": "Penyampaian rancangan Perda yang disetujui bersama kepada Wali Kota",
        "days": 7, "day_kind": "calendar", "to_confirm": False,
        "legal_basis": f"{UU_12_2011}, Pasal 78 ayat (2) jo. Pasal 80: paling lama 7 (tujuh) hari",
        "counts_from": "tanggal persetujuan bersama DPRD dan Wali Kota",
        "effective_from": dt.date(2011, 8, 12),
        "note": "Disampaikan oleh pimpinan DPRD.",
    },
    {
        "code": "evaluasi-penyempurnaan", "name": "Penyempurnaan rancangan Perda sesuai hasil evaluasi Gubernur",
        "days": 7, "day_kind": "calendar", "to_confirm": False,
        "legal_basis": "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (ketentuan evaluasi "
                       f"rancangan Perda); {PERMENDAGRI_80_2015}: paling lama 7 (tujuh) hari",
        "counts_from": "diterimanya hasil evaluasi yang menyatakan rancangan Perda belum sesuai",
        "effective_from": dt.date(2014, 10, 2),
        "note": "Hanya untuk Perda APBD, pajak, retribusi, tata ruang, RPJPD/RPJMD. Nomor pasal perlu dicek.",
    },
    {
        "code": "noreg-penyampaian", "name": "Penyampaian rancangan Perda kepada Gubernur untuk noreg",
        "days": 3, "day_kind": "calendar", "to_confirm": False,
        "legal_basis": f"{PERMENDAGRI_80_2015}: paling lama 3 (tiga) hari",
        "counts_from": "diterimanya rancangan Perda dari pimpinan DPRD oleh Wali Kota",
        "effective_from": dt.date(2015, 1, 1),
        "note": "Nomor pasal perlu dicek.",
    },
    {
        "code": "noreg-penerbitan", "name": "Pemberian nomor register (noreg) oleh Gubernur",
        "days": 7, "day_kind": "calendar", "to_confirm": False,
        "legal_basis": f"{PERMENDAGRI_80_2015}: paling lama 7 (tujuh) hari",
        "counts_from": "diterimanya rancangan Perda oleh Gubernur",
        "effective_from": dt.date(2015, 1, 1),
        "note": "Nomor pasal perlu dicek.",
    },
    {
        "code": "penetapan", "name": "Penetapan (penandatanganan) Perda oleh Wali Kota",
        "days": 30, "day_kind": "calendar", "to_confirm": False,
        "legal_basis": f"{UU_12_2011}, Pasal 79 jo. Pasal 80: paling lama 30 (tiga puluh) hari; bila tidak "
                       "ditandatangani, Perda sah dan wajib diundangkan",
        "counts_from": "tanggal persetujuan bersama DPRD dan Wali Kota",
        "effective_from": dt.date(2011, 8, 12),
        "note": 'Lewat tenggat: diundangkan dengan kalimat "Peraturan Daerah ini dinyatakan sah."',
    },
]


def load(apps, schema_editor):
    LegalDeadline = apps.get_model("workflows", "LegalDeadline")
    NonWorkingDay = apps.get_model("workflows", "NonWorkingDay")
    for spec in LEGAL_DEADLINES:
        LegalDeadline.objects.update_or_create(
            code=spec["code"], effective_from=spec["effective_from"],
            defaults={k: v for k, v in spec.items() if k not in ("code", "effective_from")},
        )
    with open(CUTI_BERSAMA_FILE, encoding="utf-8") as fh:
        data = json.load(fh)
    for block in data["years"]:
        for day in block["days"]:
            NonWorkingDay.objects.get_or_create(
                date=dt.date.fromisoformat(day["date"]),
                defaults={
                    "kind": day.get("kind", "cuti_bersama"),
                    "name": day["name"],
                    "legal_basis": day.get("legal_basis", block["legal_basis"]),
                    "to_confirm": bool(day.get("to_confirm") or block.get("legal_basis_to_confirm")),
                },
            )


class Migration(migrations.Migration):

    dependencies = [
        ("workflows", "0005_calendar"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
