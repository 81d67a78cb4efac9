"""The words of an amending regulation that Pamong writes itself: the title, the first konsiderans, Pasal I
(opening sentence and instructions, ``perda.amendments.draft``) and Pasal II — from the descriptor row
``perda.kinds.FORMS["perubahan"]`` — and their HTML inside the Lampiran II layout."""
from __future__ import annotations

from typing import Any

from django.utils.html import escape

from ..kinds import FORMS, form_of
from .draft import pasal_i
from .lampiran import lampiran_instructions


def _words(meta: dict[str, Any]) -> dict[str, str]:
    from ..render.html import city_names

    names = city_names()
    perda = meta.get("kind", "perda") == "perda"
    return {
        "jenis": "Peraturan Daerah" if perda else f"Peraturan {names['head']}",
        "daerah": names["kota"] if perda else names["city"],
        "lembaran": f"Lembaran Daerah {names['kota']}" if perda else f"Berita Daerah {names['kota']}",
        "tambahan": f"Tambahan Lembaran Daerah {names['kota']}" if perda else "",
    }


def base_citation(base: dict[str, Any]) -> str:
    """"Peraturan Daerah Kota Tangerang Selatan Nomor 7 Tahun 2024"."""
    w = _words(base)
    return f"{w['jenis']} {w['daerah']} Nomor {base.get('number') or '…'} Tahun {base.get('year') or '…'}"


def base_full(base: dict[str, Any]) -> str:
    """The base as Pasal I and the dasar hukum cite it, with its Lembaran (and Tambahan) Daerah."""
    w = _words(base)
    gazette = f"{w['lembaran']} Tahun {base.get('year') or '…'} Nomor {base.get('gazette_number') or '…'}"
    if w["tambahan"]:
        gazette += f", {w['tambahan']} Nomor {base.get('tambahan_number') or '…'}"
    return f"{base_citation(base)} tentang {base.get('title', '')} ({gazette})"


def amendment_title(base: dict[str, Any], ordinal: str = "") -> str:
    form = FORMS["perubahan"]
    return form.title_formula.format(ordinal=f"{ordinal} " if ordinal else "", base_citation=base_citation(base),
                                     base_title=base.get("title", ""))


def konsiderans_seed(base: dict[str, Any]) -> str:
    return FORMS["perubahan"].konsiderans_seed.format(base_citation=base_citation(base),
                                                       base_title=base.get("title", ""))


