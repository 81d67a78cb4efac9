"""The Lampiran II layout of a regulation as HTML, from a snapshot (perda/README.md).

Built with plain string joins rather than templates: a 300-Pasal regulation renders in milliseconds, and the
same HTML feeds the on-screen preview and the PDF. Every piece of user text goes through ``escape``.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.html import escape

from workflows.region import current_region, head_title_of

from ..numbering import REF_RE, MISSING_REF, Label, cite, konsiderans_closing, konsiderans_letter, number_tree

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")
LIST_KINDS = ("huruf", "angka")


def city_names() -> dict[str, str]:
    """Names printed in the frame of this installation's own regulations (``workflows.region``)."""
    region = current_region()
    return {"kota": region.full_name, "city": region.name, "province": region.province,
            "head": region.head_title, "place": region.capital}


def _printed_date(meta: dict[str, Any], which: str) -> str:
    """The date of penetapan/pengundangan in long form, or as printed in an imported text."""
    value = meta.get(f"{which}_on")
    if value:
        return tanggal(value)
    return escape(meta.get(f"{which}_date_text") or "") or tanggal(None)


def tanggal(value: str | dt.date | None) -> str:
    if not value:
        return "…………………"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def _text(text: str, labels: dict[str, Label], context_uid: str | None) -> str:
    """Escape user text and resolve reference tokens into linked citations."""
    out = escape(text or "")

    def repl(m):
        uid = m.group(1)
        c = cite(uid, labels, context_uid)
        if c is None:
            return f'<span class="ref ref-missing">{MISSING_REF}</span>'
        return f'<a class="ref" href="#p-{uid}">{escape(c)}</a>'
    return REF_RE.sub(repl, out).replace("\n", "<br>")


RE_KIND_WORDS = re.compile(r"^PERATURAN\s*(DAERAH|WALI\s*KOTA|BUPATI|GUBERNUR)\b")


def region_names(meta: dict[str, Any]) -> dict[str, str]:
    """The region a regulation belongs to: its own (imported from another region's text) or this
    installation's (settings)."""
    region = (meta.get("region_name") or "").strip()
    if not region:
        return city_names()
    first, _sep, rest = region.partition(" ")
    city = rest if first.lower() in ("kota", "kabupaten", "provinsi") and rest else region
    head = head_title_of(region)
    return {"kota": region, "city": city, "province": (meta.get("province_name") or "").strip(), "head": head,
            "place": city}


def frame_words(meta: dict[str, Any]) -> dict[str, str]:
    names = region_names(meta)
    perda = meta.get("kind", "perda") == "perda"
    kota_up = names["kota"].upper()
    head_up = f"{names['head']} {names['city']}".upper()  # WALI KOTA TANGERANG SELATAN, BUPATI TANGERANG
    words = {
        "jenis": "PERATURAN DAERAH" if perda else f"PERATURAN {names['head'].upper()}",
        "jenis_kota": (f"PERATURAN DAERAH {kota_up}" if perda else f"PERATURAN {head_up}"),
        "jenis_kalimat": "Peraturan Daerah" if perda else f"Peraturan {names['head']}",
        "walikota": head_up,
        "sekda": f"SEKRETARIS DAERAH {kota_up}",
        "dprd": f"DEWAN PERWAKILAN RAKYAT DAERAH {kota_up}",
        "provinsi": f"PROVINSI {names['province'].upper()}",
        "lembaran": (f"LEMBARAN DAERAH {kota_up}" if perda else f"BERITA DAERAH {kota_up}"),
        "lembaran_kalimat": (f"Lembaran Daerah {names['kota']}" if perda else f"Berita Daerah {names['kota']}"),
        "city": names["city"],
        "kota_up": kota_up,
        "province": names["province"].upper(),
    }
    # Printed as published (imported text): the heading office and kind, the closing places and offices.
    kind_words = RE_KIND_WORDS.match((meta.get("kind_heading") or "").upper())
    if kind_words:
        jenis = re.sub(r"\s+", " ", kind_words.group(0))  # "PERATURAN GUBERNUR", as the heading prints it
        words["jenis"] = jenis
        words["jenis_kalimat"] = jenis.title()
        gazette = "Lembaran Daerah" if perda else "Berita Daerah"
        words["lembaran_kalimat"] = f"{gazette} {names['kota']}"
        words["lembaran"] = f"{gazette.upper()} {kota_up}"
    if meta.get("head_title"):
        words["walikota"] = meta["head_title"].upper().rstrip(",")
    if meta.get("kind_heading"):
        words["jenis_kota"] = meta["kind_heading"].upper()
    if meta.get("sekda_title"):
        words["sekda"] = meta["sekda_title"].rstrip(",")
    if meta.get("region_name") and not names["province"]:
        words["provinsi"] = ""
    # The diktum and the order to promulgate, as printed in an imported text, else in Lampiran II's words.
    words["menetapkan"] = (meta.get("menetapkan_text") or
                           f"{words['jenis']} TENTANG {(meta.get('title') or '').upper()}.")
    words["pengundangan"] = (meta.get("pengundangan_text") or
                             f"Agar setiap orang mengetahuinya, memerintahkan pengundangan {words['jenis_kalimat']} "
                             f"ini dengan penempatannya dalam {words['lembaran_kalimat']}.")
    words["enacted_place"] = meta.get("enacted_place") or names["place"]
    words["promulgated_place"] = meta.get("promulgated_place") or names["place"]
    return words


