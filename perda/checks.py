"""Structural checks of a regulation (Lampiran II UU 12/2011), run on a snapshot.

Each problem carries an Indonesian message and the uid of what it concerns (a provision, a konsiderans or a
dasar hukum point; None for the whole document). Error-level problems block ``version_freeze``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .numbering import iter_nodes, number_tree, ref_uids

ERROR = "error"
WARNING = "warning"

CHAPTER_ORDER = ["ketentuan_pidana", "ketentuan_peralihan", "ketentuan_penutup"]
ROLE_NAMES = {
    "ketentuan_umum": "Ketentuan Umum",
    "ketentuan_pidana": "Ketentuan Pidana",
    "ketentuan_peralihan": "Ketentuan Peralihan",
    "ketentuan_penutup": "Ketentuan Penutup",
}

# Which kinds may sit directly under which (None = the body's top level).
ALLOWED_CHILDREN = {
    None: {"bab", "pasal"},
    "bab": {"bagian", "pasal"},
    "bagian": {"paragraf", "pasal"},
    "paragraf": {"pasal"},
    "pasal": {"ayat", "huruf", "angka"},
    "ayat": {"huruf", "angka"},
    "huruf": {"huruf", "angka"},
    "angka": {"huruf", "angka"},
}


@dataclass(frozen=True)
class Problem:
    level: str
    code: str
    message: str
    uid: str | None = None
    where: str = ""  # "Pasal 7 ayat (2)", "Konsiderans huruf b", …

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "code": self.code, "message": self.message, "uid": self.uid,
                "where": self.where}


class ChecksFailed(Exception):
    """Raised by ``version_freeze`` while error-level problems remain."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.where}: {p.message}" if p.where else p.message for p in problems))


def effective_role(bab: dict) -> str:
    """The BAB's role, or the one its heading names ("KETENTUAN PENUTUP") when the drafter left it blank."""
    if bab.get("role"):
        return bab["role"]
    heading = " ".join((bab.get("heading") or "").upper().split())
    for role, name in ROLE_NAMES.items():
        if heading == name.upper():
            return role
    return ""


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == ERROR]


