"""Demo data of the formation process: the "Raperda tentang Penyelenggaraan Kota Cerdas" (the smart-city
regulation Tangsel lacked) part-way through its formation with an open public consultation and comments, and
an enacted, published Perwali with its Berita Daerah number and frozen PDF.

Built through the editor services and the formation/consultation/enactment services, so the demo
has the same audit trail, versions and flow tasks as real use. Safe to run twice: a regulation with the
demo title is not created again.
"""
from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from workflows.acting import local_date
from workflows.models import OrgUnit, User

RAPERDA_TITLE = "Penyelenggaraan Kota Cerdas"
PERWALI_TITLE = "Tata Kelola Satu Data Kota Tangerang Selatan"

RAPERDA_KONSIDERANS = [
    "bahwa untuk mewujudkan pelayanan publik yang cepat, mudah, terjangkau, dan dapat diakses oleh seluruh "
    "lapisan masyarakat, Pemerintah Daerah perlu memanfaatkan teknologi informasi dan komunikasi secara "
    "terpadu dalam penyelenggaraan pemerintahan dan pembangunan;",
    "bahwa penyelenggaraan kota cerdas di Kota Tangerang Selatan belum memiliki landasan hukum yang mengikat "
    "Perangkat Daerah, sehingga keterpaduan program, data, dan anggaran belum tercapai;",
    "bahwa penyelenggaraan kota cerdas memerlukan partisipasi masyarakat, keamanan informasi, serta pembagian "
    "kewenangan yang jelas antara Pemerintah Daerah dan pemangku kepentingan;",
]
RAPERDA_DASAR_HUKUM = [
    (1, None, "Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;"),
    (3, "2008-11-26", "Undang-Undang Nomor 51 Tahun 2008 tentang Pembentukan Kota Tangerang Selatan di Provinsi "
     "Banten (Lembaran Negara Republik Indonesia Tahun 2008 Nomor 188, Tambahan Lembaran Negara Republik "
     "Indonesia Nomor 4935);"),
    (3, "2014-10-02", "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (Lembaran Negara Republik "
     "Indonesia Tahun 2014 Nomor 244, Tambahan Lembaran Negara Republik Indonesia Nomor 5587) sebagaimana telah "
     "beberapa kali diubah terakhir dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan "
     "Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang "
     "(Lembaran Negara Republik Indonesia Tahun 2023 Nomor 41, Tambahan Lembaran Negara Republik Indonesia "
     "Nomor 6856);"),
    (3, "2022-10-17", "Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi (Lembaran Negara "
     "Republik Indonesia Tahun 2022 Nomor 196, Tambahan Lembaran Negara Republik Indonesia Nomor 6820);"),
    (5, "2018-10-04", "Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik "
     "(Lembaran Negara Republik Indonesia Tahun 2018 Nomor 182);"),
]

