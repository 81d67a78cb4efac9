"""Recover the structure of a published regulation from its plain text (as copied out of a PDF).

``parse_regulation(text) -> dict`` gives the JSON shape of ``manage.py import_regulation``::

    {"kind", "number", "year", "title", "konsiderans": [...], "dasar_hukum": [...],
     "body": [{"type": "bab", "num": "I", "heading": ..., "children": [...]}, ...],
     "penutup": {...}, "penjelasan": {"umum": ..., "pasal": {"1": ..., ...}, "tambahan": ...}}

Pasal are ``{"type": "pasal", "num": "1", "text": ..., "ayat": [{"num": "1", "text": ..., "items": [...]}],
"items": [...]}``; list items ``{"type": "huruf"|"angka", "num": "a", "text": ..., "items": [...]}``.

``save_regulation(parsed, actor=, pemrakarsa=, drafter=)`` writes it as a new draft through the editor
services. Clean-up before parsing (``clean_text``) removes only page furniture recognised by what it is and
reports anything doubtful with its line number; no word of the law is changed (perda/README.md, "Import").
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

from workflows.region import head_title_of

ROMAN = r"[IVXLCDM]+"
RE_PAGE = re.compile(r"^[-–—]?\s*\d{1,4}\s*[-–—]?$|^(halaman|hal\.)\s*\d+(\s*(dari|/)\s*\d+)?$", re.I)
RE_BAB = re.compile(rf"^BAB\s+({ROMAN}[A-Z]?)$")
RE_BAGIAN = re.compile(r"^Bagian\s+(Pertama|Ke[a-z]+(?:\s+(?:Belas|Puluh|Ratus)(?:\s+[A-Z][a-z]+)?)?)$", re.I)
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


RE_KIND_HEADING = re.compile(r"^PERATURAN\s*(DAERAH|WALI\s*KOTA|BUPATI|GUBERNUR)\b", re.I)
RE_PASAL_ROMAN = re.compile(r"^Pasal\s+([IVX]+)$")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman_value(num: str) -> int:
    total = 0
    for i, ch in enumerate(num):
        v = ROMAN_VALUES.get(ch, 0)
        total += -v if i + 1 < len(num) and ROMAN_VALUES.get(num[i + 1], 0) > v else v
    return total


def _region_of(top: list[str]) -> dict[str, str]:
    """Region, heading office and kind heading from the lines above the number: "PERATURAN DAERAH KOTA
    SURABAYA" → Kota Surabaya; "PERATURAN BUPATI DONGGALA" → Kabupaten Donggala; "PERATURAN GUBERNUR BALI"
    → Provinsi Bali."""
    kind_heading = re.sub(r"\s+", " ", top[-1]).strip()
    rest = RE_KIND_HEADING.sub("", kind_heading).strip()
    office = RE_KIND_HEADING.match(kind_heading).group(1).upper().replace(" ", "")
    if office == "DAERAH":
        region = rest
    else:
        prefix = {"BUPATI": "Kabupaten", "GUBERNUR": "Provinsi"}.get(office, "Kota")
        region = f"{prefix} {rest}" if rest and not rest.upper().startswith(("KOTA", "KABUPATEN", "PROVINSI")) else rest
    province = ""
    head = ""
    for ln in top[:-1]:
        if re.match(r"^PROVINSI\s+\S", ln) and not province:
            province = ln[len("PROVINSI"):].strip()
        elif re.match(r"^(WALI\s*KOTA|BUPATI|GUBERNUR)\b", ln, re.I) and not head:
            head = ln.rstrip(",")
    return {"region": title_case(region) if region else "", "province": title_case(province) if province else "",
            "head_title": head, "kind_heading": kind_heading}


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


RE_ESIGN_FOOTER = re.compile(r"^Dokumen ini telah ditandatangani secara elektronik\b", re.I)
RE_ESIGN_CONT = re.compile(r"(BSrE|Sertifikasi Elektronik|Badan Siber dan Sandi Negara|diterbitkan oleh|"
                           r"memindai QR Code|Aplikasi NDE|mengakses tautan)", re.I)
RE_PATH_LIKE = re.compile(r"^[A-Za-z]:\\\S|^/\S+/\S+\.\w+$")


def _page_value(ln: str) -> int | None:
    m = re.search(r"\d+", ln)
    return int(m.group(0)) if m and RE_PAGE.match(ln) else None


def clean_text(text: str) -> dict[str, Any]:
    """Split ``text`` into lines and remove page furniture recognised by what it is, never by repetition.

    Removed: a page number (a line that is only a number, "- 2 -" or "Halaman 2") standing at a page break
    (form feed) or continuing the page count; the e-signature footer of the BSrE certificate; a running
    header that repeats the regulation's own heading line right after a page break. Anything else is kept;
    a line that looks like furniture but is not recognised (a file path, a lone number out of sequence) is
    kept and reported in ``warnings`` with its line number for the drafter to settle.

    Returns ``{"lines": [str], "linenos": [int], "furniture": [{"line", "text", "reason"}], "warnings": [...]}``;
    hyphenated line ends are joined to the next line keeping the hyphen (a line-final hyphen in a published
    regulation is a real one: "semata-⏎mata", "sebesar-⏎besarnya").
    """
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    page_break = [("\f" in ln) for ln in raw_lines]
    raw = [re.sub(r"\s{2,}", " ", ln.replace("\u00ad", "").replace("\t", " ").replace("\f", "").strip())
           for ln in raw_lines]
    nonempty = [i for i, ln in enumerate(raw) if ln]
    heading_lines: set[str] = set()
    for i in nonempty[:12]:
        if re.match(r"^(PERATURAN|NOMOR|WALI ?KOTA|BUPATI|GUBERNUR)\b", raw[i]):
            heading_lines.add(raw[i].upper())
    furniture: list[dict] = []
    warnings: list[dict] = []
    keep = [True] * len(raw)
    last_page = 1

    def near_break(i: int) -> bool:
        """The line opens a page (its own form feed or one on the blank lines just before it) or closes one."""
        j = i
        while j >= 0:
            if page_break[j]:
                return True
            if j < i and raw[j]:
                break
            j -= 1
        j = i + 1
        while j < len(raw) and not raw[j]:
            if page_break[j]:
                return True
            j += 1
        return j < len(raw) and page_break[j]

    counts = Counter(ln for ln in raw if ln)

    def next_to_page_number(i: int) -> bool:
        for j in (i - 1, i + 1):
            if 0 <= j < len(raw) and raw[j] and _page_value(raw[j]) is not None:
                return True
        return False

    i = 0
    while i < len(raw):
        ln = raw[i]
        if not ln:
            i += 1
            continue
        value = _page_value(ln)
        if value is not None:
            # "- 2 -" and "Halaman 2" say what they are; a bare number must stand at a page break, or alone
            # (a blank line beside it) and next in the page count.
            marked = bool(re.match(r"^([-–—]\s*\d+\s*[-–—]|(halaman|hal\.)\s*\d+)", ln, re.I))
            isolated = (i == 0 or not raw[i - 1]) or (i + 1 == len(raw) or not raw[i + 1])
            if near_break(i) or (value == last_page + 1 and (isolated or marked)):
                keep[i] = False
                last_page = value
                furniture.append({"line": i + 1, "text": ln, "reason": "nomor halaman"})
            else:
                warnings.append({"line": i + 1, "text": ln,
                                 "message": "Angka tersendiri yang tidak jelas nomor halaman: dipertahankan, periksa."})
            i += 1
            continue
        if RE_ESIGN_FOOTER.match(ln):
            keep[i] = False
            furniture.append({"line": i + 1, "text": ln, "reason": "kaki halaman tanda tangan elektronik"})
            j = i + 1
            while j < len(raw) and raw[j] and RE_ESIGN_CONT.search(raw[j]) and j - i <= 4:
                keep[j] = False
                furniture.append({"line": j + 1, "text": raw[j], "reason": "kaki halaman tanda tangan elektronik"})
                j += 1
            i = j
            continue
        if (near_break(i) and ln.upper() in heading_lines and i > nonempty[min(len(nonempty) - 1, 11)]
                and not _in_heading_block(raw, i)):
            keep[i] = False
            furniture.append({"line": i + 1, "text": ln, "reason": "kepala halaman (judul peraturan ini)"})
            i += 1
            continue
        if RE_PATH_LIKE.match(ln):
            warnings.append({"line": i + 1, "text": ln,
                             "message": "Baris mirip nama berkas (kepala/kaki halaman?): dipertahankan, periksa."})
        elif counts[ln] >= 3 and len(ln) <= 80 and not ln.endswith((".", ",", ";", ":")) and next_to_page_number(i):
            warnings.append({"line": i + 1, "text": ln,
                             "message": "Baris berulang di pergantian halaman (kepala/kaki halaman?): "
                                        "dipertahankan, periksa."})
        i += 1
    lines: list[str] = []
    linenos: list[int] = []
    for idx, ln in enumerate(raw):
        if not keep[idx]:
            continue
        if (ln and lines and lines[-1].endswith("-") and len(lines[-1]) > 1 and lines[-1][-2].isalpha()
                and ln[:1].islower()):
            before = re.search(r"(\w+)-$", lines[-1])
            after = re.match(r"\w+", ln)
            if not (before and after and before.group(1).lower() == after.group(0).lower()):
                warnings.append({"line": idx + 1, "text": lines[-1][-30:] + ln[:30],
                                 "message": "Tanda hubung di akhir baris dipertahankan: periksa apakah bagian dari "
                                            "kata (mis. \"sebesar-besarnya\") atau pemenggalan."})
            lines[-1] = lines[-1] + ln  # hyphen kept: "masing-⏎masing" → "masing-masing"
            continue
        lines.append(ln)
        linenos.append(idx + 1)
    spaced = [(ln.replace("\f", "").rstrip() if keep[idx] else "") for idx, ln in enumerate(raw_lines)]
    return {"lines": lines, "linenos": linenos, "furniture": furniture, "warnings": warnings, "raw": spaced}


def _in_heading_block(raw: list[str], i: int) -> bool:
    """The line belongs to a title block (of the penjelasan or a lampiran), not to a running header."""
    def neighbour(step: int) -> str:
        j = i + step
        while 0 <= j < len(raw) and not raw[j]:
            j += step
        return raw[j].upper() if 0 <= j < len(raw) else ""
    before, after = neighbour(-1), neighbour(1)
    return (before.startswith(("PENJELASAN", "ATAS", "LAMPIRAN")) or after.startswith(("NOMOR", "TENTANG"))
            or before.startswith("PERATURAN"))


def clean_lines(text: str) -> list[str]:
    """The cleaned lines of ``text`` (see ``clean_text``)."""
    return clean_text(text)["lines"]


def _is_marker(ln: str) -> bool:
    return bool(RE_BAB.match(ln) or RE_BAGIAN.match(ln) or RE_PARAGRAF.match(ln) or RE_PASAL.match(ln))


def _join(parts: list[str]) -> str:
    return " ".join(p for p in parts if p).strip()


def _items_of_block(lines: list[str], marker_re=re.compile(r"^([a-z]|\d{1,3})\.(?:\s+(.*))?$")) -> list[str]:
    """Split a lettered/numbered block (konsiderans, dasar hukum) into its points, joining wrapped lines. A
    marker counts only as the next in sequence (a, b, c … or 1, 2, 3 …), so a wrapped line that happens to
    start with "2." stays in its point; a marker alone on its line ("c.⏎bahwa …") still opens a point."""
    items: list[list[str]] = []
    for ln in lines:
        if not ln:
            continue
        m = marker_re.match(ln) or (RE_FIRST_POINT_NO_DOT.match(ln) if not items else None)
        if m and m.group(1) == _block_marker(len(items), m.group(1).isdigit()):
            items.append([m.group(2) or ""])
        elif items:
            items[-1].append(ln)
        else:
            items.append([ln])  # a single unlettered point ("Menimbang : bahwa …")
    return [_join(i) for i in items]


RE_FIRST_POINT_NO_DOT = re.compile(r"^(a)\s+(bahwa\b.*)$")  # "Menimbang : a bahwa …" (dot missing in print)


def _block_marker(index: int, numbered: bool) -> str:
    return str(index + 1) if numbered else (chr(ord("a") + index) if index < 26 else "")


def _list_style(num_letter: str | None, closing: str) -> str:
    return ("huruf" if num_letter else "angka") + closing


RE_CONTINUES = re.compile(r"(\b(ayat|huruf|angka|Pasal|pasal|Nomor|nomor|dan|atau|serta|dengan|pada|dalam|"
                          r"tanggal)|,|-)$")


RE_CONTINUES_ITEM = re.compile(r"\b(ayat|huruf|angka|Pasal|pasal|Nomor|nomor)$")


def _continues_sentence(prev: str, *, item: bool = False) -> bool:
    """The previous line stops mid-sentence where a citation goes on ("… sebagaimana dimaksud pada ayat");
    a list point ending "; dan" / "; atau" does not."""
    prev = prev.rstrip()
    if not prev or re.search(r";\s*(dan|atau|serta)$", prev):
        return False
    return bool((RE_CONTINUES_ITEM if item else RE_CONTINUES).search(prev))


def _ayat_key(num: str) -> tuple[int, str]:
    m = re.match(r"(\d+)([a-z]?)", num)
    return (int(m.group(1)), m.group(2)) if m else (0, "")


def _starts_ayat(num: str, ayat: list[dict], prev: str) -> bool:
    """An ayat starts only with the number the law expects next — (1) first, then (n+1), or an inserted
    (na)/(nb) after (n) — and not where the line before stops mid-citation."""
    if _continues_sentence(prev):
        return False
    n, letter = _ayat_key(num)
    if not ayat:
        return (n, letter) == (1, "")
    last_n, last_letter = _ayat_key(ayat[-1]["num"])
    if (n, letter) == (last_n + 1, ""):
        return True
    if n == last_n and letter and (not last_letter or ord(letter) == ord(last_letter) + 1):
        return True
    return False


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

    prev = ""
    for ln in lines:
        if not ln:
            continue
        m_ayat = RE_AYAT.match(ln)
        m_item = RE_ITEM.match(ln)
        if m_ayat and not _starts_ayat(m_ayat.group(1), pasal["ayat"], prev):
            m_ayat = None  # a wrapped cross-reference ("… pada ayat⏎(1) dan ayat (2)"), not a new ayat
        if m_item and _continues_sentence(prev, item=True):
            m_item = None  # "… huruf⏎a. …" wrapped, not a new point
        prev = ln
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
    cleaned = clean_text(text)
    lines = cleaned["lines"]
    nonempty = [ln for ln in lines if ln]
    if not nonempty:
        raise RegulationTextError("Teks kosong.")
    result: dict[str, Any] = {"kind": None, "number": None, "year": None, "title": "", "konsiderans": [],
                              "dasar_hukum": [], "body": [], "penutup": {}, "penjelasan": {},
                              "warnings": cleaned["warnings"], "furniture": cleaned["furniture"]}

    # --- heading ----------------------------------------------------------------------------------
    i = 0
    n = len(lines)
    while i < n and not RE_KIND_HEADING.match(lines[i]):
        i += 1
    if i == n:
        raise RegulationTextError("Judul \"PERATURAN DAERAH …\", \"PERATURAN WALI KOTA …\" atau "
                                  "\"PERATURAN BUPATI …\" tidak ditemukan.")
    result["kind"] = "perda" if "DAERAH" in lines[i].upper() else "perwali"
    result.update(_region_of(lines[:i + 1]))
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
    first_marker = next((j for j in range(start, n) if _is_marker(lines[j]) or RE_PASAL_ROMAN.match(lines[j])), None)
    if first_marker is not None:
        start = first_marker  # the rest of the Menetapkan line(s), and anything kept before the first BAB/Pasal
    else:
        while start < n and lines[start]:
            start += 1
    # Every line is kept somewhere: the heading block before Menimbang, the frame from "Dengan Persetujuan
    # Bersama" to the first BAB or Pasal.
    result["heading_text"] = _join(lines[:j_menimbang if j_menimbang is not None else i])
    result["frame_text"] = _join(lines[j_after:start]) if j_after is not None else ""
    if j_menetapkan is not None:  # the diktum as printed: "PERATURAN DAERAH TENTANG … ."
        diktum = [RE_MENETAPKAN.match(lines[j_menetapkan]).group(1)]
        for ln in lines[j_menetapkan + 1:start]:
            if not ln or RE_PATH_LIKE.match(ln):
                break
            diktum.append(ln)
        result["menetapkan"] = _join(diktum)
    amending = any(RE_PASAL_ROMAN.match(ln) for ln in lines[start:])
    unplaced: list[str] = []
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
        if amending:
            # An amending regulation: Pasal I, Pasal II …; the BAB/Pasal headings inside Pasal I belong to
            # the amended text its instructions quote.
            m = RE_PASAL_ROMAN.match(ln)
            if m and _roman_value(m.group(1)) == last_pasal_num + 1:
                close_pasal()
                last_pasal_num += 1
                pasal_node = {"type": "pasal", "num": m.group(1)}
                body.append(pasal_node)
                pasal_lines = []
            elif pasal_lines is not None:
                pasal_lines.append(ln)
            else:
                unplaced.append(ln)
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
        else:
            unplaced.append(ln)
    close_pasal()
    result["body"] = body
    if unplaced:
        result["unplaced"] = unplaced
        result["warnings"].append({"line": 0, "text": unplaced[0][:80],
                                   "message": "Baris batang tubuh di luar BAB/Pasal: disimpan, periksa."})
    # An amending regulation: the base it amends and Pasal I's instructions (perda/amendments/parse.py).
    from .amendments.parse import amendment_part
    result.update(amendment_part(lines[j_menetapkan if j_menetapkan is not None else start:end], result["title"]))

    # --- penutup -----------------------------------------------------------------------------------------
    j_pj = None
    for j in range(end, n):
        if RE_PJ_START.match(lines[j]):
            j_pj = j
            break
    tail = lines[end:j_pj if j_pj is not None else n]
    raw_tail = cleaned["raw"][cleaned["linenos"][end] - 1:(cleaned["linenos"][j_pj] - 1) if j_pj is not None else None] \
        if end < n else []
    result["penutup"] = _closing_block(tail, raw_tail)

    # --- penjelasan ----------------------------------------------------------------------------------------
    if j_pj is not None:
        result["penjelasan"] = _penjelasan(lines[j_pj:], {p["num"] for p in iter_pasal(body)})
    return result


RE_PJ_START = re.compile(r"^PENJELASAN(\s+ATAS)?$", re.I)
RE_PJ_UMUM = re.compile(r"^(I\.\s*)?UMUM\.?$", re.I)
RE_PJ_PASAL_PART = re.compile(r"^(II\.\s*)?(PENJELASAN\s+)?PASAL\s+DEMI\s+PASAL\.?$", re.I)
RE_PJ_ENTRY = re.compile(r"^Pasal\s+(\d+[A-Z]?|[IVX]+)\s*(?::\s*(.*)|\s+((?:C|c)ukup\s+jelas.*))?$")
RE_OFFICE_PENETAP = re.compile(r"^(Pj\.?\s+|Plt\.?\s+|Plh\.?\s+)?(WALI\s*KOTA|BUPATI|GUBERNUR)\b.*$")
RE_OFFICE_PENGUNDANG = re.compile(r"^(an\.\s+)?(Pj\.?\s+|Plt\.?\s+|Plh\.?\s+)?SEKRETARIS\s+DAERAH\b.*$", re.I)
RE_SIGN_NOISE = re.compile(r"^(ttd\.?|TTD\.?|PARAF.*|TELAH DITELITI.*|Salinan sesuai.*|Mengetahui.*|NIP\.?.*)$")


def _right_column(raw: str) -> str:
    """The rightmost column of a layout line (the signature column sits on the right)."""
    parts = [p.strip() for p in re.split(r"\s{6,}", raw.strip()) if p.strip()]
    return re.sub(r"\s+", " ", parts[-1]) if parts else ""


def _closing_block(tail: list[str], raw_tail: list[str]) -> dict[str, Any]:
    """Places and dates of penetapan and pengundangan, signers' offices and names, the Lembaran/Berita Daerah
    and NOREG lines, read from the lines after the body (``text`` keeps them all)."""
    out: dict[str, Any] = {"text": _join(tail)}
    # "Agar setiap orang mengetahuinya, memerintahkan pengundangan … ." as printed, up to its full stop.
    sentence: list[str] = []
    for ln in tail:
        if not ln:
            continue
        sentence.append(ln)
        if ln.endswith("."):
            break
    if sentence and sentence[0].startswith("Agar setiap orang"):
        out["pengundangan"] = _join(sentence)
    cols = [_right_column(r) for r in raw_tail if r.strip()] or [ln for ln in tail if ln]
    part = "penetapan"
    name_candidates: list[str] = []
    for k, ln in enumerate(cols):
        if re.match(r"^Ditetapkan di\b", ln, re.I):
            out["ditetapkan_di"] = ln[len("Ditetapkan di"):].strip()
            part = "penetapan"
            continue
        m = re.match(r"^Diundangkan di\s*(.*)$", ln, re.I)
        if m:
            place = m.group(1).strip()
            if place and not re.fullmatch(r"[.…\s]+", place):  # "Diundangkan di ………" is a blank form
                out["diundangkan_di"] = place
            part = "pengundangan"
            continue
        m = re.match(r"^(?:pada|Pada)\s+tanggal\s*,?\s*(.*)$", ln)
        if m and m.group(1).strip() and "diundangkan" not in m.group(1):
            out["tanggal_diundangkan" if part == "pengundangan" else "tanggal_ditetapkan"] = m.group(1).strip()
            continue
        if RE_LEMBARAN.match(ln):
            m = RE_LEMBARAN.match(ln)
            out["lembaran"] = {"jenis": "lembaran" if m.group(1).upper().startswith("L") else "berita",
                               "tahun": int(m.group(2)), "nomor": m.group(3)}
            out["lembaran_text"] = ln
            continue
        if re.match(r"^NOREG\b", ln, re.I):
            m = re.search(r"\(([^)]*)\)", ln)
            value = m.group(1) if m else re.split(r"NOMOR|:", ln, flags=re.I)[-1]
            out["noreg"] = value.strip()
            out["noreg_text"] = ln
            continue
        if RE_OFFICE_PENGUNDANG.match(ln) and "jabatan_pengundang" not in out:
            out["jabatan_pengundang"] = ln.rstrip(",").strip()
            part = "pengundangan"
            continue
        if RE_OFFICE_PENETAP.match(ln) and "jabatan_penetap" not in out and part == "penetapan":
            out["jabatan_penetap"] = ln.rstrip(",").strip()
            continue
        if RE_SIGN_NOISE.match(ln) or RE_PATH_LIKE.match(ln) or not re.search(r"[A-Za-z]", ln):
            continue
        if part == "penetapan" and "jabatan_penetap" in out and ln.upper() == ln:
            out["nama_penetap"] = ln  # the last capitalised line above "Diundangkan di"
        elif part == "pengundangan" and "jabatan_pengundang" in out and "nama_pengundang" not in out \
                and "lembaran" not in out:
            out["nama_pengundang"] = ln
    if "dinyatakan sah" in out["text"].lower():
        out["dinyatakan_sah"] = True
    return out


def _penjelasan(lines: list[str], body_pasal: set[str] | None = None) -> dict[str, Any]:
    """The penjelasan: heading, I. UMUM, II. PASAL DEMI PASAL with an entry per Pasal (its ayat and huruf
    entries inside), the Tambahan Lembaran Daerah line, and whatever follows it. An entry opens only for a
    Pasal of the body, in order, and not where the line before stops mid-citation ("… dalam⏎Pasal 12⏎…"),
    so no entry swallows the next and no citation opens an entry."""
    pj: dict[str, Any] = {"heading": "", "umum": "", "pasal": {}, "tambahan": None}
    heading: list[str] = []
    umum: list[str] = []
    trailing: list[str] = []
    section = "heading"
    current: list[str] | None = None
    expected = 1
    for ln in lines:
        if not ln:
            continue
        if section == "after":
            trailing.append(ln)
            continue
        if section == "heading" and RE_PJ_UMUM.match(ln):
            section = "umum"
            pj["umum_heading"] = ln
            continue
        if section in ("heading", "umum") and RE_PJ_PASAL_PART.match(ln):
            section = "pasal"
            pj["pasal_heading"] = ln
            continue
        m = RE_TAMBAHAN.match(ln)
        if m:
            pj["tambahan"] = m.group(1)
            pj["tambahan_text"] = ln
            section = "after"
            continue
        if section == "heading":
            heading.append(ln)
        elif section == "umum":
            umum.append(ln)
        else:
            m = RE_PJ_ENTRY.match(ln)
            num = m.group(1) if m else None
            if num and body_pasal and num not in body_pasal:
                num = None
            if num and current and _continues_sentence(current[-1]):
                num = None
            if num and (not num.isdigit() or int(num) >= expected):
                current = []
                pj["pasal"][num] = current
                if num.isdigit():
                    expected = int(num) + 1
                first = (m.group(2) or m.group(3) or "").strip()
                if first:
                    current.append(first)
            elif current is not None:
                current.append(ln)
            else:
                umum.append(ln)
    pj["heading"] = _join(heading)
    pj["umum"] = _join(umum)
    pj["pasal"] = {k: "\n".join(v) for k, v in pj["pasal"].items()}
    if trailing:
        pj["trailing_text"] = _join(trailing)
    return pj


def imported_text(parsed: dict[str, Any]) -> str:
    """The parsed regulation written out again in document order, one unit a line, with its markers
    (BAB/Pasal headings, (1), a., 1.) — what the import keeps of the source, for review and for the
    word-for-word comparison with the source."""
    out: list[str] = [parsed.get("heading_text", "")]
    for label, key, numbered in (("Menimbang", "konsiderans", False), ("Mengingat", "dasar_hukum", True)):
        items = parsed.get(key) or []
        out.append(label)
        for k, text in enumerate(items):
            out.append(f"{_block_marker(k, numbered) if len(items) > 1 else ''} {text}")
    out.append(parsed.get("frame_text", ""))

    def items_text(items: list[dict]) -> None:
        for it in items:
            out.append(f"{it['num']}. {it.get('text', '')}")
            items_text(it.get("items", []))

    def walk(nodes: list[dict]) -> None:
        for node in nodes:
            if node["type"] == "pasal":
                out.append(f"Pasal {node['num']}")
                out.append(node.get("text", ""))
                items_text(node.get("items", []))
                for a in node.get("ayat", []):
                    out.append(f"({a['num']}) {a.get('text', '')}")
                    items_text(a.get("items", []))
            else:
                word = {"bab": "BAB", "bagian": "Bagian", "paragraf": "Paragraf"}[node["type"]]
                out.append(f"{word} {node['num']}")
                out.append(node.get("heading", ""))
                walk(node.get("children", []))
    walk(parsed.get("body", []))
    out.extend(parsed.get("unplaced", []))
    out.append((parsed.get("penutup") or {}).get("text", ""))
    pj = parsed.get("penjelasan") or {}
    if pj:
        out.append(pj.get("heading", ""))
        out.append(pj.get("umum_heading", ""))
        out.append(pj.get("umum", ""))
        out.append(pj.get("pasal_heading", ""))
        for num, text in (pj.get("pasal") or {}).items():
            out.append(f"Pasal {num}")
            out.append(text)
        out.append(pj.get("tambahan_text", ""))
        out.append(pj.get("trailing_text", ""))
    return "\n".join(line for line in out if line)


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

    kind_label = (title_case(parsed["kind_heading"]) if parsed.get("kind_heading") else
                  "Peraturan Daerah" if parsed.get("kind") == "perda" else
                  f"Peraturan {head_title_of(parsed.get('region') or '')}")
    source = f"{kind_label} Nomor {parsed.get('number') or '…'} Tahun {parsed.get('year') or '…'}"

    pj = parsed.get("penjelasan") or {}
    with transaction.atomic():
        reg = svc.regulation_create(
            actor=actor, kind=parsed.get("kind") or "perda", title=parsed.get("title") or "Tanpa judul",
            pemrakarsa=pemrakarsa, drafter=drafter,
            outside_propemperda_reason=f"Diimpor dari teks {source} sebagai dasar perubahan.",
            penjelasan_umum=pj.get("umum", ""), request=request)
        for text in parsed.get("konsiderans", []):
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
        _published_closing_set(reg, parsed)
        if parsed.get("amends"):  # an amending regulation: linked to its base in the JDIH (perda/amendments)
            from .amendments.services import amendment_import_link

            amendment_import_link(regulation=reg, parsed=parsed, actor=actor, request=request)
    return reg


def _published_closing_set(reg, parsed: dict[str, Any]) -> None:
    """Store the imported regulation's own region, number, dates, signers and gazette lines as printed. The
    dates stay text (``*_date_text``): the import is an editable draft (the basis of an amendment), and a
    ``promulgated_on`` would freeze it as enacted."""
    pen = parsed.get("penutup") or {}
    pj = parsed.get("penjelasan") or {}
    lembaran = pen.get("lembaran") or {}
    number = str(parsed.get("number") or "")
    reg.imported_from_text = True
    reg.region_name = parsed.get("region") or ""
    reg.province_name = parsed.get("province") or ""
    reg.head_title = parsed.get("head_title") or ""
    reg.kind_heading = parsed.get("kind_heading") or ""
    reg.number = int(number) if number.isdigit() else None
    reg.year = parsed.get("year")
    reg.enacted_place = pen.get("ditetapkan_di", "")
    reg.enacted_date_text = pen.get("tanggal_ditetapkan", "")
    reg.promulgated_place = pen.get("diundangkan_di", "")
    reg.promulgated_date_text = pen.get("tanggal_diundangkan", "")
    reg.signer_title = pen.get("jabatan_penetap", "")
    reg.signer_name = pen.get("nama_penetap", "")
    reg.sekda_title = pen.get("jabatan_pengundang", "")
    reg.sekda_name = pen.get("nama_pengundang", "")
    reg.gazette_label = pen.get("lembaran_text", "")
    reg.gazette_number = int(lembaran["nomor"]) if str(lembaran.get("nomor", "")).isdigit() else None
    reg.noreg = pen.get("noreg", "")[:64]
    reg.noreg_label = pen.get("noreg_text", "")
    reg.tambahan_label = pj.get("tambahan_text", "") or ""
    reg.tambahan_number = int(pj["tambahan"]) if str(pj.get("tambahan") or "").isdigit() else None
    reg.dinyatakan_sah = bool(pen.get("dinyatakan_sah"))
    reg.menetapkan_text = parsed.get("menetapkan") or ""
    reg.pengundangan_text = pen.get("pengundangan") or ""
    reg.save()


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