def run_checks(snapshot: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    meta = snapshot.get("regulation", {})
    labels = number_tree(snapshot)

    if not (meta.get("title") or "").strip():
        add(Problem(ERROR, "title_empty", _("Judul rancangan belum diisi.")))
    elif meta.get("title", "").strip().lower().startswith("tentang "):
        add(Problem(WARNING, "title_tentang", _("Judul ditulis tanpa kata \"tentang\"; kata itu ditambahkan otomatis.")))

    # Konsiderans ---------------------------------------------------------------------------------------
    kons = snapshot.get("konsiderans", [])
    if not kons:
        add(Problem(ERROR, "konsiderans_empty", _("Konsiderans (Menimbang) belum diisi.")))
    for i, k in enumerate(kons):
        where = _("Konsiderans huruf %(h)s") % {"h": chr(ord("a") + i) if i < 26 else str(i + 1)}
        text = (k.get("text") or "").strip()
        if not text.lower().startswith("bahwa"):
            add(Problem(ERROR, "konsiderans_bahwa", _("Konsiderans harus diawali dengan kata \"bahwa\"."),
                        k["uid"], where))
        if "berdasarkan pertimbangan sebagaimana dimaksud" in text.lower():
            add(Problem(ERROR, "konsiderans_closing_manual",
                        _("Butir konsiderans terakhir (\"bahwa berdasarkan pertimbangan …\") dibuat otomatis; "
                          "hapus butir ini."), k["uid"], where))
        if not text.endswith(";"):
            add(Problem(ERROR, "konsiderans_semicolon", _("Konsiderans harus diakhiri dengan tanda baca titik koma (;)."),
                        k["uid"], where))

    # Dasar hukum ---------------------------------------------------------------------------------------
    dasar = snapshot.get("dasar_hukum", [])
    if not dasar:
        add(Problem(ERROR, "dasar_hukum_empty", _("Dasar hukum (Mengingat) belum diisi.")))
    last_key = None
    for i, d in enumerate(dasar):
        where = _("Dasar hukum angka %(n)s") % {"n": i + 1}
        if not (d.get("text") or "").strip().endswith(";"):
            add(Problem(WARNING, "dasar_hukum_semicolon", _("Dasar hukum diakhiri dengan tanda baca titik koma (;)."),
                        d["uid"], where))
        if d.get("rank") is not None:
            key = (d["rank"], d.get("enacted_on") or "")
            if last_key is not None and key < last_key:
                add(Problem(WARNING, "dasar_hukum_order",
                            _("Dasar hukum tidak urut menurut hierarki peraturan lalu tanggal penetapannya."),
                            d["uid"], where))
            last_key = key

    # Body -----------------------------------------------------------------------------------------------
    body = snapshot.get("body", [])
    if not any(n["kind"] == "pasal" for n, _p in iter_nodes(body)):
        add(Problem(ERROR, "no_pasal", _("Batang tubuh belum memiliki Pasal.")))

    for node, parent in iter_nodes(body):
        kind = node["kind"]
        where = labels[node["uid"]].citation
        allowed = ALLOWED_CHILDREN.get(parent["kind"] if parent else None, set())
        if kind not in allowed:
            add(Problem(ERROR, "bad_nesting",
                        _("%(kind)s tidak dapat ditempatkan di bawah %(parent)s.") % {
                            "kind": kind.capitalize(), "parent": parent["kind"].capitalize() if parent else _("batang tubuh")},
                        node["uid"], where))
        children = node.get("children") or []
        if kind in ("bab", "bagian", "paragraf"):
            if not (node.get("heading") or "").strip():
                add(Problem(ERROR, "heading_empty", _("Judul %(what)s belum diisi.") % {"what": where}, node["uid"], where))
            if not children:
                add(Problem(ERROR, "container_empty", _("%(what)s belum berisi Pasal.") % {"what": where}, node["uid"], where))
        elif kind == "pasal":
            if not (node.get("text") or "").strip() and not children:
                add(Problem(ERROR, "pasal_empty", _("Pasal kosong: isi teksnya atau tambahkan ayat."), node["uid"], where))
            kinds = {c["kind"] for c in children}
            if "ayat" in kinds and kinds - {"ayat"}:
                add(Problem(ERROR, "pasal_mixed", _("Pasal yang memiliki ayat tidak boleh memiliki rincian huruf/angka langsung."),
                            node["uid"], where))
            if "ayat" in kinds and (node.get("text") or "").strip():
                add(Problem(WARNING, "pasal_text_with_ayat",
                            _("Pasal ini memiliki ayat dan juga teks sendiri di luar ayat; teks itu tidak akan dicetak "
                              "sebagai ayat. Pindahkan teksnya ke ayat (1) atau ke ayat yang tepat, lalu kosongkan teks "
                              "Pasal."), node["uid"], where))
        elif kind == "ayat":
            if not (node.get("text") or "").strip():
                add(Problem(ERROR, "ayat_empty", _("Ayat kosong."), node["uid"], where))
        else:
            if not (node.get("text") or "").strip():
                add(Problem(ERROR, "list_empty", _("Rincian kosong."), node["uid"], where))
        for target in ref_uids(node.get("text", "")) + ref_uids(node.get("penjelasan", "")):
            if target not in labels:
                add(Problem(ERROR, "ref_missing",
                            _("Rujukan ke ketentuan yang telah dihapus atau tidak ada; perbaiki atau hapus rujukan itu."),
                            node["uid"], where))
    for i, k in enumerate(kons):
        for target in ref_uids(k.get("text", "")):
            if target not in labels:
                add(Problem(ERROR, "ref_missing", _("Rujukan ke ketentuan yang telah dihapus atau tidak ada."),
                            k["uid"], _("Konsiderans huruf %(h)s") % {"h": chr(ord("a") + i) if i < 26 else str(i + 1)}))

    # Chapter order ----------------------------------------------------------------------------------------
    babs = [n for n in body if n["kind"] == "bab"]
    if babs:
        if any(n["kind"] == "pasal" for n in body):
            add(Problem(ERROR, "mixed_top", _("Jika batang tubuh dibagi dalam BAB, setiap Pasal harus berada di dalam BAB.")))
        roles = [effective_role(b) for b in babs]
        for b, role in zip(babs, roles):
            if role == "ketentuan_umum" and b is not babs[0]:
                add(Problem(ERROR, "umum_not_first", _("BAB Ketentuan Umum harus menjadi BAB pertama."),
                            b["uid"], labels[b["uid"]].citation))
        if "ketentuan_umum" not in roles:
            add(Problem(WARNING, "umum_missing", _("Tidak ada BAB Ketentuan Umum (tandai perannya bila ada).")))
        if "ketentuan_penutup" not in roles:
            add(Problem(ERROR, "penutup_missing", _("BAB Ketentuan Penutup belum ada (tandai perannya pada BAB terakhir).")))
        elif roles[-1] != "ketentuan_penutup":
            b = babs[roles.index("ketentuan_penutup")]
            add(Problem(ERROR, "penutup_not_last", _("BAB Ketentuan Penutup harus menjadi BAB terakhir."),
                        b["uid"], labels[b["uid"]].citation))
        # Ketentuan pidana, then peralihan, then penutup, at the end of the body in that order.
        ordered = [(i, r) for i, r in enumerate(roles) if r in CHAPTER_ORDER]
        for (i1, r1), (i2, r2) in zip(ordered, ordered[1:]):
            if CHAPTER_ORDER.index(r1) > CHAPTER_ORDER.index(r2):
                b = babs[i2]
                add(Problem(ERROR, "chapter_order",
                            _("Urutan BAB: %(a)s harus sebelum %(b)s.") % {"a": ROLE_NAMES[r2], "b": ROLE_NAMES[r1]},
                            b["uid"], labels[b["uid"]].citation))
        for i, r in enumerate(roles):
            if r in ("ketentuan_pidana", "ketentuan_peralihan") and any(
                    not roles[j] for j in range(i + 1, len(roles))):
                b = babs[i]
                add(Problem(ERROR, "chapter_order",
                            _("%(a)s harus ditempatkan setelah BAB materi pokok, menjelang Ketentuan Penutup.") % {"a": ROLE_NAMES[r]},
                            b["uid"], labels[b["uid"]].citation))
        for role in ROLE_NAMES:
            if roles.count(role) > 1:
                add(Problem(ERROR, "role_twice", _("Hanya boleh ada satu BAB %(a)s.") % {"a": ROLE_NAMES[role]}))
    elif body:
        # A short regulation without BAB: its last Pasal is the penutup.
        pasal = [n for n in body if n["kind"] == "pasal"]
        if pasal and "berlaku" not in (pasal[-1].get("text") or "").lower() and not any(
                "berlaku" in (c.get("text") or "").lower() for c in pasal[-1].get("children") or []):
            add(Problem(WARNING, "penutup_missing", _("Pasal terakhir biasanya memuat saat mulai berlaku (ketentuan penutup)."),
                        pasal[-1]["uid"], labels[pasal[-1]["uid"]].citation))
    return problems


CONTAINER_KINDS = ("bab", "bagian", "paragraf")


def append_parent(body: list[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    """Where "add at the end" puts a new ``kind``: inside the container the drafter sees last, as deep as the
    kind may go (a Pasal into the last Paragraf/Bagian/BAB at the end of the body; a Bagian into the last BAB);
    None = the top level (a BAB, or a Pasal of a body without BAB)."""
    parent = None
    nodes = body
    while nodes:
        last = nodes[-1]
        if last["kind"] not in CONTAINER_KINDS or kind not in ALLOWED_CHILDREN[last["kind"]]:
            break
        parent = last
        nodes = last.get("children") or []
    return parent
