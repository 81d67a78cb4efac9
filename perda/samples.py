"""Sample regulation content for tests, benchmarks and the demo seed.

``sample_fill`` writes konsiderans, dasar hukum and a body of ``pasal_count`` Pasal in several BAB through the
editor services (audited), or with ``bulk=True`` straight into the tables (fast; for benchmarks/tests only).
"""
from __future__ import annotations

import uuid

from django.db import transaction

from workflows.region import current_region

from .models import DasarHukum, Konsiderans, Provision, Regulation

KONSIDERANS = [
    "bahwa untuk mewujudkan pelayanan publik yang cepat, mudah, dan terjangkau, Pemerintah Daerah perlu "
    "memanfaatkan teknologi informasi dan komunikasi secara terpadu;",
    "bahwa penyelenggaraan kota cerdas memerlukan landasan hukum yang menjamin keterpaduan data, keamanan "
    "informasi, dan partisipasi masyarakat;",
]
GENERAL_DASAR_HUKUM = [
    (3, "2014-10-02", "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (Lembaran Negara Republik "
     "Indonesia Tahun 2014 Nomor 244, Tambahan Lembaran Negara Republik Indonesia Nomor 5587) sebagaimana telah "
     "beberapa kali diubah terakhir dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan "
     "Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang "
     "(Lembaran Negara Republik Indonesia Tahun 2023 Nomor 41, Tambahan Lembaran Negara Republik Indonesia "
     "Nomor 6856);"),
    (5, "2018-10-04", "Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik "
     "(Lembaran Negara Republik Indonesia Tahun 2018 Nomor 182);"),
]


def dasar_hukum() -> list[tuple[int, str | None, str]]:
    """(rank, date, text): the Constitution, the law forming this installation's region (settings; its date is
    not part of the setting, so it sorts first among the laws, as the oldest usually does), then general laws."""
    region = current_region()
    rows = [(1, None, "Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;")]
    if region.formation_law:
        rows.append((3, None, region.formation_law))
    return rows + GENERAL_DASAR_HUKUM


def definitions() -> list[str]:
    """Ketentuan umum of a sample draft, naming this installation's region."""
    region = current_region()
    head = region.head_title
    return [
        f"Daerah adalah {region.full_name}.",
        f"Pemerintah Daerah adalah {head} sebagai unsur penyelenggara Pemerintahan Daerah yang memimpin "
        "pelaksanaan urusan pemerintahan yang menjadi kewenangan daerah otonom.",
        f"{head} adalah {region.head_office}.",
        f"Perangkat Daerah adalah unsur pembantu {head} dan Dewan Perwakilan Rakyat Daerah dalam "
        "penyelenggaraan urusan pemerintahan yang menjadi kewenangan Daerah.",
        "Kota Cerdas adalah konsep pengelolaan kota yang memanfaatkan teknologi informasi dan komunikasi untuk "
        "meningkatkan kualitas pelayanan dan kesejahteraan masyarakat.",
    ]


MATERI = [
    "Penyelenggaraan Kota Cerdas", "Tata Kelola Data", "Layanan Publik Digital", "Keamanan Informasi",
    "Partisipasi Masyarakat", "Pembinaan dan Pengawasan", "Pendanaan",
]


def _n(kind: str, *, heading: str = "", text: str = "", penjelasan: str = "", role: str = "",
       children: list | None = None) -> dict:
    return {"uid": str(uuid.uuid4()), "kind": kind, "heading": heading, "text": text, "penjelasan": penjelasan,
            "role": role, "children": children or []}


