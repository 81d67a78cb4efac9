"""Every legal deadline says how its days are counted, from which article, in which words.

A correction of how the seeded rules were read, not a change of the law: the rules keep their code and
``effective_from``, so deadlines already running are recounted the right way.

* Permendagri 80/2015 (as amended by Permendagri 120/2018) writes "Hari" with a capital H where it sets the
  noreg and evaluasi deadlines (Pasal 99 ayat (2), Pasal 100 ayat (2), Pasal 102): a term its Pasal 1 defines
  as a working day ("Hari adalah hari kerja."). UU 23/2014 Pasal 242 uses the same defined "Hari". Those
  deadlines count working days: noreg can no longer fall due on Idul Fitri or a cuti bersama day.
* Handover to the Wali Kota (7 days) and penetapan (30 days) are set both by UU 12/2011 Pasal 78–80, which
  writes "hari" and defines no such term (calendar days), and by UU 23/2014 Pasal 242, which writes the
  defined "Hari" (working days). The two readings are kept side by side (``alt_day_kind``), the rule is
  marked "perlu dikonfirmasi", and both due dates are shown until the city settles it.
* A Perda that goes through evaluasi gets its own penetapan clock, counted from the Gubernur's evaluasi
  decision (Permendagri 80/2015 Pasal 102 ayat (3)), not from persetujuan bersama.

The quoted words were checked against secondary transcriptions of the regulations (news and commentary
pages quoting them); the exact number of the definition in each Pasal 1 is still to be matched with the
official text (JDIH), which the notes say.
"""
import datetime as dt

from django.db import migrations

UU_12_2011 = (
    "Undang-Undang Nomor 12 Tahun 2011 tentang Pembentukan Peraturan Perundang-undangan sebagaimana telah "
    "diubah dengan Undang-Undang Nomor 15 Tahun 2019 dan Undang-Undang Nomor 13 Tahun 2022"
)
UU_23_2014 = "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah sebagaimana telah beberapa kali diubah"
PERMENDAGRI_80_2015 = (
    "Peraturan Menteri Dalam Negeri Nomor 80 Tahun 2015 tentang Pembentukan Produk Hukum Daerah sebagaimana "
    "telah diubah dengan Peraturan Menteri Dalam Negeri Nomor 120 Tahun 2018"
)
HARI_PERMENDAGRI = (
    'Permendagri 80/2015 Pasal 1 (ketentuan umum): "Hari adalah hari kerja." Pasal yang menetapkan tenggat '
    'menulis "Hari" dengan huruf kapital, yaitu istilah yang didefinisikan itu. Nomor angka definisi perlu '
    "dicocokkan dengan naskah resmi."
)
HARI_UU_23 = (
    'UU 23/2014 Pasal 1 (ketentuan umum) mendefinisikan "Hari" sebagai hari kerja; Pasal 242 menulis "Hari" '
    "dengan huruf kapital."
)
HARI_UU_12 = (
    'UU 12/2011 menulis "hari" (huruf kecil) dan tidak mendefinisikannya dalam Pasal 1: dibaca sebagai hari '
    "kalender."
)