def _nomor(meta: dict[str, Any]) -> str:
    number = meta.get("number")
    year = meta.get("year")
    return f"NOMOR {number if number is not None else '…'} TAHUN {year if year is not None else '…'}"


def _node_html(node: dict, labels: dict[str, Label], out: list[str]) -> None:
    kind = node["kind"]
    uid = node["uid"]
    label = labels[uid]
    children = node.get("children") or []
    if kind in ("bab", "bagian", "paragraf"):
        heading = node.get("heading", "")
        if kind == "bab":
            heading = heading.upper()
        out.append(f'<section class="{kind}" id="p-{uid}"><h3 class="{kind}-num">{escape(label.label)}</h3>'
                   f'<h3 class="{kind}-title">{escape(heading)}</h3>')
        for child in children:
            _node_html(child, labels, out)
        out.append("</section>")
    elif kind == "pasal":
        out.append(f'<section class="pasal" id="p-{uid}"><h4 class="pasal-num">{escape(label.label)}</h4>')
        if node.get("text"):
            out.append(f'<p class="pasal-text">{_text(node["text"], labels, uid)}</p>')
        if children:
            _items(children, labels, out)
        out.append("</section>")
    else:  # ayat/list items are emitted by _items
        raise ValueError(kind)


def _items(nodes: list[dict], labels: dict[str, Label], out: list[str]) -> None:
    out.append('<ol class="items">')
    for node in nodes:
        uid = node["uid"]
        out.append(f'<li class="item {node["kind"]}" id="p-{uid}"><span class="num">{escape(labels[uid].label)}</span>'
                   f'<span class="txt">{_text(node.get("text", ""), labels, uid)}</span>')
        if node.get("children"):
            _items(node["children"], labels, out)
        out.append("</li>")
    out.append("</ol>")


def body_html(snapshot: dict[str, Any], labels: dict[str, Label] | None = None) -> str:
    labels = labels if labels is not None else number_tree(snapshot)
    out: list[str] = []
    for node in snapshot.get("body", []):
        _node_html(node, labels, out)
    return "".join(out)


def has_penjelasan(snapshot: dict[str, Any]) -> bool:
    """Whether the regulation has a penjelasan of its own: always for a Perda (Lampiran II); a Perwali only
    when it has a general explanation or an explanation of some Pasal or ayat."""
    if snapshot.get("regulation", {}).get("kind", "perda") == "perda":
        return True
    if (snapshot.get("penjelasan_umum") or "").strip():
        return True

    def walk(nodes):
        for n in nodes:
            if n["kind"] in ("pasal", "ayat") and (n.get("penjelasan") or "").strip():
                return True
            if walk(n.get("children") or []):
                return True
        return False
    return walk(snapshot.get("body", []))