def sample_body(pasal_count: int = 20, *, with_reference: bool = True) -> list[dict]:
    """A well-formed body of ``pasal_count`` Pasal (at least 3) in several BAB, in snapshot shape."""
    pasal_count = max(3, pasal_count)
    # The implementing regulation is the head's own: "Peraturan Wali Kota" in a kota, "Peraturan Bupati" in a
    # kabupaten (the installation's region).
    implementing = f"Peraturan {current_region().head_title}"
    body = []
    p1 = _n("pasal", text="Dalam Peraturan Daerah ini yang dimaksud dengan:",
            children=[_n("angka", text=d) for d in definitions()])
    body.append(_n("bab", heading="KETENTUAN UMUM", role="ketentuan_umum", children=[p1]))
    remaining = pasal_count - 2  # minus Pasal 1 and the penutup Pasal
    materi_babs = min(len(MATERI), max(1, remaining // 8 or 1))
    per_bab = [remaining // materi_babs + (1 if i < remaining % materi_babs else 0) for i in range(materi_babs)]
    target = None
    for b, count in enumerate(per_bab):
        bab = _n("bab", heading=MATERI[b].upper())
        body.append(bab)
        containers = [bab]
        if count > 4:
            containers = [_n("bagian", heading="Umum"), _n("bagian", heading="Pelaksanaan")]
            bab["children"] = containers
        for i in range(count):
            container = containers[0] if (len(containers) == 1 or i < count // 2) else containers[1]
            if i % 3 == 0:
                hb = _n("huruf", text="pelaksanaan; dan")
                pasal = _n("pasal", children=[
                    _n("ayat", text=f"Pemerintah Daerah menyelenggarakan {MATERI[b].lower()} secara terpadu, "
                                    "berkelanjutan, dan akuntabel."),
                    _n("ayat", text=f"{MATERI[b]} sebagaimana dimaksud pada ayat (1) meliputi:", children=[
                        _n("huruf", text="perencanaan;"), hb, _n("huruf", text="evaluasi.")]),
                ])
                if target is None:
                    target = hb
            elif i % 3 == 1 and with_reference and target is not None:
                pasal = _n("pasal", text=f"Pelaksanaan sebagaimana dimaksud dalam [[ref:{target['uid']}]] dilakukan "
                                         "oleh Perangkat Daerah yang membidangi urusan komunikasi dan informatika.",
                           penjelasan="Yang dimaksud dengan \"pelaksanaan\" termasuk pengadaan dan pemeliharaan sistem.")
            else:
                pasal = _n("pasal", text="Ketentuan lebih lanjut mengenai tata cara pelaksanaan diatur dengan "
                                         f"{implementing}.")
            container["children"].append(pasal)
    body.append(_n("bab", heading="KETENTUAN PENUTUP", role="ketentuan_penutup", children=[
        _n("pasal", text="Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.")]))
    return body


def sample_snapshot(pasal_count: int = 20, *, kind: str = "perda", title: str = "Penyelenggaraan Kota Cerdas",
                    enacted: bool = False) -> dict:
    """A complete snapshot (no database) for renderer tests and benchmarks."""
    meta = {"id": None, "kind": kind, "evaluasi_kind": "", "title": title, "number": None, "year": None,
            "enacted_on": None, "promulgated_on": None, "gazette_number": None, "tambahan_number": None,
            "noreg": "", "signer_name": "", "signer_title": "", "sekda_name": "", "dinyatakan_sah": False,
            "pemrakarsa": "Dinas Komunikasi dan Informatika"}
    if enacted:
        meta.update(number=4, year=2026, enacted_on="2026-03-10", promulgated_on="2026-03-12", gazette_number=4,
                    tambahan_number=112, noreg="4-31/2026", signer_name="Benyamin Davnie",
                    sekda_name="Bambang Noertjahjo")
    return {
        "format": 1, "regulation": meta,
        "konsiderans": [{"uid": str(uuid.uuid4()), "text": t} for t in KONSIDERANS],
        "dasar_hukum": [{"uid": str(uuid.uuid4()), "text": t, "rank": r, "enacted_on": d} for r, d, t in dasar_hukum()],
        "penjelasan_umum": "Kota cerdas memadukan data, layanan, dan partisipasi warga.",
        "body": sample_body(pasal_count),
    }


@transaction.atomic
def snapshot_write(*, regulation: Regulation, snapshot: dict, actor=None, bulk: bool = False) -> None:
    """Write the konsiderans, dasar hukum and body of ``snapshot`` into an empty draft, keeping the uids.

    ``bulk`` writes rows directly (fast, not audited: benchmarks and tests); otherwise through the audited
    editor services.
    """
    import datetime as dt

    from .services import editor as svc

    def date(d):
        return dt.date.fromisoformat(d) if d else None

    if bulk:
        Konsiderans.objects.bulk_create([Konsiderans(regulation=regulation, uid=k["uid"], order=i, text=k["text"])
                                         for i, k in enumerate(snapshot.get("konsiderans", []))])
        DasarHukum.objects.bulk_create([
            DasarHukum(regulation=regulation, uid=d["uid"], order=i, text=d["text"], rank=d.get("rank"),
                       enacted_on=date(d.get("enacted_on")))
            for i, d in enumerate(snapshot.get("dasar_hukum", []))])
        rows: list[Provision] = []

        def walk(nodes, parent):
            for i, n in enumerate(nodes):
                p = Provision(regulation=regulation, uid=n["uid"], parent=parent, kind=n["kind"], order=i,
                              heading=n.get("heading", ""), text=n.get("text", ""),
                              penjelasan=n.get("penjelasan", ""), role=n.get("role", ""))
                rows.append(p)
                p.save()  # children need the parent's pk
                walk(n.get("children") or [], p)
        walk(snapshot.get("body", []), None)
        return
    for k in snapshot.get("konsiderans", []):
        svc.konsiderans_add(actor=actor, regulation=regulation, text=k["text"])
    for d in snapshot.get("dasar_hukum", []):
        svc.dasar_hukum_add(actor=actor, regulation=regulation, text=d["text"], rank=d.get("rank"),
                            enacted_on=date(d.get("enacted_on")), position=None if d.get("rank") is None else 10**6)

    def add(nodes, parent):
        for n in nodes:
            p = svc.provision_add(actor=actor, regulation=regulation, kind=n["kind"], parent=parent,
                                  heading=n.get("heading", ""), text=n.get("text", ""),
                                  penjelasan=n.get("penjelasan", ""), role=n.get("role", ""), uid=n["uid"])
            add(n.get("children") or [], p)
    add(snapshot.get("body", []), None)


def sample_fill(*, regulation: Regulation, actor=None, pasal_count: int = 20, bulk: bool = False,
                with_reference: bool = True) -> None:
    """Fill an empty draft with the sample konsiderans, dasar hukum and a body of ``pasal_count`` Pasal."""
    snap = sample_snapshot(pasal_count)
    snap["body"] = sample_body(pasal_count, with_reference=with_reference)
    snapshot_write(regulation=regulation, snapshot=snap, actor=actor, bulk=bulk)
