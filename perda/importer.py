"""Recover the structure of a published regulation from its plain text (as copied out of a PDF).

``parse_regulation(text) -> dict`` gives the JSON shape of ``manage.py import_regulation``::

    {"kind", "number", "year", "title", "konsiderans": [...], "dasar_hukum": [...],
     "body": [{"type": "bab", "num": "I", "heading": ..., "children": [...]}, ...],
     "penutup": {...}, "penjelasan": {"umum": ..., "pasal": {"1": ..., ...}, "tambahan": ...}}

Pasal are ``{"type": "pasal", "num": "1", "text": ..., "ayat": [{"num": "1", "text": ..., "items": [...]}],
"items": [...]}``; list items ``{"type": "huruf"|"angka", "num": "a", "text": ..., "items": [...]}``.

``save_regulation(parsed, actor=, pemrakarsa=, drafter=)`` writes it as a new draft through the editor
services. Clean-up before parsing: page numbers ("- 2 -"), running headers (short unpunctuated lines that
repeat), hyphenated line breaks (kept for reduplication: "masing-\\nmasing"), wrapped lines.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

ROMAN = r"[IVXLCDM]+"
RE_PAGE = re.compile(r"^[-–—]?\s*\d{1,4}\s*[-–—]?$|^(halaman|hal\.)\s*\d+(\s*(dari|/)\s*\d+)?$", re.I)
RE_BAB = re.compile(rf"^BAB\s+({ROMAN}[A-Z]?)$")
RE_BAGIAN = re.compile(r"^Bagian\s+(Ke[a-z]+(?:\s+(?:Belas|Puluh|Ratus)(?:\s+[A-Z][a-z]+)?)?)$", re.I)
RE_PARAGRAF = re.compile(r"^Paragraf\s+(\d+)$", re.I)
RE_PASAL = re.compile(r"^Pasal\s+(\d+[A-Z]?)$")
RE_AYAT = re.compile(r"^\((\d+[a-z]?)\)\s*(.*)$")
RE_ITEM = re.compile(r"^(?:([a-z]{1,2}\d?)|(\d{1,3}[a-z]?))([.)])\s+(.*)$")  # "4a." and "b1." are inserted by amendments
RE_NOMOR = re.compile(r"^NOMOR\s+(\S+)\s+TAHUN\s+(\d{4})$", re.I)
RE_MENIMBANG = re.compile(r"^Menimbang\s*:?\s*(.*)$")
RE_MENGINGAT = re.compile(r"^Mengingat\s*:?\s*(.*)$")
RE_MENETAPKAN = re.compile(r"^Menetapkan\s*:?\s*(.*)$")
RE_LEMBARAN = re.compile(r"^(LEMBARAN|BERITA) DAERAH .*TAHUN\s+(\d{4})\s+NOMOR\s+(\S+)", re.I)
RE_NOREG = re.compile(r"^NOREG\b.*?\(([^)]*)\)", re.I)
RE_TAMBAHAN = re.compile(r"^TAMBAHAN LEMBARAN DAERAH .*NOMOR\s+(\S+)", re.I)

SMALL_WORDS = {"dan", "atau", "di", "ke", "dari", "yang", "untuk", "pada", "dalam", "tentang", "serta", "atas",
               "oleh", "dengan", "terhadap", "bagi", "sebagai", "tahun", "nomor"}
ACRONYMS = {"APBD", "RPJMD", "RPJPD", "RTRW", "RTH", "BUMD", "DPRD", "UMKM", "SPBE", "TIK", "CSR", "PBB", "BPHTB"}


class RegulationTextError(ValueError):
    """The text does not look like a regulation (message in Indonesian)."""


def title_case(text: str) -> str:
    words = text.split()
    out = []
    for i, w in enumerate(words):
        bare = w.strip(",.;:()")
        if bare.upper() in ACRONYMS:
            out.append(w.upper())
        elif i > 0 and bare.lower() in SMALL_WORDS:
            out.append(w.lower())
        else:
            out.append("-".join(part[:1].upper() + part[1:].lower() for part in w.split("-")))
    return " ".join(out)


def clean_lines(text: str) -> list[str]:
    """Drop page numbers and running headers, undo hyphenation; one stripped line per source line."""
    raw = [ln.replace("\u00ad", "").replace("\t", " ").strip() for ln in text.replace("\r\n", "\n").split("\n")]
    raw = [re.sub(r"\s{2,}", " ", ln) for ln in raw]
    counts = Counter(ln for ln in raw if ln)
    lines = []
    for ln in raw:
        if RE_PAGE.match(ln):
            continue
        if (ln and counts[ln] >= 3 and not ln.endswith((".", ",", ";", ":")) and len(ln) <= 80
                and not _is_marker(ln) and ln.lower() not in ("dan", "atau", "ttd", "ttd.")):
            continue
        lines.append(ln)
    # Undo hyphenation across line breaks.
    out: list[str] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        while ln.endswith("-") and len(ln) > 1 and ln[-2].isalpha() and i + 1 < len(lines) \
                and lines[i + 1][:1].islower():
            nxt = lines[i + 1]
            before = re.search(r"(\w+)-$", ln).group(1)
            first, _sep, rest = nxt.partition(" ")
            word_after = re.match(r"\w+", first)
            if word_after and word_after.group(0).lower() == before.lower():
                ln = ln + nxt  # reduplication: keep the hyphen (masing-masing)
            else:
                ln = ln[:-1] + nxt
            i += 1
        out.append(ln)
        i += 1
    return out


def _is_marker(ln: str) -> bool:
    return bool(RE_BAB.match(ln) or RE_BAGIAN.match(ln) or RE_PARAGRAF.match(ln) or RE_PASAL.match(ln))


def _join(parts: list[str]) -> str:
    return " ".join(p for p in parts if p).strip()


def _items_of_block(lines: list[str], marker_re=re.compile(r"^([a-z]|\d{1,3})\.\s+(.*)$")) -> list[str]:
    """Split a lettered/numbered block (konsiderans, dasar hukum) into its points, joining wrapped lines."""
    items: list[list[str]] = []
    for ln in lines:
        if not ln:
            continue
        m = marker_re.match(ln)
        if m:
            items.append([m.group(2)])
        elif items:
            items[-1].append(ln)
        else:
            items.append([ln])  # a single unlettered point ("Menimbang : bahwa …")
    return [_join(i) for i in items]


def _list_style(num_letter: str | None, closing: str) -> str:
    return ("huruf" if num_letter else "angka") + closing


def _parse_pasal_lines(lines: list[str]) -> dict[str, Any]:
    """The content of one Pasal: its own text, ayat, and nested lists."""
    pasal: dict[str, Any] = {"text": "", "ayat": [], "items": []}
    text_parts: list[str] = []
    current_text: list[str] | None = text_parts  # where continuation lines go
    container = pasal  # the ayat or pasal holding the list at the top of the stack
    stack: list[tuple[str, dict]] = []  # (style, item)
    current_item_parts: dict[int, list[str]] = {}

    def flush_text():
        pass

    for ln in lines:
        if not ln:
            continue
        m_ayat = RE_AYAT.match(ln)
        m_item = RE_ITEM.match(ln)
        if m_ayat:
            ayat = {"num": m_ayat.group(1), "text": "", "items": [], "_parts": [m_ayat.group(2)]}
            pasal["ayat"].append(ayat)
            container = ayat
            stack = []
            current_text = ayat["_parts"]
            continue
        if m_item:
            letter, number, closing, rest = m_item.groups()
            style = _list_style(letter, closing)
            item = {"type": "huruf" if letter else "angka", "num": letter or number, "text": "", "items": [],
                    "_parts": [rest]}
            styles = [s for s, _i in stack]
            if style in styles:
                idx = styles.index(style)
                stack = stack[:idx]
            parent_list = stack[-1][1]["items"] if stack else container["items"]
            parent_list.append(item)
            stack.append((style, item))
            current_text = item["_parts"]
            continue
        if current_text is not None:
            current_text.append(ln)
    pasal["text"] = _join(text_parts)

    def finish(node):
        if "_parts" in node:
            node["text"] = _join(node.pop("_parts"))
        for child in node.get("items", []):
            finish(child)
    for a in pasal["ayat"]:
        finish(a)
    for it in pasal["items"]:
        finish(it)
    return pasal


def parse_regulation(text: str) -> dict[str, Any]:
    lines = clean_lines(text)
    nonempty = [ln for ln in lines if ln]
    if not nonempty:
        raise RegulationTextError("Teks kosong.")
    result: dict[str, Any] = {"kind": None, "number": None, "year": None, "title": "", "konsiderans": [],
                              "dasar_hukum": [], "body": [], "penutup": {}, "penjelasan": {}}

    # --- heading ----------------------------------------------------------------------------------
    i = 0
    n = len(lines)
    while i < n and not re.match(r"^PERATURAN (DAERAH|WALI ?KOTA)", lines[i], re.I):
        i += 1
    if i == n:
        raise RegulationTextError("Judul \"PERATURAN DAERAH …\" atau \"PERATURAN WALI KOTA …\" tidak ditemukan.")
    result["kind"] = "perda" if "DAERAH" in lines[i].upper() else "perwali"
    i += 1
    while i < n and not lines[i]:
        i += 1
    m = RE_NOMOR.match(lines[i]) if i < n else None
    if m:
        result["number"] = m.group(1)
        result["year"] = int(m.group(2))
        i += 1
    while i < n and lines[i].upper() != "TENTANG":
        i += 1
    i += 1
    title_parts = []
    while i < n and not lines[i].upper().startswith("DENGAN RAHMAT"):
        if lines[i]:
            title_parts.append(lines[i])
        i += 1
    result["title"] = title_case(_join(title_parts).rstrip("."))

    # --- konsiderans and dasar hukum ---------------------------------------------------------------------
    def find(regex, start):
        for j in range(start, n):
            if regex.match(lines[j]):
                return j
        return None

    j_menimbang = find(RE_MENIMBANG, i)
    j_mengingat = find(RE_MENGINGAT, j_menimbang or i)
    j_after = None
    for j in range((j_mengingat or i), n):
        if lines[j].lower().startswith("dengan persetujuan bersama") or lines[j].upper().startswith("MEMUTUSKAN"):
            j_after = j
            break
    if j_menimbang is not None and j_mengingat is not None:
        block = [RE_MENIMBANG.match(lines[j_menimbang]).group(1)] + lines[j_menimbang + 1:j_mengingat]
        result["konsiderans"] = _items_of_block(block)
    if j_mengingat is not None and j_after is not None:
        block = [RE_MENGINGAT.match(lines[j_mengingat]).group(1)] + lines[j_mengingat + 1:j_after]
        result["dasar_hukum"] = _items_of_block(block)

    # --- body ------------------------------------------------------------------------------------------
    j_menetapkan = find(RE_MENETAPKAN, j_after or i)
    start = (j_menetapkan + 1) if j_menetapkan is not None else (j_after or i)
    while start < n and lines[start] and not _is_marker(lines[start]):
        start += 1  # the rest of the Menetapkan line(s)
    end = n
    for j in range(start, n):
        if lines[j].startswith("Agar setiap orang mengetahuinya"):
            end = j
            break
    body: list[dict] = []
    bab = bagian = paragraf = None
    pasal_lines: list[str] | None = None
    pasal_node: dict | None = None
    heading_target: dict | None = None
    last_pasal_num = 0

    def close_pasal():
        nonlocal pasal_lines, pasal_node
        if pasal_node is not None:
            pasal_node.update(_parse_pasal_lines(pasal_lines or []))
        pasal_lines, pasal_node = None, None

    def container_for_pasal():
        return (paragraf or bagian or bab or {"children": body})["children"]

    for ln in lines[start:end]:
        if not ln:
            heading_target = None if heading_target is not None and heading_target.get("heading") else heading_target
            continue
        m = RE_BAB.match(ln)
        if m:
            close_pasal()
            bab = {"type": "bab", "num": m.group(1), "heading": "", "children": []}
            body.append(bab)
            bagian = paragraf = None
            heading_target = bab
            continue
        m = RE_BAGIAN.match(ln)
        if m:
            close_pasal()
            bagian = {"type": "bagian", "num": m.group(1).title(), "heading": "", "children": []}
            (bab or {"children": body})["children"].append(bagian)
            paragraf = None
            heading_target = bagian
            continue
        m = RE_PARAGRAF.match(ln)
        if m:
            close_pasal()
            paragraf = {"type": "paragraf", "num": m.group(1), "heading": "", "children": []}
            (bagian or bab or {"children": body})["children"].append(paragraf)
            heading_target = paragraf
            continue
        m = RE_PASAL.match(ln)
        if m and (not m.group(1).isdigit() or int(m.group(1)) == last_pasal_num + 1 or last_pasal_num == 0):
            close_pasal()
            if m.group(1).isdigit():
                last_pasal_num = int(m.group(1))
            pasal_node = {"type": "pasal", "num": m.group(1)}
            container_for_pasal().append(pasal_node)
            pasal_lines = []
            heading_target = None
            continue
        if heading_target is not None and pasal_node is None:
            heading_target["heading"] = _join([heading_target["heading"], ln])
            continue
        if pasal_lines is not None:
            pasal_lines.append(ln)
    close_pasal()
    result["body"] = body
    # An amending regulation: the base it amends and Pasal I's instructions (perda/amendments/parse.py).
    from .amendments.parse import amendment_part
    result.update(amendment_part(lines[j_menetapkan if j_menetapkan is not None else start:end], result["title"]))

    # --- penutup -----------------------------------------------------------------------------------------
    j_pj = None
    for j in range(end, n):
        if lines[j].upper() == "PENJELASAN":
            j_pj = j
            break
    tail = lines[end:j_pj if j_pj is not None else n]
    penutup: dict[str, Any] = {}
    para: list[str] = []
    for k, ln in enumerate(tail):
        if not ln:
            if para and "pengundangan" not in penutup:
                penutup["pengundangan"] = _join(para)
            para = []
            continue
        if "pengundangan" not in penutup:
            para.append(ln)
        if ln.startswith("Ditetapkan di"):
            penutup["ditetapkan_di"] = ln[len("Ditetapkan di"):].strip()
        elif ln.startswith("Diundangkan di"):
            penutup["diundangkan_di"] = ln[len("Diundangkan di"):].strip()
        elif ln.startswith("pada tanggal"):
            key = "tanggal_diundangkan" if "diundangkan_di" in penutup else "tanggal_ditetapkan"
            penutup[key] = ln[len("pada tanggal"):].strip()
        elif ln.endswith(",") and ln.isupper():
            key = "jabatan_pengundang" if "diundangkan_di" in penutup else "jabatan_penetap"
            penutup[key] = ln.rstrip(",")
        elif ln.isupper() and ln.lower() not in ("ttd", "ttd.") and not RE_LEMBARAN.match(ln) and not RE_NOREG.match(ln):
            if "jabatan_pengundang" in penutup and "nama_pengundang" not in penutup:
                penutup["nama_pengundang"] = ln
            elif "jabatan_penetap" in penutup and "nama_penetap" not in penutup and "diundangkan_di" not in penutup:
                penutup["nama_penetap"] = ln
        m = RE_LEMBARAN.match(ln)
        if m:
            penutup["lembaran"] = {"jenis": m.group(1).lower(), "tahun": int(m.group(2)), "nomor": m.group(3)}
        m = RE_NOREG.match(ln)
        if m:
            penutup["noreg"] = m.group(1)
    if "dinyatakan sah" in " ".join(tail).lower():
        penutup["dinyatakan_sah"] = True
    result["penutup"] = penutup

    # --- penjelasan ----------------------------------------------------------------------------------------
    if j_pj is not None:
        pj: dict[str, Any] = {"umum": "", "pasal": {}, "tambahan": None}
        section = None
        umum: list[str] = []
        current: list[str] | None = None
        expected = 1
        for ln in lines[j_pj + 1:]:
            if not ln:
                continue
            if re.match(r"^I\.\s*UMUM$", ln, re.I):
                section = "umum"
                continue
            if re.match(r"^II\.\s*PASAL DEMI PASAL$", ln, re.I):
                section = "pasal"
                continue
            m = RE_TAMBAHAN.match(ln)
            if m:
                pj["tambahan"] = m.group(1)
                break
            if section == "umum":
                umum.append(ln)
            elif section == "pasal":
                m = RE_PASAL.match(ln)
                if m and (not m.group(1).isdigit() or int(m.group(1)) >= expected):
                    current = []
                    pj["pasal"][m.group(1)] = current
                    if m.group(1).isdigit():
                        expected = int(m.group(1)) + 1
                elif current is not None:
                    current.append(ln)
        pj["umum"] = _join(umum)
        pj["pasal"] = {k: "\n".join(v) for k, v in pj["pasal"].items()}
        result["penjelasan"] = pj
    return result


def iter_pasal(body: list[dict]):
    for node in body:
        if node["type"] == "pasal":
            yield node
        else:
            yield from iter_pasal(node.get("children", []))


# --- saving ----------------------------------------------------------------------------------------------

def save_regulation(parsed: dict[str, Any], *, actor, pemrakarsa, drafter, request=None):
    """Create a new draft from ``parsed`` through the editor services (every step audited)."""
    from django.db import transaction

    from .services import editor as svc

    kind_label = "Peraturan Daerah" if parsed.get("kind") == "perda" else "Peraturan Wali Kota"
    source = f"{kind_label} Nomor {parsed.get('number') or '…'} Tahun {parsed.get('year') or '…'}"
    closing = re.compile(r"berdasarkan pertimbangan sebagaimana dimaksud", re.I)
    pj = parsed.get("penjelasan") or {}
    with transaction.atomic():
        reg = svc.regulation_create(
            actor=actor, kind=parsed.get("kind") or "perda", title=parsed.get("title") or "Tanpa judul",
            pemrakarsa=pemrakarsa, drafter=drafter,
            outside_propemperda_reason=f"Diimpor dari teks {source} sebagai dasar perubahan.",
            penjelasan_umum=pj.get("umum", ""), request=request)
        for text in parsed.get("konsiderans", []):
            if closing.search(text):
                continue  # the closing point is generated from the count
            svc.konsiderans_add(actor=actor, regulation=reg, text=text, request=request)
        for text in parsed.get("dasar_hukum", []):
            svc.dasar_hukum_add(actor=actor, regulation=reg, text=text, request=request)
        pasal_pj = pj.get("pasal", {})
        index: dict[tuple, object] = {}  # ("10", "ayat", "1", "huruf", "a") → Provision
        placed: list[tuple[object, tuple]] = []  # (provision, its pasal key) for the reference pass

        def add_items(items, parent, key, pasal_key):
            for it in items:
                node = svc.provision_add(actor=actor, regulation=reg, kind=it["type"], parent=parent,
                                         text=it.get("text", ""), request=request)
                k = key + (it["type"], it["num"])
                index[k] = node
                placed.append((node, pasal_key))
                add_items(it.get("items", []), node, k, pasal_key)

        def add(nodes, parent):
            for node in nodes:
                t = node["type"]
                if t in ("bab", "bagian", "paragraf"):
                    role = _guess_role(node.get("heading", "")) if t == "bab" else ""
                    heading = node.get("heading", "")
                    p = svc.provision_add(actor=actor, regulation=reg, kind=t, parent=parent,
                                          heading=heading.upper() if t == "bab" else heading, role=role,
                                          request=request)
                    add(node.get("children", []), p)
                else:
                    penjelasan = pasal_pj.get(node["num"], "")
                    if penjelasan.strip().lower() in ("cukup jelas.", "cukup jelas"):
                        penjelasan = ""
                    p = svc.provision_add(actor=actor, regulation=reg, kind="pasal", parent=parent,
                                          text=node.get("text", ""), penjelasan=penjelasan, request=request)
                    key = (node["num"],)
                    index[key] = p
                    placed.append((p, key))
                    for a in node.get("ayat", []):
                        ap = svc.provision_add(actor=actor, regulation=reg, kind="ayat", parent=p,
                                               text=a.get("text", ""), request=request)
                        index[key + ("ayat", a["num"])] = ap
                        placed.append((ap, key))
                        add_items(a.get("items", []), ap, key + ("ayat", a["num"]), key)
                    add_items(node.get("items", []), p, key, key)
        add(parsed.get("body", []), None)
        # Second pass: citations of this regulation's own provisions become references by identity, so
        # they follow any later renumbering of the amendment draft.
        for provision, pasal_key in placed:
            new_text = link_references(provision.text, index, pasal_key, svc.reference_token)
            if new_text != provision.text:
                svc.provision_edit(actor=actor, provision=provision, text=new_text, request=request)
    return reg


RE_CITATION = re.compile(
    r"(?P<prefix>sebagaimana dimaksud (?:dalam|pada) )"
    r"(?P<cite>(?:Pasal (?P<pasal>\d+[A-Z]?))?(?:\s*ayat \((?P<ayat>\d+[a-z]?)\))?"
    r"(?:\s*huruf (?P<huruf>[a-z]{1,2}))?(?:\s*angka (?P<angka>\d+))?)"
    r"(?P<after>\s+(?:Undang|Peraturan|UU|PP|Perpres|Keputusan|Instruksi|Kitab)\b)?")


def link_references(text: str, index: dict[tuple, object], pasal_key: tuple, token) -> str:
    """Replace "sebagaimana dimaksud dalam Pasal 10 huruf a" / "pada ayat (1)" citations of provisions that
    exist in ``index`` by reference tokens; citations of other laws and unknown targets stay as text."""
    def repl(m: re.Match) -> str:
        if not m.group("cite").strip() or m.group("after"):
            return m.group(0)
        if m.group("pasal"):
            key: tuple = (m.group("pasal"),)
        elif m.group("ayat"):
            key = pasal_key
        else:
            return m.group(0)  # "dalam huruf a" alone is ambiguous outside konsiderans
        if m.group("ayat"):
            key = key + ("ayat", m.group("ayat"))
        for kind in ("huruf", "angka"):
            if m.group(kind):
                # a list may hang under the ayat or directly under the Pasal
                key = key + (kind, m.group(kind))
        target = index.get(key)
        if target is None:
            return m.group(0)
        trailing = m.group("cite")[len(m.group("cite").rstrip()):]
        return f"{m.group('prefix')}{token(target)}{trailing}"
    return RE_CITATION.sub(repl, text or "")


def _guess_role(heading: str) -> str:
    h = heading.upper()
    for key, role in (("KETENTUAN UMUM", "ketentuan_umum"), ("KETENTUAN PIDANA", "ketentuan_pidana"),
                      ("KETENTUAN PERALIHAN", "ketentuan_peralihan"), ("KETENTUAN PENUTUP", "ketentuan_penutup")):
        if key in h:
            return role
    return ""
