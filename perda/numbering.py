"""Numbering per Lampiran II UU 12/2011, computed from a snapshot (see perda/README.md). Pure functions.

BAB in Roman numerals (continuous), Bagian in ordinal words (per BAB), Paragraf 1, 2, … (per Bagian), Pasal
continuous through the whole regulation, ayat (1), (2) per Pasal, lists a. → 1. → a) → 1): a list item of
a kind nested under an item of the same kind takes the ")" form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from num2words import num2words

from workflows.region import current_region

REF_RE = re.compile(r"\[\[ref:([0-9A-Za-z_-]{1,64})\]\]")
MISSING_REF = "[rujukan tidak ditemukan]"

LIST_KINDS = ("huruf", "angka")


def roman(n: int) -> str:
    if n <= 0:
        raise ValueError("roman numerals start at 1")
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def ordinal_word(n: int) -> str:
    """1 → "Kesatu", 2 → "Kedua", 11 → "Kesebelas", 12 → "Kedua Belas", 21 → "Kedua Puluh Satu"."""
    if n == 1:
        return "Kesatu"
    words = num2words(n, lang="id").split()
    first, rest = words[0], words[1:]
    return " ".join(["Ke" + first] + [w.capitalize() for w in rest])


def letter(n: int) -> str:
    """1 → a, 26 → z, 27 → aa, 28 → bb (the doubled-letter continuation used in Indonesian lists)."""
    if n <= 0:
        raise ValueError("letters start at 1")
    base = chr(ord("a") + (n - 1) % 26)
    return base * ((n - 1) // 26 + 1)


def konsiderans_letter(index: int) -> str:
    """0-based index → "a", "b", …"""
    return letter(index + 1)


def cite_letters(count: int) -> str:
    """Citation of the first ``count`` konsiderans: "huruf a", "huruf a dan huruf b",
    "huruf a, huruf b, dan huruf c"."""
    items = [f"huruf {letter(i + 1)}" for i in range(count)]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]} dan {items[1]}"
    return ", ".join(items[:-1]) + ", dan " + items[-1]


def konsiderans_closing(count: int, kind: str, title: str, *, head: str | None = None) -> str:
    """The last konsiderans, generated from the number of points before it. The head's own regulation is named
    after the region's head (``head``: "Wali Kota", "Bupati"; by default the installation's, from
    ``workflows.region``): "perlu menetapkan Peraturan Bupati"."""
    if kind == "perda":
        verb = "perlu membentuk Peraturan Daerah"
    else:
        verb = f"perlu menetapkan Peraturan {head or current_region().head_title}"
    if count <= 0:
        return f"bahwa {verb} tentang {title};"
    return (f"bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam {cite_letters(count)}, "
            f"{verb} tentang {title};")


@dataclass
class Label:
    uid: str
    kind: str
    num: str  # "II", "Kesatu", "1", "7", "2", "b"
    label: str  # as printed before the provision: "BAB II", "Bagian Kesatu", "Paragraf 1", "Pasal 7", "(2)", "b."
    citation: str  # "Pasal 7 ayat (2) huruf b"
    pasal_uid: str | None = None  # the Pasal this provision is in (itself for a Pasal)
    parent_uid: str | None = None
    depth: int = 0
    path: list[str] = field(default_factory=list)  # uids from the root to this node


def iter_nodes(body: list[dict], parent: dict | None = None) -> Iterator[tuple[dict, dict | None]]:
    """Depth-first (document order) over a snapshot body: yields (node, parent)."""
    for node in body:
        yield node, parent
        yield from iter_nodes(node.get("children") or [], node)


def number_tree(snapshot_or_body) -> dict[str, Label]:
    """uid → Label for every provision of the body, in document order. A node carrying its own ``num`` (a
    consolidated or amended text: "7A", "IVA", "1a") keeps it; the others are counted."""
    body = snapshot_or_body["body"] if isinstance(snapshot_or_body, dict) else snapshot_or_body
    labels: dict[str, Label] = {}
    counters = {"bab": 0, "pasal": 0}

    def walk(nodes: list[dict], parent_label: Label | None, pasal_label: Label | None,
             list_kinds: tuple[str, ...], path: list[str]) -> None:
        local = {"bagian": 0, "paragraf": 0, "ayat": 0, "huruf": 0, "angka": 0}
        for node in nodes:
            kind = node["kind"]
            uid = node["uid"]
            fixed = node.get("num")  # an amended text keeps its printed numbers ("Pasal 7A")
            if kind == "bab":
                counters["bab"] += 1
                num = fixed or roman(counters["bab"])
                text = f"BAB {num}"
                citation = text
            elif kind == "bagian":
                local["bagian"] += 1
                num = fixed or ordinal_word(local["bagian"])
                text = f"Bagian {num}"
                citation = text
            elif kind == "paragraf":
                local["paragraf"] += 1
                num = fixed or str(local["paragraf"])
                text = f"Paragraf {num}"
                citation = text
            elif kind == "pasal":
                counters["pasal"] += 1
                num = fixed or str(counters["pasal"])
                text = f"Pasal {num}"
                citation = text
            elif kind == "ayat":
                local["ayat"] += 1
                num = fixed or str(local["ayat"])
                text = f"({num})"
                citation = f"{parent_label.citation} ayat ({num})" if parent_label else f"ayat ({num})"
            elif kind in LIST_KINDS:
                local[kind] += 1
                n = local[kind]
                num = fixed or (letter(n) if kind == "huruf" else str(n))
                closing = ")" if kind in list_kinds else "."
                text = f"{num}{closing}"
                word = "huruf" if kind == "huruf" else "angka"
                citation = f"{parent_label.citation} {word} {num}" if parent_label else f"{word} {num}"
            else:
                raise ValueError(f"unknown provision kind {kind!r}")
            label = Label(
                uid=uid, kind=kind, num=num, label=text, citation=citation,
                parent_uid=parent_label.uid if parent_label else None,
                depth=len(path), path=path + [uid],
            )
            if kind == "pasal":
                label.pasal_uid = uid
            elif pasal_label is not None and kind in ("ayat",) + LIST_KINDS:
                label.pasal_uid = pasal_label.uid
            labels[uid] = label
            child_list_kinds = list_kinds + ((kind,) if kind in LIST_KINDS else ())
            walk(node.get("children") or [], label,
                 label if kind == "pasal" else pasal_label, child_list_kinds, label.path)

    walk(body, None, None, (), [])
    return labels


def cite(target_uid: str, labels: dict[str, Label], context_uid: str | None = None) -> str | None:
    """The citation of a provision as seen from ``context_uid``: within the same Pasal the "Pasal n" part is
    dropped ("ayat (2) huruf b"). None when the target is not in the tree."""
    target = labels.get(target_uid)
    if target is None:
        return None
    ctx = labels.get(context_uid) if context_uid else None
    if (ctx is not None and target.kind != "pasal" and target.pasal_uid
            and target.pasal_uid == ctx.pasal_uid):
        pasal = labels[target.pasal_uid]
        prefix = pasal.citation + " "
        if target.citation.startswith(prefix):
            return target.citation[len(prefix):]
    return target.citation


def ref_uids(text: str) -> list[str]:
    return [m.group(1) for m in REF_RE.finditer(text or "")]


def render_refs(text: str, labels: dict[str, Label], context_uid: str | None = None) -> str:
    """Replace every ``[[ref:uid]]`` token by the citation computed from the tree (plain text)."""
    def repl(m: re.Match) -> str:
        c = cite(m.group(1), labels, context_uid)
        return c if c is not None else MISSING_REF
    return REF_RE.sub(repl, text or "")


def pasal_list(snapshot_or_body) -> list[dict]:
    """Every Pasal node in document order."""
    body = snapshot_or_body["body"] if isinstance(snapshot_or_body, dict) else snapshot_or_body
    return [n for n, _p in iter_nodes(body) if n["kind"] == "pasal"]
