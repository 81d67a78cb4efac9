"""Recognise an amending regulation ("Perubahan atas …") and the numbered instructions of its Pasal I.

Lampiran II UU 12/2011 (Bab IV, Ketentuan Perubahan) fixes the wording this module reads::

    Pasal I
    Beberapa ketentuan dalam Peraturan Daerah … Nomor … Tahun … tentang … (Lembaran Daerah …) diubah sebagai
    berikut:
    1. Ketentuan Pasal 5 diubah sehingga berbunyi sebagai berikut:            → ubah  "Pasal 5"
    2. Ketentuan ayat (2) Pasal 6 diubah sehingga Pasal 6 berbunyi …:         → ubah  "Pasal 6 ayat (2)"
    3. Di antara Pasal 7 dan Pasal 8 disisipkan 1 (satu) pasal, yakni Pasal 7A yang berbunyi …:
                                                                              → sisip "Pasal 7A" after "Pasal 7"
    4. Pasal 9 dihapus.                                                       → hapus "Pasal 9"
    5. Ketentuan huruf b ayat (1) Pasal 3 dihapus.                            → hapus "Pasal 3 ayat (1) huruf b"
    6. Pasal 12 ditambah 1 (satu) ayat, yakni ayat (4) sehingga Pasal 12 …:    → tambah "Pasal 12 ayat (4)"
    7. Lampiran I diubah sehingga menjadi sebagaimana tercantum dalam …       → ubah  "Lampiran I"
    Pasal II
    Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.

A regulation with a single change says it in Pasal I's own sentence ("Ketentuan Pasal 5 dalam Peraturan
Daerah … diubah sehingga berbunyi sebagai berikut:"); that is instruction 1. An instruction that combines
verbs ("… diubah dan ditambah 1 (satu) ayat …, sehingga Pasal 5 berbunyi …") is an ``ubah`` of the whole Pasal.

Each instruction keeps the words that follow it exactly (``text``, its lines joined by newlines) and their
structure in the import shape (``nodes``), which is what consolidation puts in place of the old text.
"""
from __future__ import annotations

import re
from typing import Any

from .tree import Locator, ORDER, format_locator, parse_locator

RE_TITLE = re.compile(
    r"^Perubahan(?:\s+(?P<ordinal>Ke[a-z]+))?\s+atas\s+(?P<kind>Peraturan\s+(?:Daerah|Wali\s*kota|Bupati|Gubernur))"
    r"(?P<region>.*?)\s+Nomor\s+(?P<number>\S+)\s+Tahun\s+(?P<year>\d{4})\s+tentang\s+(?P<title>.+?)\.?$",
    re.I | re.S,
)
RE_PASAL_ROMAN = re.compile(r"^Pasal\s+([IVX]+)$")
RE_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(.*)$")
RE_INSTRUCTION = re.compile(
    r"^(?:Ketentuan\b|Di\s*antara\b|Diantara\b|Setelah\b|Sebelum\b|Judul\b|Lampiran\b|LAMPIRAN\b|Penjelasan\b|"
    r"(?:BAB|Bab)\s+[IVXLC]+[A-Z]?\b|Bagian\b|Paragraf\b|"
    r"(?:Pasal|ayat|huruf|angka)\s+\S+.*\b(?:diubah|dihapus|ditambah|ditambahkan|disisipkan)\b)"
)
VERBS = (("disisipkan", "sisip"), ("disisipi", "sisip"), ("disisip", "sisip"), ("ditambahkan", "tambah"),
         ("ditambah", "tambah"), ("dihapus", "hapus"), ("diubah", "ubah"))
RE_SISIP = re.compile(
    r"^(?:Di\s*antara|Diantara)\s+(?P<a>.+?)\s+dan\s+(?P<b>.+?)\s*,?\s+disisip(?:kan|i)?\s+\d+\s*\([^)]*\)\s*"
    r"(?P<what>bab|bagian|paragraf|pasal|ayat|huruf|angka|lampiran)(?:\s+baru)?\s*,?\s*(?:yakni|yaitu)\s+(?P<new>.+?)"
    r"(?:\s*,?\s*(?:sehingga|yang|dengan|sebagaimana)\b.*)?[.:]?$", re.I | re.S)
RE_TAMBAH = re.compile(
    r"^(?:Ketentuan\s+)?(?:Setelah\s+(?P<after>.+?)\s*,?(?=\s+ditambah))?(?P<host>.*?)\s*ditambah(?:kan)?\s+\d+\s*\([^)]*\)\s*"
    r"(?P<what>bab|bagian|paragraf|pasal|ayat|huruf|angka|lampiran)(?:\s+baru)?\s*,?\s*(?:yakni|yaitu)\s+(?P<new>.+?)"
    r"(?:\s*,?\s*(?:sehingga|yang|dengan|sebagaimana)\b.*)?[.:]?$", re.I | re.S)