READINGS = {
    "harmonisasi": {
        "article": "UU 12/2011 Pasal 58; jangka waktu dari peraturan menteri di bidang hukum (perlu dikonfirmasi)",
        "wording": "",
        "day_definition": "Target layanan dalam hari kerja (perlu dikonfirmasi terhadap peraturan menteri).",
    },
    "fasilitasi": {
        "article": "Permendagri 80/2015, ketentuan fasilitasi (nomor pasal perlu dikonfirmasi)",
        "wording": "",
        "day_definition": HARI_PERMENDAGRI,
    },
    "penyampaian-dprd": {
        "article": "UU 12/2011 Pasal 78 ayat (2) jo. Pasal 80",
        "wording": "dilakukan dalam jangka waktu paling lama 7 (tujuh) hari terhitung sejak tanggal persetujuan "
                   "bersama",
        "day_definition": HARI_UU_12,
        "alt_day_kind": "working",
        "alt_reading": f"{UU_23_2014}, Pasal 242: penyampaian paling lama 7 (tujuh) Hari terhitung sejak tanggal "
                       f"persetujuan bersama. {HARI_UU_23}",
        "to_confirm": True,
        "note": "Dua undang-undang menghitung tenggat ini berbeda (hari kalender menurut UU 12/2011, hari kerja "
                "menurut UU 23/2014): kedua tanggal ditampilkan; pengingat mengikuti tanggal yang lebih awal.",
    },
    "evaluasi-penyempurnaan": {
        "legal_basis": f"{PERMENDAGRI_80_2015}, Pasal 99 ayat (2): paling lama 7 (tujuh) Hari",
        "article": "Permendagri 80/2015 Pasal 99 ayat (2)",
        "wording": "bupati/walikota bersama DPRD melakukan penyempurnaan paling lama 7 (tujuh) Hari terhitung "
                   "sejak hasil evaluasi diterima",
        "day_definition": HARI_PERMENDAGRI,
        "day_kind": "working",
        "note": "Hanya untuk Perda APBD, pajak, retribusi, tata ruang, RPJPD/RPJMD. Sebelumnya keliru dihitung "
                "dalam hari kalender.",
    },
    "noreg-penyampaian": {
        "legal_basis": f"{PERMENDAGRI_80_2015}, Pasal 100 ayat (2); {UU_23_2014}, Pasal 242: paling lama 3 "
                       "(tiga) Hari",
        "article": "Permendagri 80/2015 Pasal 100 ayat (2)",
        "wording": "Bupati/walikota wajib menyampaikan rancangan perda kabupaten/kota kepada gubernur sebagai wakil "
                   "Pemerintah Pusat paling lama 3 (tiga) Hari terhitung sejak menerima rancangan perda "
                   "kabupaten/kota dari pimpinan DPRD kabupaten/kota untuk mendapatkan noreg perda",
        "day_definition": HARI_PERMENDAGRI,
        "day_kind": "working",
        "note": "Sebelumnya keliru dihitung dalam hari kalender.",
    },
    "noreg-penerbitan": {
        "legal_basis": f"{PERMENDAGRI_80_2015}, Pasal 102 ayat (1); {UU_23_2014}, Pasal 242: paling lama 7 "
                       "(tujuh) Hari",
        "article": "Permendagri 80/2015 Pasal 102 ayat (1)",
        "wording": "gubernur sebagai wakil Pemerintah Pusat memberikan noreg rancangan perda kabupaten/kota "
                   "sebagaimana dimaksud dalam Pasal 100 dan Pasal 101 paling lama 7 (tujuh) hari sejak rancangan "
                   "perda diterima",
        "day_definition": HARI_PERMENDAGRI + " " + HARI_UU_23,
        "day_kind": "working",
        "note": 'Sebelumnya keliru dihitung dalam hari kalender. Transkripsi sekunder ayat ini menulis "hari"; '
                "naskah resmi perlu dicocokkan.",
    },
    "penetapan": {
        "article": "UU 12/2011 Pasal 79 ayat (1) jo. Pasal 80",
        "wording": "ditetapkan ... dengan membubuhkan tanda tangan dalam jangka waktu paling lama 30 (tiga puluh) "
                   "hari sejak Rancangan Peraturan Daerah ... tersebut disetujui bersama",
        "day_definition": HARI_UU_12,
        "alt_day_kind": "working",
        "alt_reading": f"{UU_23_2014}, Pasal 242, dan {PERMENDAGRI_80_2015}, Pasal 102 ayat (2): ditetapkan "
                       "paling lama 30 (tiga puluh) Hari sejak rancangan Perda disetujui bersama oleh DPRD dan "
                       f"kepala daerah. {HARI_UU_23}",
        "to_confirm": True,
        "note": 'Lewat tenggat: diundangkan dengan kalimat "Peraturan Daerah ini dinyatakan sah." Dua '
                "undang-undang menghitung tenggat ini berbeda; kalimat itu baru dicetak bila tenggat lewat menurut "
                "kedua bacaan, sedangkan pengingat mengikuti tanggal yang lebih awal. Perda yang dievaluasi "
                'memakai tenggat "penetapan-evaluasi".',
    },
}

PENETAPAN_EVALUASI = {
    "code": "penetapan-evaluasi",
    "name": "Penetapan (penandatanganan) Perda yang dievaluasi oleh Wali Kota",
    "days": 30,
    "day_kind": "calendar",
    "alt_day_kind": "working",
    "to_confirm": True,
    "effective_from": dt.date(2015, 1, 1),
    "legal_basis": f"{PERMENDAGRI_80_2015}, Pasal 102 ayat (2) dan ayat (3); {UU_23_2014}, Pasal 242",
    "counts_from": "tanggal keputusan Gubernur atas evaluasi rancangan Perda",
    "article": "Permendagri 80/2015 Pasal 102 ayat (3)",
    "wording": "terhadap rancangan perda yang dilakukan evaluasi ditetapkan oleh kepala daerah dengan membubuhkan "
               "tanda tangan dihitung sejak proses keputusan menteri untuk evaluasi provinsi dan keputusan "
               "gubernur untuk evaluasi kabupaten/kota dilaksanakan",
    "day_definition": 'Jumlah hari dari Pasal 102 ayat (2) ("paling lama 30 (tiga puluh) hari") dan UU 12/2011 '
                      "Pasal 79: " + HARI_UU_12,
    "alt_reading": f"{UU_23_2014}, Pasal 242: 30 (tiga puluh) Hari. {HARI_UU_23} {HARI_PERMENDAGRI}",
    "note": "Hanya untuk Perda APBD, pajak daerah, retribusi daerah, tata ruang, RPJPD/RPJMD. Dihitung dari "
            "keputusan evaluasi Gubernur yang terakhir, bukan dari persetujuan bersama. Apakah ayat (3) berasal "
            "dari perubahan oleh Permendagri 120/2018 perlu dikonfirmasi (tanggal berlaku).",
}


def load(apps, schema_editor):
    LegalDeadline = apps.get_model("workflows", "LegalDeadline")
    for code, fields in READINGS.items():
        LegalDeadline.objects.filter(code=code).update(**fields)
    spec = dict(PENETAPAN_EVALUASI)
    LegalDeadline.objects.update_or_create(
        code=spec.pop("code"), effective_from=spec.pop("effective_from"), defaults=spec,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("workflows", "0010_legal_deadline_readings"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