# (kind, heading/text, role, penjelasan, children) — the Raperda's body, written for the demo.
RAPERDA_BODY = [
    ("bab", "KETENTUAN UMUM", "ketentuan_umum", "", [
        ("pasal", "Dalam Peraturan Daerah ini yang dimaksud dengan:", "", "", [
            ("angka", "Daerah adalah Kota Tangerang Selatan.", "", "", []),
            ("angka", "Pemerintah Daerah adalah Wali Kota sebagai unsur penyelenggara Pemerintahan Daerah yang "
                      "memimpin pelaksanaan urusan pemerintahan yang menjadi kewenangan daerah otonom.", "", "", []),
            ("angka", "Wali Kota adalah Wali Kota Tangerang Selatan.", "", "", []),
            ("angka", "Perangkat Daerah adalah unsur pembantu Wali Kota dan Dewan Perwakilan Rakyat Daerah dalam "
                      "penyelenggaraan urusan pemerintahan yang menjadi kewenangan Daerah.", "", "", []),
            ("angka", "Kota Cerdas adalah konsep pengelolaan Daerah yang memanfaatkan teknologi informasi dan "
                      "komunikasi untuk meningkatkan kualitas pelayanan publik, efisiensi pemerintahan, dan "
                      "kesejahteraan masyarakat.", "", "", []),
            ("angka", "Dewan Kota Cerdas adalah forum koordinasi yang dibentuk oleh Wali Kota untuk mengarahkan "
                      "penyelenggaraan Kota Cerdas.", "", "", []),
            ("angka", "Data Terpadu adalah data yang dihasilkan Perangkat Daerah yang memenuhi standar data, "
                      "memiliki metadata, dan dibagipakaikan melalui portal data Daerah.", "", "", []),
        ]),
    ]),
    ("bab", "ASAS, TUJUAN, DAN RUANG LINGKUP", "", "", [
        ("pasal", "Penyelenggaraan Kota Cerdas berasaskan:", "", "", [
            ("huruf", "keterpaduan;", "", "", []),
            ("huruf", "keterbukaan;", "", "", []),
            ("huruf", "akuntabilitas;", "", "", []),
            ("huruf", "keamanan informasi; dan", "", "", []),
            ("huruf", "partisipasi masyarakat.", "", "", []),
        ]),
        ("pasal", "", "", "", [
            ("ayat", "Penyelenggaraan Kota Cerdas bertujuan meningkatkan kualitas pelayanan publik dan "
                     "efektivitas pemerintahan Daerah.", "", "", []),
            ("ayat", "Ruang lingkup Peraturan Daerah ini meliputi:", "", "", [
                ("huruf", "perencanaan Kota Cerdas;", "", "", []),
                ("huruf", "tata kelola data dan infrastruktur;", "", "", []),
                ("huruf", "layanan publik digital;", "", "", []),
                ("huruf", "partisipasi masyarakat; dan", "", "", []),
                ("huruf", "pembinaan dan pengawasan.", "", "", []),
            ]),
        ]),
    ]),
    ("bab", "PERENCANAAN KOTA CERDAS", "", "", [
        ("pasal", "", "", "Rencana induk disusun untuk jangka waktu 5 (lima) tahun selaras dengan RPJMD.", [
            ("ayat", "Wali Kota menetapkan rencana induk Kota Cerdas.", "", "", []),
            ("ayat", "Rencana induk sebagaimana dimaksud pada ayat (1) memuat visi, sasaran, program, dan "
                     "indikator kinerja Kota Cerdas.", "", "", []),
            ("ayat", "Rencana induk dievaluasi paling sedikit 1 (satu) kali dalam 1 (satu) tahun.", "", "", []),
        ]),
        ("pasal", "", "", "", [
            ("ayat", "Wali Kota membentuk Dewan Kota Cerdas.", "", "", []),
            ("ayat", "Dewan Kota Cerdas beranggotakan unsur Perangkat Daerah, perguruan tinggi, dunia usaha, dan "
                     "masyarakat.", "", "", []),
        ]),
    ]),
    ("bab", "TATA KELOLA DATA DAN INFRASTRUKTUR", "", "", [
        ("pasal", "", "", "", [
            ("ayat", "Setiap Perangkat Daerah wajib menyediakan Data Terpadu sesuai kewenangannya.", "", "", []),
            ("ayat", "Perangkat Daerah yang membidangi urusan komunikasi dan informatika bertindak sebagai wali "
                     "data Daerah.", "", "", []),
        ]),
        ("pasal", "Pemrosesan data pribadi dalam penyelenggaraan Kota Cerdas dilaksanakan sesuai dengan "
                  "ketentuan peraturan perundang-undangan di bidang pelindungan data pribadi.", "", "", []),
        ("pasal", "Pemerintah Daerah menyediakan pusat data, jaringan intra pemerintah, dan titik akses internet "
                  "publik di kantor kecamatan dan kelurahan.", "", "", []),
        ("pasal", "", "", "", [
            ("ayat", "Kerusakan perangkat teknologi informasi pada kantor kecamatan dan kelurahan yang mengganggu "
                     "pelayanan publik wajib ditangani paling lama 3 (tiga) hari kerja.", "", "", []),
            ("ayat", "Camat dan lurah berwenang menyetujui biaya perbaikan sampai batas yang ditetapkan dengan "
                     "Keputusan Wali Kota.", "", "Batas kewenangan ditetapkan per jabatan dan per tahun anggaran.", []),
        ]),
    ]),
    ("bab", "LAYANAN PUBLIK DIGITAL", "", "", [
        ("pasal", "Pemerintah Daerah menyelenggarakan layanan publik secara elektronik yang terintegrasi dalam "
                  "satu portal layanan Daerah.", "", "", []),
        ("pasal", "Layanan publik digital wajib dapat diakses oleh penyandang disabilitas dan masyarakat yang "
                  "belum memiliki perangkat, melalui gerai layanan di kecamatan dan kelurahan.", "", "", []),
    ]),
    ("bab", "PARTISIPASI MASYARAKAT", "", "", [
        ("pasal", "", "", "", [
            ("ayat", "Masyarakat berhak memberikan masukan dalam perencanaan, pelaksanaan, dan evaluasi Kota "
                     "Cerdas.", "", "", []),
            ("ayat", "Setiap masukan masyarakat wajib ditanggapi oleh Perangkat Daerah terkait paling lama "
                     "14 (empat belas) hari.", "", "", []),
        ]),
    ]),
    ("bab", "PEMBINAAN, PENGAWASAN, DAN PENDANAAN", "", "", [
        ("pasal", "Wali Kota melakukan pembinaan dan pengawasan atas penyelenggaraan Kota Cerdas.", "", "", []),
        ("pasal", "Pendanaan penyelenggaraan Kota Cerdas bersumber dari anggaran pendapatan dan belanja daerah "
                  "dan sumber lain yang sah dan tidak mengikat.", "", "", []),
    ]),
    ("bab", "KETENTUAN PENUTUP", "ketentuan_penutup", "", [
        ("pasal", "Peraturan pelaksanaan Peraturan Daerah ini ditetapkan paling lama 1 (satu) tahun sejak "
                  "Peraturan Daerah ini diundangkan.", "", "", []),
        ("pasal", "Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.", "", "", []),
    ]),
]