RE_WHOLE_PASAL = re.compile(r"sehingga\s+(?:keseluruhan\s+)?(Pasal\s+\d+[A-Z]?)\s+berbunyi", re.I)
RANK = {**ORDER, "huruf": 6, "angka": 6}


class AmendmentTextError(ValueError):
    """Pasal I could not be read (message in Indonesian)."""


def parse_amends(title: str) -> dict[str, Any] | None:
    """The base regulation named in an amending regulation's title, or None when it is not one."""
    m = RE_TITLE.match(" ".join((title or "").split()))
    if not m:
        return None
    kind_words = m.group("kind").lower()
    # A Peraturan Wali Kota / Bupati / Gubernur is the regional head's regulation: the importer's "perwali".
    kind = "perda" if "daerah" in kind_words else "perwali"
    return {"kind": kind, "number": m.group("number"), "year": int(m.group("year")),
            "title": m.group("title").strip(), "ordinal": (m.group("ordinal") or "").title()}


def is_instruction_start(line: str, expected: int) -> str | None:
    """The instruction's first line when ``line`` is "N. <instruction>" with N the expected number."""
    m = RE_NUMBERED.match(line)
    if not m or int(m.group(1)) != expected:
        return None
    rest = m.group(2)
    return rest if RE_INSTRUCTION.match(rest) else None


def split_pasal_i(lines: list[str]) -> tuple[list[str], list[str]]:
    """(the lines of Pasal I, the lines of Pasal II) from the body lines of an amending regulation."""
    starts = [i for i, ln in enumerate(lines) if RE_PASAL_ROMAN.match(ln.strip()) and ln.strip().endswith(" I")]
    if not starts:
        raise AmendmentTextError("Pasal I tidak ditemukan dalam peraturan perubahan.")
    start = starts[0]
    ends = [i for i, ln in enumerate(lines) if i > start and re.match(r"^Pasal\s+II$", ln.strip())]
    if not ends:
        return lines[start + 1:], []
    end = ends[0]
    stop = next((i for i in range(end + 1, len(lines))
                 if re.match(r"^(Agar setiap orang|Ditetapkan di|Pasal\s+III$)", lines[i].strip())), len(lines))
    return lines[start + 1:end], lines[end + 1:stop]