def _penjelasan_html(snapshot, labels, w, meta, out) -> None:
    pasals = []

    def walk(nodes):
        for n in nodes:
            if n["kind"] == "pasal":
                pasals.append(n)
            elif n["kind"] in ("bab", "bagian", "paragraf"):
                walk(n.get("children") or [])
    walk(snapshot.get("body", []))
    if not has_penjelasan(snapshot):
        return
    title = meta.get("title", "")
    out.append('<section class="penjelasan">')
    out.append(f'<div class="heading"><p>PENJELASAN</p><p>ATAS</p><p>{w["jenis_kota"]}</p><p>{_nomor(meta)}</p>'
               f'<p>TENTANG</p><p>{escape(title.upper())}</p></div>')
    out.append('<h4 class="pj-part">I. UMUM</h4>')
    umum = snapshot.get("penjelasan_umum") or ""
    for para in [p for p in umum.split("\n") if p.strip()] or ["Cukup jelas."]:
        out.append(f'<p class="pj-text">{escape(para)}</p>')
    out.append('<h4 class="pj-part">II. PASAL DEMI PASAL</h4>')
    if form_body(snapshot) == "pasal_romawi":  # an amending regulation: Pasal I (by angka) and Pasal II
        from ..amendments.render import amendment_penjelasan_html

        amendment_penjelasan_html(snapshot, out)
        pasals = []
    for p in pasals:
        uid = p["uid"]
        out.append(f'<div class="pj-pasal"><p class="pj-num">{escape(labels[uid].label)}</p>')
        ayat = [c for c in p.get("children") or [] if c["kind"] == "ayat"]
        if not p.get("penjelasan") and ayat and any(a.get("penjelasan") for a in ayat):
            for a in ayat:
                out.append(f'<p class="pj-ayat">Ayat {escape(labels[a["uid"]].label)}</p>'
                           f'<p class="pj-text">{_text(a.get("penjelasan") or "Cukup jelas.", labels, a["uid"])}</p>')
        else:
            out.append(f'<p class="pj-text">{_text(p.get("penjelasan") or "Cukup jelas.", labels, uid)}</p>')
        out.append("</div>")
    if meta.get("tambahan_label"):
        out.append(f'<p class="tambahan">{escape(meta["tambahan_label"])}</p>')
    else:  # a Perda's penjelasan goes in the Tambahan Lembaran Daerah, a Perwali's in the Tambahan Berita Daerah
        tambahan = meta.get("tambahan_number")
        out.append(f'<p class="tambahan">TAMBAHAN {w["lembaran"]} NOMOR {tambahan if tambahan is not None else "…"}</p>')
    out.append("</section>")


def _batang_tubuh_html(snapshot: dict[str, Any], labels: dict[str, Label], out: list[str]) -> None:
    for node in snapshot.get("body", []):
        _node_html(node, labels, out)


def _pasal_romawi_html(snapshot: dict[str, Any], labels: dict[str, Label], out: list[str]) -> None:
    from ..amendments.render import amendment_body_html

    amendment_body_html(snapshot, out)


def form_body(snapshot: dict[str, Any]) -> str:
    """The body layout named by the regulation's form descriptor (``perda.kinds``)."""
    from ..kinds import form_of

    return form_of(snapshot).body


def _body_writer(snapshot: dict[str, Any]):
    return {"batang_tubuh": _batang_tubuh_html, "pasal_romawi": _pasal_romawi_html}[form_body(snapshot)]