PERWALI_KONSIDERANS = [
    "bahwa untuk mewujudkan data yang akurat, mutakhir, terpadu, dan dapat dipertanggungjawabkan sebagai dasar "
    "perencanaan dan pengendalian pembangunan Daerah, perlu tata kelola satu data;",
]
PERWALI_DASAR_HUKUM = [
    (3, "2008-11-26", "Undang-Undang Nomor 51 Tahun 2008 tentang Pembentukan Kota Tangerang Selatan di Provinsi "
     "Banten (Lembaran Negara Republik Indonesia Tahun 2008 Nomor 188, Tambahan Lembaran Negara Republik "
     "Indonesia Nomor 4935);"),
    (5, "2019-06-12", "Peraturan Presiden Nomor 39 Tahun 2019 tentang Satu Data Indonesia (Lembaran Negara "
     "Republik Indonesia Tahun 2019 Nomor 112);"),
]
PERWALI_BODY = [
    ("bab", "KETENTUAN UMUM", "ketentuan_umum", "", [
        ("pasal", "Dalam Peraturan Wali Kota ini yang dimaksud dengan:", "", "", [
            ("angka", "Daerah adalah Kota Tangerang Selatan.", "", "", []),
            ("angka", "Wali Kota adalah Wali Kota Tangerang Selatan.", "", "", []),
            ("angka", "Satu Data adalah kebijakan tata kelola data untuk menghasilkan data yang akurat, mutakhir, "
                      "terpadu, dan mudah diakses.", "", "", []),
        ]),
    ]),
    ("bab", "PENYELENGGARAAN SATU DATA", "", "", [
        ("pasal", "", "", "", [
            ("ayat", "Satu Data diselenggarakan oleh Perangkat Daerah sebagai produsen data.", "", "", []),
            ("ayat", "Dinas Komunikasi dan Informatika bertindak sebagai wali data.", "", "", []),
        ]),
        ("pasal", "Data yang dibagipakaikan wajib memiliki metadata dan kode referensi.", "", "", []),
    ]),
    ("bab", "KETENTUAN PENUTUP", "ketentuan_penutup", "", [
        ("pasal", "Peraturan Wali Kota ini mulai berlaku pada tanggal diundangkan.", "", "", []),
    ]),
]