def _blocks(lines: list[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(Pasal I's opening lines, [(instruction number, its lines from the instruction sentence on)])."""
    blocks: list[tuple[int, list[str]]] = []
    intro: list[str] = []
    expected = 1
    for ln in (ln.strip() for ln in lines):
        first = is_instruction_start(ln, expected) if ln else None
        if first is not None:
            blocks.append((expected, [first]))
            expected += 1
        elif blocks:
            blocks[-1][1].append(ln)
        else:
            intro.append(ln)
    return intro, blocks


def parse_instructions(lines: list[str]) -> list[dict[str, Any]]:
    """The instructions of Pasal I (its lines, without the "Pasal I" heading), in order."""
    intro, blocks = _blocks(lines)
    if not blocks:
        # One change only: the instruction is Pasal I's own sentence.
        sentence_lines, rest = _sentence(intro)
        if not sentence_lines:
            raise AmendmentTextError("Instruksi perubahan dalam Pasal I tidak dikenali.")
        sentence = re.sub(r"\s+dalam\s+Peraturan\s+.*?(?=\s+(?:diubah|dihapus|ditambah|disisipkan))", "",
                          " ".join(sentence_lines), flags=re.S)
        return [instruction(1, sentence, rest)]
    out = []
    for num, block in blocks:
        sentence_lines, rest = _sentence(block)
        out.append(instruction(num, " ".join(sentence_lines), rest))
    return out


def _sentence(block: list[str]) -> tuple[list[str], list[str]]:
    """Split a block into the instruction sentence (up to its ":" or ".") and the text after it."""
    for i, ln in enumerate(block):
        if ln.endswith((":", ".")) and not re.search(r"\b(?:Nomor|No)\.$", ln):
            return block[:i + 1], block[i + 1:]
    return block, []


def _context(full: Locator, partial: Locator) -> Locator:
    """Complete ``partial`` ("ayat (1)") with the outer levels of ``full`` ("Pasal 18 ayat (2)")."""
    if not partial:
        return partial
    rank = RANK.get(partial[0][0], 9)
    return [p for p in full if RANK.get(p[0], 9) < rank] + partial


def _split_many(text: str) -> list[str]:
    return [t for t in re.split(r"\s*,\s*(?:dan\s+)?|\s+dan\s+", text.strip()) if t]


def _tolerant(sentence: str) -> str:
    """Misprints seen in published texts, undone for *locating* only (the words kept are the printed ones):
    "ayat (3 dan" → "ayat (3) dan", "(3)a" → "(3a)", "Pasa 2" → "Pasal 2", "( 3b)" → "(3b)"."""
    s = re.sub(r"\(\s*(\d+[a-z]?)\s*\)", r"(\1)", sentence)
    s = re.sub(r"\((\d+)\)([a-z])\b", r"(\1\2)", s)
    s = re.sub(r"\((\d+[a-z]?)(?=\s+dan\b|,)", r"(\1)", s)
    s = re.sub(r"\bPasa\s+(\d)", r"Pasal \1", s)
    return s


def _pieces(text: str) -> list[str]:
    """"ayat (3a) dan (3b)" → ["ayat (3a)", "ayat (3b)"]: a bare number takes the word before it."""
    out: list[str] = []
    for piece in _split_many(text):
        if re.match(r"^\(\d+[a-z]?\)$", piece) and out:
            piece = "ayat " + piece
        elif re.match(r"^[a-z]\d*$", piece) and out:
            piece = out[-1].split(" ", 1)[0] + " " + piece
        out.append(piece)
    return out


def instruction(num: int, sentence: str, text_lines: list[str]) -> dict[str, Any]:
    """One instruction: its op, target(s), and the text that follows it."""
    printed = " ".join(sentence.split())
    sentence = _tolerant(printed)
    head = re.split(r"\s*,?\s*sehingga\b", sentence, maxsplit=1)[0]
    verbs = [op for word, op in VERBS if re.search(rf"\b{word}\b", head)]
    # "ditambah" is found inside "ditambahkan": keep one "tambah".
    verbs = list(dict.fromkeys(verbs))
    text = "\n".join(ln for ln in text_lines).strip("\n")
    whole = RE_WHOLE_PASAL.search(sentence)
    after = None
    targets: list[str]
    if len(verbs) > 1:
        op = "ubah"
        loc = parse_locator(whole.group(1) if whole else head)
        pasal = [p for p in loc if p[0] == "pasal"]
        targets = [format_locator(pasal[:1] or loc[:1])]
    elif verbs == ["sisip"] and (m := RE_SISIP.match(sentence)):
        op = "sisip"
        b = parse_locator(m.group("b"))
        a = _context(b, parse_locator(m.group("a")))
        after = format_locator(a)
        targets = [format_locator(_context(b, parse_locator(n))) for n in _pieces(m.group("new"))]
    elif verbs == ["tambah"] and (m := RE_TAMBAH.match(sentence)):
        op = "tambah"
        host = parse_locator(m.group("host") or "")
        if m.group("after"):
            after_loc = parse_locator(m.group("after"))
            host = host or after_loc
            after = format_locator(_context(host, after_loc))
        targets = [format_locator(_context(host, parse_locator(n)) if host else parse_locator(n))
                   for n in _pieces(m.group("new"))]
    elif verbs and re.search(r"\bLampiran\b", head, re.I):
        # "Ketentuan huruf A, huruf B, dan huruf D Lampiran I Peraturan Daerah … diubah sehingga menjadi …"
        op = verbs[0]
        m = re.search(r"\bLampiran(?:\s+([IVXLC]+)\b)?", head, re.I)
        targets = [f"Lampiran {m.group(1)}" if m.group(1) else "Lampiran"]
    elif verbs:
        op = verbs[0]
        loc_text = re.split(r"\s+di(?:ubah|hapus|tambah|sisip)\w*\b", head, maxsplit=1)[0]
        loc_text = re.sub(r"^Ketentuan\s+", "", loc_text)
        loc_text = re.split(r"\s+(?:dalam\s+)?Peraturan\s", loc_text, maxsplit=1)[0]
        pieces = _split_many(loc_text)
        parts = [parse_locator(p) for p in pieces]
        # "angka 2, angka 3, dan angka 5 Pasal 1": the last piece carries the Pasal for all.
        outer = max(parts, key=len) if parts else []
        targets = [format_locator(_context(outer, p) if len(p) < len(outer) else p) for p in parts if p]
    else:
        raise AmendmentTextError(f"Instruksi perubahan angka {num} tidak dikenali: \"{sentence}\".")
    if not targets:
        raise AmendmentTextError(f"Sasaran instruksi perubahan angka {num} tidak dikenali: \"{sentence}\".")
    out: dict[str, Any] = {"num": num, "op": op, "target": targets[0], "instruction": printed, "text": text}
    if len(targets) > 1:
        out["targets"] = targets
    if after:
        out["after"] = after
    if whole:
        out["whole"] = whole.group(1)
    out["nodes"] = text_nodes(text_lines)
    return out


# --- the text after an instruction, as import-shape nodes --------------------------------------------------

RE_BAB = re.compile(r"^BAB\s+([IVXLCDM]+[A-Z]?)$")
RE_BAGIAN = re.compile(r"^Bagian\s+(Ke[a-z]+(?:\s+(?:Belas|Puluh)(?:\s+[A-Z][a-z]+)?)?(?:\s+[A-Z])?)$", re.I)
RE_PARAGRAF = re.compile(r"^Paragraf\s+(\d+[A-Z]?)$", re.I)
RE_PASAL = re.compile(r"^Pasal\s+(\d+[A-Z]?)$")


def _bagian_num(printed: str) -> str:
    """"KEDUA A" / "Kedua A" → "Kedua A" (the letter of an inserted Bagian stays a capital)."""
    words = printed.split()
    return " ".join(w if len(w) == 1 else w.title() for w in words)


def text_nodes(lines: list[str]) -> list[dict[str, Any]]:
    """Import-shape nodes of the text that follows an instruction: whole BAB/Bagian/Pasal, or a fragment
    (``{"type": "fragment", "text", "ayat", "items"}``) for an ayat, huruf or angka given alone."""
    from ..importer import _parse_pasal_lines

    lines = [ln.strip() for ln in lines if ln.strip()]
    if not lines:
        return []
    if not (RE_BAB.match(lines[0]) or RE_BAGIAN.match(lines[0]) or RE_PARAGRAF.match(lines[0])
            or RE_PASAL.match(lines[0])):
        frag = _parse_pasal_lines(lines)
        return [{"type": "fragment", **frag}]
    out: list[dict] = []
    stack: list[dict] = []  # open containers (bab > bagian > paragraf)
    heading_of: dict | None = None
    pasal: dict | None = None
    pasal_lines: list[str] = []

    def close():
        nonlocal pasal, pasal_lines
        if pasal is not None:
            pasal.update(_parse_pasal_lines(pasal_lines))
        pasal, pasal_lines = None, []

    level = {"bab": 1, "bagian": 2, "paragraf": 3}
    for ln in lines:
        container = None
        for kind, rx in (("bab", RE_BAB), ("bagian", RE_BAGIAN), ("paragraf", RE_PARAGRAF)):
            m = rx.match(ln)
            if m:
                container = {"type": kind, "num": m.group(1) if kind != "bagian" else _bagian_num(m.group(1)),
                             "heading": "", "children": []}
                break
        if container is not None:
            close()
            while stack and level[stack[-1]["type"]] >= level[container["type"]]:
                stack.pop()
            (stack[-1]["children"] if stack else out).append(container)
            stack.append(container)
            heading_of = container
            continue
        m = RE_PASAL.match(ln)
        if m:
            close()
            pasal = {"type": "pasal", "num": m.group(1)}
            (stack[-1]["children"] if stack else out).append(pasal)
            heading_of = None
            continue
        if pasal is not None:
            pasal_lines.append(ln)
        elif heading_of is not None:
            heading_of["heading"] = " ".join(p for p in (heading_of["heading"], ln) if p)
    close()
    return out


def amendment_part(body_lines: list[str], title: str) -> dict[str, Any]:
    """``{"amends", "instructions", "pasal_ii"}`` for an amending regulation (its body lines, from after
    "Menetapkan" to before "Agar setiap orang"), ``{}`` for any other regulation. The importer adds this to
    its JSON."""
    amends = parse_amends(title)
    if amends is None:
        return {}
    # "… Nomor 7 Tahun 2024 …": the number words of a citation keep their capitals in the title.
    title = re.sub(r"\b(nomor|tahun)(?=\s+\d)", lambda m: m.group(1).title(), title)
    pasal_i, pasal_ii = split_pasal_i(body_lines)
    instructions = parse_instructions(pasal_i)
    intro, blocks = _blocks(pasal_i)
    pasal_ii_text = " ".join(ln.strip() for ln in pasal_ii if ln.strip())
    if blocks:
        items = [{"type": "angka", "num": str(num), "text": "\n".join(ln for ln in block if ln).strip(), "items": []}
                 for num, block in blocks]
        opening = " ".join(ln for ln in intro if ln)
    else:
        items, opening = [], "\n".join(ln for ln in intro if ln)
    body = [{"type": "pasal", "num": "I", "text": opening, "ayat": [], "items": items},
            {"type": "pasal", "num": "II", "text": pasal_ii_text, "ayat": [], "items": []}]
    return {"title": title, "body": body, "amends": amends, "instructions": instructions, "pasal_ii": pasal_ii_text}
