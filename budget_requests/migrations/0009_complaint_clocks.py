"""SP4N-LAPOR!'s two working-day clocks as legal deadlines (data; read by ``budget_requests.complaints.clocks``).

LAPOR! (the national complaint system, SP4N) verifies a report and passes it to the agency concerned within
3 working days, and gives the agency 5 working days to coordinate internally and state its follow-up to the
reporter. Both periods are published in LAPOR!'s own procedure; the governing regulations are Perpres 76/2013
and Permenpan-RB 62/2018. Which article of them sets each number is still to be matched with the official
texts, so both rows are marked "perlu dikonfirmasi".
"""
import datetime as dt

from django.db import migrations

PERPRES_76_2013 = "Peraturan Presiden Nomor 76 Tahun 2013 tentang Pengelolaan Pengaduan Pelayanan Publik"
PERMENPAN_62_2018 = (
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 62 Tahun 2018 tentang Pedoman "
    "Nasional Pengelolaan Pengaduan Pelayanan Publik"
)
BASIS = f"{PERPRES_76_2013}; {PERMENPAN_62_2018}; prosedur pengelolaan laporan SP4N-LAPOR!"
DAY_DEFINITION = "Hari kerja: hari Senin–Jumat di luar libur nasional dan cuti bersama."

CLOCKS = [
    {
        "code": "pengaduan-penerusan",
        "name": "Penelaahan dan penerusan pengaduan SP4N-LAPOR! ke unit yang berwenang",
        "days": 3,
        "counts_from": "pengaduan diterima Pemerintah Kota dari sistem pengaduan",
        "article": "Lampiran Permenpan-RB 62/2018 dan prosedur SP4N-LAPOR! (pasal/butir perlu dikonfirmasi)",
        "wording": "laporan diverifikasi dan diteruskan kepada instansi yang berwenang paling lambat 3 (tiga) hari "
                   "kerja (rumusan prosedur LAPOR!; perlu dicocokkan dengan naskah resmi)",
        "note": "Di Pamong: telaah oleh operator kelurahan (atau antrean Diskominfo). Lewat tenggat: eskalasi ke "
                "lurah (antrean Diskominfo: Kepala Diskominfo).",
    },
    {
        "code": "pengaduan-tindak-lanjut",
        "name": "Tindak lanjut pengaduan SP4N-LAPOR! oleh instansi",
        "days": 5,
        "counts_from": "pengaduan diterima Pemerintah Kota dari sistem pengaduan (bagi LAPOR!: saat disposisi "
                       "kepada instansi; perlu dikonfirmasi)",
        "article": "Lampiran Permenpan-RB 62/2018 dan prosedur SP4N-LAPOR! (pasal/butir perlu dikonfirmasi)",
        "wording": "instansi diberi waktu paling lambat 5 (lima) hari kerja untuk koordinasi internal dan "
                   "perumusan tindak lanjut (rumusan prosedur LAPOR!; perlu dicocokkan dengan naskah resmi)",
        "note": "Di Pamong: tindak lanjut = permohonan perbaikan dibuat atau pengaduan ditutup dengan alasan. Lewat "
                "tenggat: eskalasi ke camat; sesudahnya pengingat setiap hari kerja.",
    },
]


def load(apps, schema_editor):
    LegalDeadline = apps.get_model("workflows", "LegalDeadline")
    for spec in CLOCKS:
        spec = dict(spec)
        LegalDeadline.objects.update_or_create(
            code=spec.pop("code"), effective_from=dt.date(2018, 1, 1),
            defaults={**spec, "day_kind": "working", "legal_basis": BASIS, "to_confirm": True,
                      "day_definition": DAY_DEFINITION},
        )


class Migration(migrations.Migration):

    dependencies = [
        ("budget_requests", "0008_complaints"),
        ("workflows", "0011_legal_deadline_readings_data"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