COMMENTS = [
    # (provision citation or "" for general, name, contact, text, disposition, reason)
    ("Pasal 9 ayat (1)", "Rudi Hartono", "rudi@example.org",
     "Tiga hari kerja terlalu lama untuk CCTV dan titik Wi-Fi publik. Usul: 1 hari kerja untuk perangkat yang "
     "menyangkut keamanan.", "partly",
     "Tenggat 1 hari kerja diterapkan untuk CCTV; perangkat lain tetap 3 hari kerja karena pengadaan suku cadang."),
    ("Pasal 12 ayat (2)", "Forum Warga Pamulang", "0812-0000-1111",
     "Tanggapan atas masukan warga sebaiknya dipublikasikan agar semua warga bisa membaca.", "accepted",
     "Diterima: Pasal 12 akan ditambah ayat yang mewajibkan publikasi tanggapan di portal Daerah."),
    ("Pasal 11", "Siti Aminah", "siti@example.org",
     "Gerai layanan perlu ada di setiap kelurahan, bukan hanya kecamatan.", "not_accepted",
     "Rumusan Pasal 11 sudah mencakup kecamatan dan kelurahan."),
    ("", "Komunitas Developer Tangsel", "halo@example.org",
     "Mohon data terbuka dirilis dengan lisensi terbuka yang jelas.", "pending", ""),
    ("Pasal 7", "Budi Santoso", "0813-2222-3333",
     "Bagaimana data pribadi warga di CCTV dilindungi? Perlu ketentuan masa simpan rekaman.", "pending", ""),
]


PERWALI_ABSTRAK = (
    "Data yang dihasilkan Perangkat Daerah perlu dikelola sebagai satu kesatuan agar dapat dibagi pakai dan "
    "dipertanggungjawabkan. Peraturan Wali Kota ini mengatur penyelenggaraan Satu Data Indonesia di Daerah: "
    "walidata, produsen data, standar data, metadata, dan penyebarluasan data."
)