def instructions_of(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """Pasal I's instructions of an amending snapshot (empty for any other)."""
    amendment = snapshot.get("amendment")
    if not amendment:
        return []
    if "instructions" in amendment:  # imported: the words of its own Pasal I
        return amendment["instructions"]
    return drafted_instructions(amendment.get("base_body", []), snapshot)


def drafted_instructions(base_body: list[dict], snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """Pasal I of an amendment drafted in Pamong: the body's instructions in the order of the provisions, then
    those on the base's Lampiran."""
    body = pasal_i({"body": base_body}, snapshot)
    entries = (snapshot.get("amendment") or {}).get("lampiran") or []
    jenis = _words(snapshot.get("regulation", {}))["jenis"]
    return body + lampiran_instructions(entries, jenis=jenis, start=len(body) + 1)


def opening(snapshot: dict[str, Any], instructions: list[dict[str, Any]]) -> str:
    form = form_of(snapshot)
    base = snapshot["amendment"]["base"]
    return (form.opening_one if len(instructions) == 1 else form.opening_many).format(base_full=base_full(base))


def pasal_ii(snapshot: dict[str, Any]) -> str:
    meta = snapshot.get("regulation", {})
    return (snapshot["amendment"].get("pasal_ii")
            or form_of(snapshot).pasal_ii.format(jenis_kalimat=_words(meta)["jenis"]))


def pasal_i_lines(snapshot: dict[str, Any]) -> list[str]:
    """Pasal I and Pasal II as plain lines (what the PDF prints and the tests compare word for word)."""
    instructions = instructions_of(snapshot)
    out = ["Pasal I", opening(snapshot, instructions)]
    for ins in instructions:
        out.append(f"{ins['num']}. {ins['instruction']}")
        if ins["text"]:
            out += ins["text"].split("\n")
    out += ["Pasal II", pasal_ii(snapshot)]
    return out


def amendment_body_html(snapshot: dict[str, Any], out: list[str]) -> None:
    """Pasal I and Pasal II in the Lampiran II layout (the quoted provisions indented under their
    instruction)."""
    import re

    instructions = instructions_of(snapshot)
    out.append('<section class="pasal pasal-romawi" id="pasal-i"><h4 class="pasal-num">Pasal I</h4>'
               f'<p class="pasal-text">{escape(opening(snapshot, instructions))}</p><ol class="items instructions">')
    if not instructions:
        out.append('<li class="item"><span class="txt">…</span></li>')
    for ins in instructions:
        out.append(f'<li class="item instruction op-{ins["op"]}" id="mod-{ins["num"]}">'
                   f'<span class="num">{ins["num"]}.</span><span class="txt">{escape(ins["instruction"])}</span>')
        if ins["text"]:
            out.append('<div class="quoted">')
            for ln in ins["text"].split("\n"):
                cls = "q-head" if re.match(r"^(Pasal \d+[A-Z]?|BAB [IVXLCDM]+[A-Z]?|Bagian |Paragraf )", ln) else "q-line"
                out.append(f'<p class="{cls}">{escape(ln)}</p>')
            out.append("</div>")
        out.append("</li>")
    out.append("</ol></section>")
    out.append('<section class="pasal pasal-romawi" id="pasal-ii"><h4 class="pasal-num">Pasal II</h4>'
               f'<p class="pasal-text">{escape(pasal_ii(snapshot))}</p></section>')


def amendment_penjelasan_html(snapshot: dict[str, Any], out: list[str]) -> None:
    """"II. PASAL DEMI PASAL" of an amending regulation: Pasal I by angka, each quoted Pasal with its
    penjelasan ("Cukup jelas." when it has none), then Pasal II."""
    out.append('<div class="pj-pasal"><p class="pj-num">Pasal I</p>')
    for ins in instructions_of(snapshot):
        out.append(f'<p class="pj-ayat">Angka {ins["num"]}</p>')
        pasals = _pasal_nodes(ins.get("nodes") or [])
        for n in pasals:
            out.append(f'<p class="pj-num">Pasal {escape(n["num"])}</p>'
                       f'<p class="pj-text">{escape(n.get("penjelasan") or "Cukup jelas.")}</p>')
        if not pasals:
            out.append('<p class="pj-text">Cukup jelas.</p>')
    out.append('</div><div class="pj-pasal"><p class="pj-num">Pasal II</p><p class="pj-text">Cukup jelas.</p></div>')


def _pasal_nodes(nodes: list[dict]) -> list[dict]:
    out = []
    for n in nodes:
        if n.get("type") == "pasal":
            out.append(n)
        else:
            out += _pasal_nodes(n.get("children", []))
    return out


def own_lampiran_html(snapshot: dict[str, Any], w: dict[str, str], nomor: str, out: list[str]) -> None:
    """The amending regulation's own Lampiran (the new content of the base's Lampiran it replaces or adds), each
    on its own pages: the heading at the top right (LAMPIRAN, the regulation, its number and title), the name of
    the Lampiran, its text, and the head of region's signature at the bottom right."""
    from .lampiran import own_lampiran

    meta = snapshot.get("regulation", {})
    signer = (meta.get("signer_name") or "").upper()
    for lamp in own_lampiran(snapshot):
        out.append('<section class="lampiran">'
                   f'<div class="lampiran-head"><p>{escape(lamp["label"].upper())}</p>'
                   f'<p>{escape(w["jenis_kota"])}</p><p>{escape(nomor)}</p><p>TENTANG</p>'
                   f'<p>{escape((meta.get("title") or "").upper())}</p></div>'
                   f'<h3 class="lampiran-title">{escape(lamp["title"].upper())}</h3>')
        for para in [p for p in lamp["text"].split("\n") if p.strip()]:
            out.append(f'<p class="lampiran-text">{escape(para)}</p>')
        out.append(f'<div class="lampiran-sign"><p>{escape(w["walikota"])},</p><p class="space"></p>'
                   f'<p class="name">{escape(signer) or "…………………"}</p></div></section>')
