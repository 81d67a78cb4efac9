"""Sample regulation content for tests, benchmarks and the demo seed.

``sample_fill`` writes konsiderans, dasar hukum and a body of ``pasal_count`` Pasal in several BAB through the
editor services (audited), or with ``bulk=True`` straight into the tables (fast; for benchmarks/tests only).
"""
from __future__ import annotations

import uuid

from django.db import transaction

from .models import DasarHukum, Konsiderans, Provision, Regulation

KONSIDERANS = [
    "bahwa untuk mewujudkan pelayanan publik yang cepat, mudah, dan terjangkau, Pemerintah Daerah perlu "
    "memanfaatkan teknologi informasi dan komunikasi secara terpadu;",
    "bahwa penyelenggaraan kota cerdas memerlukan landasan hukum yang menjamin keterpaduan data, keamanan "
    "informasi, dan partisipasi masyarakat;",
]
DASAR_HUKUM = [
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
    (5, "2018-10-04", "Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik "
     "(Lembaran Negara Republik Indonesia Tahun 2018 Nomor 182);"),
]
DEFINITIONS = [
    "Daerah adalah Kota Tangerang Selatan.",
    "Pemerintah Daerah adalah Wali Kota sebagai unsur penyelenggara Pemerintahan Daerah yang memimpin "
    "pelaksanaan urusan pemerintahan yang menjadi kewenangan daerah otonom.",
    "Wali Kota adalah Wali Kota Tangerang Selatan.",
    "Perangkat Daerah adalah unsur pembantu Wali Kota dan Dewan Perwakilan Rakyat Daerah dalam "
    "penyelenggaraan urusan pemerintahan yang menjadi kewenangan Daerah.",
    "Kota Cerdas adalah konsep pengelolaan kota yang memanfaatkan teknologi informasi dan komunikasi untuk "
    "meningkatkan kualitas pelayanan dan kesejahteraan masyarakat.",
]
MATERI = [
    "Penyelenggaraan Kota Cerdas", "Tata Kelola Data", "Layanan Publik Digital", "Keamanan Informasi",
    "Partisipasi Masyarakat", "Pembinaan dan Pengawasan", "Pendanaan",
]


def _node(reg, kind, parent, order, heading="", text="", penjelasan="", role=""):
    return Provision(regulation=reg, uid=uuid.uuid4(), parent=parent, kind=kind, order=order, heading=heading,
                     text=text, penjelasan=penjelasan, role=role)


@transaction.atomic
def sample_fill(*, regulation: Regulation, actor=None, pasal_count: int = 20, bulk: bool = False,
                with_reference: bool = True) -> None:
    """Fill an empty draft with a well-formed body of ``pasal_count`` Pasal (at least 3)."""
    pasal_count = max(3, pasal_count)
    if bulk:
        Konsiderans.objects.bulk_create(
            [Konsiderans(regulation=regulation, order=i, text=t) for i, t in enumerate(KONSIDERANS)])
        DasarHukum.objects.bulk_create([
            DasarHukum(regulation=regulation, order=i, text=t, rank=r, enacted_on=d)
            for i, (r, d, t) in enumerate(DASAR_HUKUM)])
        add = _BulkAdder(regulation)
    else:
        from .services.editor import dasar_hukum_add, konsiderans_add
        for t in KONSIDERANS:
            konsiderans_add(actor=actor, regulation=regulation, text=t)
        for r, d, t in DASAR_HUKUM:
            import datetime as dt
            dasar_hukum_add(actor=actor, regulation=regulation, text=t, rank=r,
                            enacted_on=dt.date.fromisoformat(d) if d else None)
        add = _ServiceAdder(regulation, actor)

    # BAB I Ketentuan Umum: Pasal 1 with the definitions.
    bab1 = add("bab", None, heading="KETENTUAN UMUM", role="ketentuan_umum")
    p1 = add("pasal", bab1, text="Dalam Peraturan Daerah ini yang dimaksud dengan:")
    for d in DEFINITIONS:
        add("angka", p1, text=d)
    remaining = pasal_count - 2  # minus Pasal 1 and the penutup Pasal
    materi_babs = min(len(MATERI), max(1, remaining // 8 or 1))
    per_bab = [remaining // materi_babs + (1 if i < remaining % materi_babs else 0) for i in range(materi_babs)]
    first_ayat_target = None
    for b, count in enumerate(per_bab):
        bab = add("bab", None, heading=MATERI[b].upper())
        # Split a BAB of more than 4 Pasal into two Bagian.
        containers = [bab]
        if count > 4:
            containers = [add("bagian", bab, heading="Umum"), add("bagian", bab, heading="Pelaksanaan")]
        for i in range(count):
            container = containers[0] if (len(containers) == 1 or i < count // 2) else containers[1]
            if i % 3 == 0:
                pasal = add("pasal", container)
                a1 = add("ayat", pasal, text=f"Pemerintah Daerah menyelenggarakan {MATERI[b].lower()} "
                                             "secara terpadu, berkelanjutan, dan akuntabel.")
                a2 = add("ayat", pasal, text=f"{MATERI[b]} sebagaimana dimaksud pada ayat (1) meliputi:")
                add("huruf", a2, text="perencanaan;")
                hb = add("huruf", a2, text="pelaksanaan; dan")
                add("huruf", a2, text="evaluasi.")
                if first_ayat_target is None:
                    first_ayat_target = hb
            elif i % 3 == 1 and with_reference and first_ayat_target is not None:
                add("pasal", container,
                    text=f"Pelaksanaan sebagaimana dimaksud dalam [[ref:{first_ayat_target.uid}]] dilakukan oleh "
                         "Perangkat Daerah yang membidangi urusan komunikasi dan informatika.",
                    penjelasan="Yang dimaksud dengan \"pelaksanaan\" termasuk pengadaan dan pemeliharaan sistem.")
            else:
                add("pasal", container, text="Ketentuan lebih lanjut mengenai tata cara pelaksanaan diatur dengan "
                                             "Peraturan Wali Kota.")
    bab_end = add("bab", None, heading="KETENTUAN PENUTUP", role="ketentuan_penutup")
    add("pasal", bab_end, text="Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.")
    add.finish()


class _BulkAdder:
    def __init__(self, reg):
        self.reg = reg
        self.rows: list[Provision] = []
        self.counts: dict[int, int] = {}

    def __call__(self, kind, parent, **kw):
        key = id(parent)
        order = self.counts.get(key, 0)
        self.counts[key] = order + 1
        node = _node(self.reg, kind, parent, order, **kw)
        node.save()  # parents need a pk; still far cheaper than the audited path
        return node

    def finish(self):
        pass


class _ServiceAdder:
    def __init__(self, reg, actor):
        self.reg = reg
        self.actor = actor

    def __call__(self, kind, parent, **kw):
        from .services.editor import provision_add
        return provision_add(actor=self.actor, regulation=self.reg, kind=kind, parent=parent, **kw)

    def finish(self):
        pass