def _minimal_pdf(lines: list[str]) -> bytes:
    """A small valid one-page PDF with the given text lines (the demo naskah akademik stand-in)."""
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 12 Tf 72 770 Td 16 TL " + " ".join(f"({esc(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _build(*, regulation, actor, konsiderans, dasar_hukum, body) -> None:
    from .services.editor import dasar_hukum_add, konsiderans_add, provision_add

    for text in konsiderans:
        konsiderans_add(actor=actor, regulation=regulation, text=text)
    for rank, enacted, text in dasar_hukum:
        dasar_hukum_add(actor=actor, regulation=regulation, text=text, rank=rank,
                        enacted_on=dt.date.fromisoformat(enacted) if enacted else None)

    def add(nodes, parent):
        for kind, text, role, penjelasan, children in nodes:
            heading = text if kind in ("bab", "bagian", "paragraf") else ""
            node = provision_add(actor=actor, regulation=regulation, kind=kind, parent=parent, heading=heading,
                                 text="" if heading else text, role=role, penjelasan=penjelasan)
            add(children, node)

    add(body, None)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def seed_demo(*, today: dt.date | None = None) -> dict[str, int]:
    from .models import Regulation

    today = today or local_date()
    created = {"raperda": 0, "perwali": 0}
    if not Regulation.objects.filter(title=RAPERDA_TITLE).exists():
        _seed_raperda(today)
        created["raperda"] = 1
    if not Regulation.objects.filter(title=PERWALI_TITLE).exists():
        _seed_perwali(today)
        created["perwali"] = 1
    return created


@transaction.atomic
def _seed_raperda(today: dt.date) -> None:
    from .models import Formation
    from .selectors import commentable_provisions
    from .services import consultation as csvc
    from .services import formation as fsvc
    from .services.editor import naskah_akademik_attach, regulation_create

    kabag, perancang, pemrakarsa = _user("kabag.hukum"), _user("perancang"), _user("pemrakarsa.diskominfo")
    diskominfo = OrgUnit.objects.get(code="diskominfo")
    reg = regulation_create(
        actor=pemrakarsa, kind="perda", title=RAPERDA_TITLE, pemrakarsa=diskominfo, drafter=pemrakarsa,
        propemperda_year=today.year,
        penjelasan_umum="Kota Tangerang Selatan telah menjalankan berbagai program kota cerdas, namun tanpa "
                        "landasan hukum yang mengikat, program tersebut berjalan terpisah-pisah dan bergantung "
                        "pada pejabat yang menjabat. Peraturan Daerah ini memberikan landasan hukum, membagi "
                        "kewenangan, dan menjamin partisipasi masyarakat.",
    )
    naskah = _minimal_pdf(["NASKAH AKADEMIK", "Rancangan Peraturan Daerah Kota Tangerang Selatan",
                           "tentang Penyelenggaraan Kota Cerdas", "", "(ringkasan untuk data demo)"])
    naskah_akademik_attach(actor=pemrakarsa, regulation=reg,
                           upload=SimpleUploadedFile("naskah-akademik-kota-cerdas.pdf", naskah, "application/pdf"))
    _build(regulation=reg, actor=pemrakarsa, konsiderans=RAPERDA_KONSIDERANS, dasar_hukum=RAPERDA_DASAR_HUKUM,
           body=RAPERDA_BODY)
    formation = fsvc.formation_start(regulation=reg, actor=kabag)
    fsvc.formation_start_drafting(formation=formation, actor=kabag, on=today - dt.timedelta(days=60))
    fsvc.formation_submit(formation=formation, actor=pemrakarsa, on=today - dt.timedelta(days=30),
                          note="Naskah akademik terlampir.")
    fsvc.formation_record(formation=formation, actor=kabag, outcome="selesai",
                          received_on=today - dt.timedelta(days=20),
                          document_number="W.30-HH.01.01-123 (Berita Acara Selesai Harmonisasi, demo)",
                          note="Harmonisasi oleh Kanwil Kementerian Hukum Banten.")
    formation = Formation.objects.get(pk=formation.pk)
    version = reg.versions.order_by("-seq").first()
    consultation = csvc.consultation_open(
        version=version, actor=perancang, opens_on=today - dt.timedelta(days=7), closes_on=today + dt.timedelta(days=21),
        note="Konsultasi publik selama pembahasan tingkat I bersama DPRD.",
    )
    labels = {p.label: p.uid for p in commentable_provisions(version.snapshot)}
    for i, (cite, name, contact, text, disposition, reason) in enumerate(COMMENTS):
        comment = csvc.comment_submit(consultation=consultation, name=name, contact=contact, text=text,
                                      provision_uid=labels.get(cite) if cite else None)
        if disposition != "pending":
            csvc.comment_dispose(comment=comment, actor=kabag, disposition=disposition, reason=reason)


@transaction.atomic
def _seed_perwali(today: dt.date) -> None:
    from .models import Formation
    from .services import enactment
    from .services import formation as fsvc
    from .services.editor import regulation_create

    kabag, walikota, sekda = _user("kabag.hukum"), _user("walikota"), _user("sekda")
    pemrakarsa = _user("pemrakarsa.diskominfo")
    diskominfo = OrgUnit.objects.get(code="diskominfo")
    reg = regulation_create(actor=pemrakarsa, kind="perwali", title=PERWALI_TITLE, pemrakarsa=diskominfo,
                            drafter=pemrakarsa, propemperda_year=today.year,
                            penjelasan_umum="Peraturan Wali Kota ini melaksanakan kebijakan Satu Data Indonesia di Daerah.")
    _build(regulation=reg, actor=pemrakarsa, konsiderans=PERWALI_KONSIDERANS, dasar_hukum=PERWALI_DASAR_HUKUM,
           body=PERWALI_BODY)
    formation = fsvc.formation_start(regulation=reg, actor=kabag)
    fsvc.formation_submit(formation=formation, actor=pemrakarsa, on=today - dt.timedelta(days=40))
    fsvc.formation_record(formation=formation, actor=kabag, outcome="selesai", received_on=today - dt.timedelta(days=33),
                          document_number="W.30-HH.01.01-098 (demo)")
    enactment.formation_enact(formation=formation, actor=walikota, signed_on=today - dt.timedelta(days=30))
    enactment.formation_promulgate(formation=formation, actor=sekda, promulgated_on=today - dt.timedelta(days=29))
    # The frozen PDF is rendered here (not only by the queued task) so the demo's JDIH entry is complete at once.
    enactment.enacted_pdf_freeze(regulation_id=reg.pk)
    _seed_jdih_metadata(formation=Formation.objects.get(pk=formation.pk), actor=kabag,
                        subjek="SATU DATA - STATISTIK - INFORMASI PUBLIK", bidang_hukum="Hukum Administrasi Negara",
                        abstrak=PERWALI_ABSTRAK)
    fsvc.formation_publish(formation=Formation.objects.get(pk=formation.pk), actor=kabag)


def _seed_jdih_metadata(*, formation, actor, **fields) -> None:
    """Fill the Permenkumham 8/2019 metadata as Bagian Hukum would: the suggested values plus the subject."""
    from .metadata import metadata_suggestions
    from .services.jdih import jdih_metadata_update

    jdih_metadata_update(formation=formation, actor=actor, **{**metadata_suggestions(formation.regulation), **fields})