def document_html(snapshot: dict[str, Any], *, labels: dict[str, Label] | None = None) -> str:
    """The regulation itself (no <html> wrapper): frame, body, penutup, penjelasan."""
    meta = snapshot.get("regulation", {})
    if labels is None:
        from ..amendments.draft import labels_for  # an amendment draft keeps the base's numbers

        labels = labels_for(snapshot)
    w = frame_words(meta)
    perda = meta.get("kind", "perda") == "perda"
    title = meta.get("title", "")
    out: list[str] = ['<article class="regulation">']
    out.append('<div class="heading">'
               f'<p>{w["walikota"]}</p><p>{w["provinsi"]}</p>'
               f'<p class="gap">{w["jenis_kota"]}</p><p>{_nomor(meta)}</p>'
               f'<p class="gap">TENTANG</p><p>{escape(title.upper())}</p>'
               f'<p class="gap">DENGAN RAHMAT TUHAN YANG MAHA ESA</p>'
               f'<p class="gap">{w["walikota"]},</p></div>')

    # Menimbang: the drafter's points, then the closing point generated from their count.
    kons = snapshot.get("konsiderans", [])
    rows = [(konsiderans_letter(i) + ".", _text(k["text"], labels, None)) for i, k in enumerate(kons)]
    if not meta.get("imported_from_text"):  # an imported regulation keeps its own closing point as printed
        rows.append((konsiderans_letter(len(kons)) + ".",
                     escape(konsiderans_closing(len(kons), meta.get("kind", "perda"), title,
                                                 head=region_names(meta)["head"]))))
    out.append('<table class="frame menimbang">')
    for i, (num, text) in enumerate(rows):
        lbl = "Menimbang" if i == 0 else ""
        colon = ":" if i == 0 else ""
        out.append(f'<tr><td class="lbl">{lbl}</td><td class="colon">{colon}</td><td class="num">{num}</td>'
                   f'<td class="txt">{text}</td></tr>')
    out.append("</table>")
    out.append('<table class="frame mengingat">')
    for i, d in enumerate(snapshot.get("dasar_hukum", [])):
        lbl = "Mengingat" if i == 0 else ""
        colon = ":" if i == 0 else ""
        out.append(f'<tr><td class="lbl">{lbl}</td><td class="colon">{colon}</td><td class="num">{i + 1}.</td>'
                   f'<td class="txt">{_text(d["text"], labels, None)}</td></tr>')
    out.append("</table>")
    if perda:
        out.append(f'<div class="persetujuan"><p>Dengan Persetujuan Bersama</p><p>{w["dprd"]}</p><p>dan</p>'
                   f'<p>{w["walikota"]}</p></div>')
    out.append('<p class="memutuskan">MEMUTUSKAN:</p>')
    out.append(f'<table class="frame menetapkan"><tr><td class="lbl">Menetapkan</td><td class="colon">:</td>'
               f'<td class="txt">{escape(w["menetapkan"])}</td></tr></table>')
    out.append('<div class="body">')
    _body_writer(snapshot)(snapshot, labels, out)
    out.append("</div>")

    # Penutup.
    out.append(f'<p class="pengundangan">{escape(w["pengundangan"])}</p>')
    imported = bool(meta.get("imported_from_text"))
    signer_title = (meta.get("signer_title") or w["walikota"]).upper().rstrip(",")
    signer = (meta.get("signer_name") or "")
    signer = signer if imported else signer.upper()  # an imported name stays as printed (titles included)
    out.append('<div class="signatures">')
    out.append(f'<div class="sign sign-penetapan"><p>Ditetapkan di {escape(w["enacted_place"])}</p>'
               f'<p>pada tanggal {_printed_date(meta, "enacted")}</p>')
    if meta.get("dinyatakan_sah"):
        out.append(f'<p class="sah">{w["jenis_kalimat"]} ini dinyatakan sah.</p>')
    else:
        out.append(f'<p class="office">{escape(signer_title)},</p><p class="space"></p>'
                   f'<p class="name">{escape(signer) or "…………………"}</p>')
    out.append("</div>")
    # Lampiran II puts the pengundangan block on the left, under the penetapan block, followed by the gazette
    # line (and, for a Perda, the NOREG line): the whole closing is kept on one page, so NOREG never ends up
    # alone on the last page.
    sekda_name = meta.get("sekda_name") or ""
    out.append(f'<div class="sign sign-pengundangan"><p>Diundangkan di {escape(w["promulgated_place"])}</p>'
               f'<p>pada tanggal {_printed_date(meta, "promulgated")}</p>'
               f'<p class="office">{escape(w["sekda"])},</p><p class="space"></p>'
               f'<p class="name">{escape(sekda_name if imported else sekda_name.upper()) or "…………………"}</p></div>')
    gazette = meta.get("gazette_number")
    year = meta.get("year")
    if meta.get("gazette_label"):
        out.append(f'<p class="lembaran">{escape(meta["gazette_label"])}</p>')
    else:
        out.append(f'<p class="lembaran">{w["lembaran"]} TAHUN {year if year is not None else "…"} '
                   f'NOMOR {gazette if gazette is not None else "…"}</p>')
    if meta.get("noreg_label"):
        out.append(f'<p class="noreg">{escape(meta["noreg_label"])}</p>')
    elif perda and not imported:
        noreg = meta.get("noreg") or "…/…"
        out.append(f'<p class="noreg">NOREG {w["jenis_kota"]}, {w["provinsi"]}: ({escape(noreg)})</p>')
    out.append("</div>")
    _penjelasan_html(snapshot, labels, w, meta, out)
    if (snapshot.get("amendment") or {}).get("lampiran"):
        from ..amendments.render import own_lampiran_html

        own_lampiran_html(snapshot, w, _nomor(meta), out)
    out.append("</article>")
    return "".join(out)


def is_draft(snapshot: dict[str, Any]) -> bool:
    """A draft until numbered and promulgated; a regulation imported from its published text never is one."""
    meta = snapshot.get("regulation", {})
    promulgated = meta.get("promulgated_on") or meta.get("imported_from_text")
    return not (meta.get("number") not in (None, "") and promulgated)


def render_html(snapshot: dict[str, Any], *, draft: bool | None = None, standalone: bool = True,
                css: str = "", title: str | None = None) -> str:
    """The complete HTML page (``standalone``) or the bare ``<article>``; ``draft`` None = decide from the
    enactment fields, True adds the "RANCANGAN" watermark."""
    body = document_html(snapshot)
    if draft is None:
        draft = is_draft(snapshot)
    if not standalone:
        return body
    meta = snapshot.get("regulation", {})
    page_title = escape(title or f"{frame_words(meta)['jenis_kalimat']} tentang {meta.get('title', '')}")
    watermark = '<div class="watermark">RANCANGAN</div>' if draft else ""
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{page_title}</title>'
            f"<style>{css}</style></head>"
            f'<body class="{"draft" if draft else "final"}">{watermark}{body}</body></html>')
