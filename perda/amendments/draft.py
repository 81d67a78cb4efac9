"""Pasal I of an amendment draft, written from the base text and the edited text (Lampiran II UU 12/2011,
Bab IV "Ketentuan Perubahan").

The draft is a copy of the base text (same provision uids) edited in the ordinary editor. Comparing the two by
uid gives, in the order of the provisions:

- a new BAB                → "Di antara BAB V dan BAB VI disisipkan 1 (satu) bab, yakni BAB VA sehingga
                              berbunyi sebagai berikut:" and the whole BAB;
- a new Bagian or Paragraf → placed by the Pasal around it, as its number repeats in each BAB or Bagian:
                              "Di antara Pasal 5 dan Pasal 6 disisipkan 1 (satu) bagian, yakni Bagian Kesatu A
                              sehingga berbunyi sebagai berikut:"; after the last of its kind in its parent: "Setelah
                              Pasal 8 ditambahkan 1 (satu) paragraf, yakni Paragraf 3 sehingga …";
- a removed BAB            → "BAB V dihapus.";
- new Pasal                → "Di antara Pasal 7 dan Pasal 8 disisipkan 1 (satu) pasal, yakni Pasal 7A sehingga
                              berbunyi sebagai berikut:" (2 (dua) pasal, yakni Pasal 7A dan Pasal 7B …);
                              after the last Pasal: "Setelah Pasal 22 ditambahkan 1 (satu) pasal, yakni …";
- a removed Pasal          → "Pasal 9 dihapus.";
- a Pasal whose own words changed, or with changes of several kinds → "Ketentuan Pasal 5 diubah sehingga
                              berbunyi sebagai berikut:" and the whole Pasal;
- only parts changed       → "Ketentuan ayat (2) Pasal 5 diubah sehingga Pasal 5 berbunyi sebagai berikut:";
- only parts inserted      → "Di antara ayat (1) dan ayat (2) Pasal 18 disisipkan 1 (satu) ayat, yakni ayat
                              (1a) sehingga Pasal 18 berbunyi sebagai berikut:"; at the end: "Pasal 12 ditambah
                              1 (satu) ayat, yakni ayat (4) sehingga Pasal 12 berbunyi sebagai berikut:";
- only parts removed       → "Ketentuan huruf b ayat (1) Pasal 3 dihapus.".

Numbers follow Lampiran II: the base keeps its numbers; an inserted Pasal takes the number before it and a
capital letter (7A, 7B), a BAB likewise (VA), an inserted ayat a small letter ((1a)), an inserted angka a small
letter (4a), an inserted huruf a digit (b1); a part added after the last one takes the next number. A removed
provision keeps its place in the amended text with "Dihapus.".

The instructions have the shape ``perda.amendments.parse`` gives for an imported amendment, so one
consolidation serves both.
"""
from __future__ import annotations

import copy
import re
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _
from num2words import num2words

from ..numbering import Label, letter, number_tree, ordinal_word, render_refs, roman
from .consolidate import DELETED, roman_value
from .tree import from_snapshot_body

CONTAINERS = ("bab", "bagian", "paragraf")
WHOLE = "sehingga berbunyi sebagai berikut:"  # Lampiran II's words after a new BAB, Bagian, Paragraf or Pasal
WHAT = {"bab": "bab", "bagian": "bagian", "paragraf": "paragraf", "pasal": "pasal", "ayat": "ayat",
        "huruf": "huruf", "angka": "angka"}


def count_words(n: int) -> str:
    """3 → "3 (tiga)"."""
    return f"{n} ({num2words(n, lang='id')})"


def join_words(items: list[str]) -> str:
    """["a"] → "a"; ["a", "b"] → "a dan b"; ["a", "b", "c"] → "a, b, dan c"."""
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} dan {items[1]}"
    return ", ".join(items[:-1]) + ", dan " + items[-1]


# --- the amended text: draft + removed base provisions in place, with Lampiran II numbers ------------------

def _index(body: list[dict]) -> tuple[dict[str, dict], dict[str, str | None]]:
    nodes: dict[str, dict] = {}
    parent: dict[str, str | None] = {}

    def walk(lst, pid):
        for n in lst:
            nodes[n["uid"]] = n
            parent[n["uid"]] = pid
            walk(n.get("children") or [], n["uid"])
    walk(body, None)
    return nodes, parent


def merged_body(base: dict[str, Any], draft: dict[str, Any]) -> list[dict]:
    """The draft body with each base provision it no longer has put back where it stood, reading
    "Dihapus." (``"deleted": True``)."""
    base_nodes, base_parent = _index(base.get("body", []))
    draft_nodes, _dp = _index(draft.get("body", []))
    base_children: dict[str | None, list[str]] = {}
    for uid, pid in base_parent.items():
        base_children.setdefault(pid, []).append(uid)

    def tombstone(uid: str) -> dict:
        n = base_nodes[uid]
        out = {"uid": uid, "kind": n["kind"], "heading": DELETED if n["kind"] in CONTAINERS else "",
               "text": "" if n["kind"] in CONTAINERS else DELETED, "penjelasan": "", "role": "",
               "children": [], "deleted": True}
        if n.get("num"):
            out["num"] = n["num"]
        return out

    def merge(children: list[dict], pid: str | None) -> list[dict]:
        out = [dict(c, children=merge(c.get("children") or [], c["uid"])) for c in children]
        present = {c["uid"] for c in out}
        prev = None
        for uid in base_children.get(pid, []):
            if uid in draft_nodes:
                prev = uid if uid in present else prev
                continue
            pos = 0 if prev is None else next(i for i, c in enumerate(out) if c["uid"] == prev) + 1
            out.insert(pos, tombstone(uid))
            prev = uid
        return out

    return merge(draft.get("body", []), None)


def _next_suffix(kind: str, base_num: str, taken: set[str]) -> str:
    """The number of a provision inserted right after ``base_num``: 7 → 7A, IV → IVA, (1) → 1a, 4 → 4a, b → b1."""
    for i in range(1, 27):
        if kind in ("pasal", "bab", "bagian", "paragraf"):
            cand = f"{base_num}{chr(64 + i)}" if kind != "bagian" else f"{base_num} {chr(64 + i)}"
        elif kind == "huruf":
            cand = f"{base_num}{i}"
        else:  # ayat, angka
            cand = f"{base_num}{chr(96 + i)}"
        if cand not in taken:
            return cand
    raise ValueError("too many insertions")


def amendment_labels(base: dict[str, Any], body: list[dict]) -> dict[str, Label]:
    """Labels of the amended text ``body`` (from ``merged_body``): base provisions keep the base's numbers."""
    base_labels = number_tree(base)
    plain = number_tree(body)  # gives closings (a. / a)) and the tree facts
    labels: dict[str, Label] = {}
    pasal_seq: list[str] = []  # printed Pasal numbers in order, to number a Pasal added at the end
    base_pasal: list[str | None] = [None]  # the last base Pasal seen, in document order

    def walk(nodes: list[dict], parent: Label | None, in_new: bool) -> None:
        taken: set[str] = set()
        last_base: str | None = None
        base_count = 0
        for idx, n in enumerate(nodes):
            uid, kind = n["uid"], n["kind"]
            own = plain[uid]
            new = uid not in base_labels
            if not new:
                num = base_labels[uid].num
                last_base = num
                base_count += 1
                if kind == "pasal":
                    base_pasal[0] = num
            elif kind == "pasal":
                # Pasal numbers run through the whole text: a new one (also inside a new BAB) takes the
                # number of the base Pasal before it and a letter; after the last Pasal, the next number.
                prev = pasal_seq[-1] if pasal_seq else "0"
                if _is_last_pasal(n, body, base_labels):
                    m = re.match(r"^(\d+)", prev)
                    num = str(int(m.group(1)) + 1) if m else own.num
                else:
                    num = _next_suffix("pasal", base_pasal[0] or prev, taken | set(pasal_seq))
            elif in_new:
                num = own.num
            elif kind in CONTAINERS:
                # A BAB, Bagian or Paragraf inserted between two of its kind takes the number before it and a
                # letter (VA, Kesatu A, 2A); one added after the last of its kind takes the next number.
                before = [m for m in nodes[:idx] if m["uid"] in base_labels and m["kind"] == kind]
                later = any(m["uid"] in base_labels and m["kind"] == kind for m in nodes[idx + 1:])
                if not before:
                    num = own.num  # before the first of its kind: rare, keep the count
                elif later:
                    num = _next_suffix(kind, base_labels[before[-1]["uid"]].num, taken)
                else:
                    num = _next_container(kind, base_labels[before[-1]["uid"]].num, taken)
            else:
                later_base = any(m["uid"] in base_labels for m in nodes[idx + 1:])
                if later_base:
                    anchor = last_base
                    if anchor is None:
                        num = own.num  # before the first: rare, keep the count
                    else:
                        num = _next_suffix(kind, anchor, taken)
                else:  # added after the last part: next number
                    num = _following(kind, last_base, base_count)
            taken.add(num)
            if kind == "pasal":
                pasal_seq.append(num)
            label = _label(own, kind, num, parent)
            labels[uid] = label
            walk(n.get("children") or [], label, in_new or new)

    walk(body, None, False)
    return labels


def _is_last_pasal(node: dict, body: list[dict], base_labels) -> bool:
    """True when no base Pasal follows ``node`` in the document."""
    seen = False
    for n, _p in _iter(body):
        if n is node:
            seen = True
            continue
        if seen and n["kind"] == "pasal" and n["uid"] in base_labels:
            return False
    return seen


def _iter(nodes, parent=None):
    for n in nodes:
        yield n, parent
        yield from _iter(n.get("children") or [], n)


def _next_container(kind: str, last: str, taken: set[str]) -> str:
    """The number of a BAB, Bagian or Paragraf added after the last one numbered ``last`` (and after any
    added before it): BAB V → BAB VI, Bagian Kedua → Bagian Ketiga, Paragraf 2 → Paragraf 3."""
    value = container_value(kind, last)
    while True:
        value += 1
        num = roman(value) if kind == "bab" else ordinal_word(value) if kind == "bagian" else str(value)
        if num not in taken:
            return num


def container_value(kind: str, num: str) -> int:
    """The count a container number stands for: "V" → 5, "Kedua" → 2, "2" → 2 (a letter suffix ignored)."""
    if kind == "bab":
        return roman_value(num)[0]
    if kind == "bagian":
        word = re.sub(r"\s[A-Z]$", "", num)  # "Kedua Belas A" → "Kedua Belas"
        return next((n for n in range(1, 100) if ordinal_word(n) == word), 0)
    m = re.match(r"^(\d+)", num)
    return int(m.group(1)) if m else 0


def _following(kind: str, last: str | None, count: int) -> str:
    if last is None:
        return letter(count + 1) if kind == "huruf" else str(count + 1)
    if kind == "huruf":
        m = re.match(r"^([a-z]+)", last)
        return letter(ord(m.group(1)[0]) - 96 + 1) if m else letter(count + 1)
    m = re.match(r"^(\d+)", last)
    return str(int(m.group(1)) + 1) if m else str(count + 1)


def _label(own: Label, kind: str, num: str, parent: Label | None) -> Label:
    if kind == "bab":
        text, citation = f"BAB {num}", f"BAB {num}"
    elif kind == "bagian":
        text = citation = f"Bagian {num}"
    elif kind == "paragraf":
        text = citation = f"Paragraf {num}"
    elif kind == "pasal":
        text = citation = f"Pasal {num}"
    elif kind == "ayat":
        text = f"({num})"
        citation = f"{parent.citation} ayat ({num})" if parent else f"ayat ({num})"
    else:
        closing = own.label[-1]
        text = f"{num}{closing}"
        word = "huruf" if kind == "huruf" else "angka"
        citation = f"{parent.citation} {word} {num}" if parent else f"{word} {num}"
    return replace(own, num=num, label=text, citation=citation)


def numbered_body(base: dict[str, Any], draft: dict[str, Any]) -> tuple[list[dict], dict[str, Label]]:
    """The amended text with every node carrying its Lampiran II number (``num``) and references resolved
    against those numbers: what the consolidated text of the amendment will read."""
    body = merged_body(base, draft)
    labels = amendment_labels(base, body)

    def fix(nodes):
        out = []
        for n in nodes:
            m = dict(n, num=labels[n["uid"]].num, raw=n.get("text", ""))  # raw: as stored, for comparing
            m["text"] = render_refs(n.get("text", ""), labels, n["uid"])
            m["children"] = fix(n.get("children") or [])
            out.append(m)
        return out
    return fix(body), labels


# --- Pasal I -------------------------------------------------------------------------------------------

def _lines(node: dict, labels: dict[str, Label]) -> list[str]:
    """A provision written out as the lines that follow an instruction."""
    kind = node["kind"]
    lab = labels[node["uid"]]
    if kind in CONTAINERS:
        out = [lab.label, node.get("heading", "").upper() if kind == "bab" else node.get("heading", "")]
        for c in node.get("children") or []:
            out += _lines(c, labels)
        return out
    if kind == "pasal":
        out = [lab.label]
        if node.get("text"):
            out.append(node["text"])
    else:
        out = [f"{lab.label} {node.get('text', '')}".rstrip()]
    for c in node.get("children") or []:
        out += _lines(c, labels)
    return out


def _changes(b: dict | None, d: dict) -> list[tuple[str, dict]]:
    """Sub-provision changes inside one Pasal: ("ubah"|"sisip"|"tambah"|"hapus", node) in document order."""
    out: list[tuple[str, dict]] = []
    base_kids = {c["uid"]: c for c in (b or {}).get("children") or []}
    kids = d.get("children") or []
    for i, c in enumerate(kids):
        if c.get("deleted"):
            out.append(("hapus", c))
        elif c["uid"] not in base_kids:
            later_base = any(k["uid"] in base_kids for k in kids[i + 1:])
            out.append(("sisip" if later_base else "tambah", c))
        else:
            old = base_kids[c["uid"]]
            if old.get("text", "") != c.get("raw", c.get("text", "")):
                out.append(("ubah", c))
            out += _changes(old, c)
    return out


def _cite_in(labels: dict[str, Label], uid: str, pasal_uid: str) -> str:
    """"huruf b ayat (1)" — the citation inside the Pasal, innermost first as Lampiran II writes it."""
    parts = []
    lab = labels[uid]
    while lab is not None and lab.uid != pasal_uid:
        if lab.kind == "ayat":
            parts.append(f"ayat ({lab.num})")
        else:
            parts.append(f"{'huruf' if lab.kind == 'huruf' else 'angka'} {lab.num}")
        lab = labels.get(lab.parent_uid) if lab.parent_uid else None
    return " ".join(parts)


def _target_in(labels: dict[str, Label], uid: str) -> str:
    return labels[uid].citation


def pasal_i(base: dict[str, Any], draft: dict[str, Any]) -> list[dict[str, Any]]:
    """The instructions of Pasal I in document order, each ``{"num", "op", "target", ["targets"],
    ["after"], "instruction", "text", "nodes"}``."""
    base_nodes, base_parent = _index(base.get("body", []))
    body, labels = numbered_body(base, draft)
    base_labels = number_tree(base)
    raw: list[dict[str, Any]] = []

    def add(op, targets, sentence, text_nodes, after=None, warning=""):
        text_lines: list[str] = []
        for n in text_nodes:
            text_lines += _lines(n, labels)
        item = {"op": op, "target": targets[0], "instruction": sentence, "text": "\n".join(text_lines)}
        if len(targets) > 1:
            item["targets"] = targets
        if after:
            item["after"] = after
        item["nodes"] = from_snapshot_body_fixed(text_nodes, labels)
        if warning:
            item["warning"] = warning
        raw.append(item)

    flat_pasal = [n for n, _p in _iter(body) if n["kind"] == "pasal"]
    flat_bab = [n for n in body if n["kind"] == "bab"]
    restructured = restructured_babs(base_parent, body, base_nodes)

    def walk(nodes: list[dict]) -> None:
        i = 0
        while i < len(nodes):
            n = nodes[i]
            uid, kind = n["uid"], n["kind"]
            if kind in CONTAINERS:
                if n.get("deleted"):
                    add("hapus", [labels[uid].label], f"{labels[uid].label} dihapus.", [])
                elif uid not in base_nodes:
                    run = [n]
                    while i + 1 < len(nodes) and nodes[i + 1]["kind"] == kind and nodes[i + 1]["uid"] not in base_nodes:
                        i += 1
                        run.append(nodes[i])
                    _new_containers(run, nodes, body, flat_bab, base_nodes, labels, add)
                elif uid in restructured:
                    lab = labels[uid].label
                    add("ubah", [lab], f"Ketentuan {lab} diubah sehingga berbunyi sebagai berikut:", [n])
                else:
                    if base_nodes[uid].get("heading", "") != n.get("heading", ""):
                        # A Bagian or Paragraf number repeats in every BAB or Bagian: name the ones it is in.
                        name = container_name(labels, uid)
                        add("ubah", [container_target(labels, uid)],
                            f"Ketentuan judul {name} diubah sehingga berbunyi sebagai berikut:", [dict(n, children=[])])
                    walk(n.get("children") or [])
                i += 1
                continue
            # a Pasal
            if n.get("deleted"):
                add("hapus", [labels[uid].label], f"{labels[uid].label} dihapus.", [])
                i += 1
                continue
            if uid not in base_nodes:
                run = [n]
                while i + 1 < len(nodes) and nodes[i + 1]["kind"] == "pasal" and nodes[i + 1]["uid"] not in base_nodes:
                    i += 1
                    run.append(nodes[i])
                pos = flat_pasal.index(run[0])
                prev = next((m for m in reversed(flat_pasal[:pos]) if m["uid"] in base_nodes), None)
                nxt = next((m for m in flat_pasal[pos + len(run):] if m["uid"] in base_nodes), None)
                names = [labels[m["uid"]].label for m in run]
                what = f"{count_words(len(run))} pasal, yakni {join_words(names)} {WHOLE}"
                if prev is not None and nxt is not None:
                    add("sisip", names, f"Di antara {labels[prev['uid']].label} dan {labels[nxt['uid']].label} "
                                       f"disisipkan {what}", run, after=labels[prev["uid"]].label)
                else:
                    anchor = labels[prev["uid"]].label if prev is not None else None
                    add("tambah", names, f"Setelah {anchor} ditambahkan {what}" if anchor else f"Ditambahkan {what}",
                        run, after=anchor)
                i += 1
                continue
            _pasal_changes(n, base_nodes[uid], labels, add)
            i += 1

    walk(body)
    for k, item in enumerate(raw, start=1):
        item["num"] = k
    return [{"num": r["num"], **{k: v for k, v in r.items() if k != "num"}} for r in raw]


def _new_containers(run: list[dict], siblings: list[dict], body: list[dict], flat_bab: list[dict],
                    base_nodes: dict[str, dict], labels: dict[str, Label], add) -> None:
    """One instruction for new BAB, Bagian or Paragraf side by side, written whole.

    A BAB is placed by the BAB around it ("Di antara BAB V dan BAB VI disisipkan 1 (satu) bab, yakni BAB VA
    sehingga berbunyi sebagai berikut:"). A Bagian or Paragraf is numbered within its BAB or Bagian, so its
    number alone does not say where it goes: it is placed by the Pasal around it ("Di antara Pasal 5 dan Pasal
    6 disisipkan 1 (satu) bagian, yakni Bagian Kesatu A sehingga …"). One added after the last of its kind
    (the next number: BAB X, Bagian Ketiga, Paragraf 3) is "ditambahkan" after the provision before it."""
    kind = run[0]["kind"]
    names = [labels[m["uid"]].label for m in run]
    what = f"{count_words(len(run))} {WHAT[kind]}, yakni {join_words(names)} {WHOLE}"
    if kind == "bab":
        seq = flat_bab
        pos = seq.index(run[0])
        prev = next((m for m in reversed(seq[:pos]) if m["uid"] in base_nodes), None)
        nxt = next((m for m in seq[pos + len(run):] if m["uid"] in base_nodes), None)
    else:
        pasal_before, pasal_after = _pasal_around(run, body, base_nodes)
        prev, nxt = pasal_before, pasal_after
        holder = labels[run[0]["uid"]].parent_uid
        inside = _subtree_uids(body, holder)
        if holder is not None and (prev is None or prev["uid"] not in inside):
            clash = any(m["uid"] in base_nodes and m["kind"] == kind and labels[m["uid"]].label in names
                        for m in siblings)
            _first_in_holder(run, what, names, holder, nxt if nxt is not None and nxt["uid"] in inside else None,
                             labels, add, clash)
            return
        if not any(m["uid"] in base_nodes and m["kind"] == kind for m in siblings[siblings.index(run[-1]) + 1:]):
            nxt = None  # after the last of its kind: an addition, with the next number
    if prev is not None and nxt is not None:
        add("sisip", names, f"Di antara {labels[prev['uid']].label} dan {labels[nxt['uid']].label} disisipkan {what}",
            run, after=labels[prev["uid"]].label)
    else:
        anchor = labels[prev["uid"]].label if prev is not None else ""
        add("tambah", names, f"Setelah {anchor} ditambahkan {what}" if anchor else f"Ditambahkan {what}", run,
            after=anchor or None)


def _first_in_holder(run: list[dict], what: str, names: list[str], holder: str, nxt: dict | None,
                     labels: dict[str, Label], add, clash: bool) -> None:
    """A new Bagian or Paragraf before every base Pasal of its BAB or Bagian. Placing it by the Pasal before
    it would put it in the previous BAB; Lampiran II has no form for this place, so the instruction names the
    heading it follows ("Di antara judul BAB IV dan Pasal 9 disisipkan 1 (satu) bagian …") and carries a
    warning for the drafter."""
    name = container_name(labels, holder)
    after = container_target(labels, holder)
    if nxt is not None:
        sentence = f"Di antara judul {name} dan {labels[nxt['uid']].label} disisipkan {what}"
        op = "sisip"
    else:
        sentence = f"Setelah judul {name} ditambahkan {what}"
        op = "tambah"
        names = [f"{after} {n}" for n in names]  # as the importer reads it: inside the heading it follows
    warning = _("Lampiran II UU 12/2011 tidak memuat rumusan untuk menyisipkan bagian atau paragraf sebelum Pasal "
                "pertama dalam bab atau bagiannya; rumusan ini menyebut judul tempatnya (%(tempat)s). Periksa kembali "
                "rumusannya.") % {"tempat": name}
    if clash:
        # Lampiran II numbers an insertion after the part it follows (Kesatu A); before the first one there is
        # no such number, and keeping the count repeats an existing one.
        warning += " " + _("Nomornya sama dengan %(kind)s yang sudah ada dalam %(tempat)s; pertimbangkan mengubah "
                           "seluruh %(tempat)s sehingga berbunyi sebagai berikut.") % {
            "kind": WHAT[run[0]["kind"]], "tempat": name}
    add(op, names, sentence, run, after=after, warning=warning)


def _container_parts(labels: dict[str, Label], uid: str) -> list[str]:
    parts = []
    lab = labels.get(uid)
    while lab is not None and lab.kind in CONTAINERS:
        parts.append(lab.label)
        lab = labels.get(lab.parent_uid) if lab.parent_uid else None
    return parts


def container_name(labels: dict[str, Label], uid: str) -> str:
    """"Paragraf 2 Bagian Kedua BAB III": a container with the containers it is in, innermost first."""
    return " ".join(_container_parts(labels, uid))


def container_target(labels: dict[str, Label], uid: str) -> str:
    """The same citation outermost first, as instructions name their targets ("BAB III Bagian Kedua")."""
    return " ".join(reversed(_container_parts(labels, uid)))


def _subtree_uids(body: list[dict], uid: str | None) -> set[str]:
    for n, _p in _iter(body):
        if n["uid"] == uid:
            return {m["uid"] for m, _q in _iter(n.get("children") or [])}
    return set()


def restructured_babs(base_parent: dict[str, str | None], body: list[dict], base_nodes: dict[str, dict]) -> set[str]:
    """The base BAB that a move of base Pasal touches (into a new Bagian or Paragraf, or another container):
    the BAB it left and the BAB it joined. Instructions that insert a container cannot carry Pasal that already
    stand elsewhere (consolidation would keep both), so Pasal I rewrites each such BAB whole ("Ketentuan BAB IV
    diubah sehingga berbunyi sebagai berikut:"), which Lampiran II allows for any provision."""
    _nodes, draft_parent = _index(body)

    def top(uid: str | None, parents: dict[str, str | None]) -> str | None:
        while uid is not None and parents.get(uid) is not None:
            uid = parents[uid]
        return uid

    out: set[str] = set()
    for uid, node in base_nodes.items():
        if node["kind"] != "pasal" or uid not in draft_parent or draft_parent[uid] == base_parent.get(uid):
            continue
        for bab in (top(uid, base_parent), top(uid, draft_parent)):
            if bab is not None and bab in base_nodes and base_nodes[bab]["kind"] == "bab":
                out.add(bab)
    return out


def _pasal_around(run: list[dict], body: list[dict], base_nodes: dict[str, dict]) -> tuple[dict | None, dict | None]:
    """The base Pasal just before the new containers ``run`` and just after them, in document order."""
    inside = {n["uid"] for m in run for n, _p in _iter([m])}
    before = after = None
    seen = False
    for n, _p in _iter(body):
        if n["uid"] == run[0]["uid"]:
            seen = True
        if n["kind"] != "pasal" or n["uid"] not in base_nodes or n["uid"] in inside:
            continue
        if not seen:
            before = n
        elif after is None:
            after = n
    return before, after


def _pasal_changes(n: dict, old: dict, labels: dict[str, Label], add) -> None:
    uid = n["uid"]
    pasal = labels[uid].label
    changes = _changes(old, n)
    own_changed = old.get("text", "") != n.get("raw", n.get("text", ""))
    if not own_changed and not changes:
        return
    kinds = {op for op, _c in changes}
    whole = f"sehingga {pasal} berbunyi sebagai berikut:"
    if own_changed or len(kinds) > 1:
        add("ubah", [pasal], f"Ketentuan {pasal} diubah sehingga berbunyi sebagai berikut:", [n])
        return
    op = kinds.pop()
    nodes = [c for _op, c in changes]
    cites = [_cite_in(labels, c["uid"], uid) for c in nodes]
    targets = [labels[c["uid"]].citation for c in nodes]
    if op == "hapus":
        add("hapus", targets, f"Ketentuan {join_words(cites)} {pasal} dihapus.", [])
    elif op == "ubah":
        add("ubah", targets, f"Ketentuan {join_words(cites)} {pasal} diubah {whole}", [n])
    else:
        # Insertions (or additions at the end) of one kind under one parent make one instruction.
        parent_uid = labels[nodes[0]["uid"]].parent_uid
        same_parent = all(labels[c["uid"]].parent_uid == parent_uid for c in nodes)
        kind = nodes[0]["kind"]
        if not same_parent or any(c["kind"] != kind for c in nodes):
            add("ubah", [pasal], f"Ketentuan {pasal} diubah sehingga berbunyi sebagai berikut:", [n])
            return
        holder = "" if parent_uid == uid else " " + _cite_in(labels, parent_uid, uid)
        new_names = [_cite_in(labels, c["uid"], parent_uid if parent_uid != uid else uid).split(" ", 1)[0] + " "
                     + (f"({labels[c['uid']].num})" if kind == "ayat" else labels[c["uid"]].num) for c in nodes]
        what = f"{count_words(len(nodes))} {WHAT[kind]}, yakni {join_words(new_names)}"
        siblings = _siblings(n, parent_uid)
        first = siblings.index(nodes[0])
        prev = next((s for s in reversed(siblings[:first]) if s["uid"] not in {c['uid'] for c in nodes}), None)
        if op == "sisip":
            nxt = siblings[first + len(nodes)] if first + len(nodes) < len(siblings) else None
            a, b = (_cite_in(labels, prev["uid"], uid).split(" ", 1)[0] + " " + _num(labels, prev),
                    _cite_in(labels, nxt["uid"], uid).split(" ", 1)[0] + " " + _num(labels, nxt))
            add("sisip", targets, f"Di antara {a} dan {b}{holder} {pasal} disisipkan {what} {whole}", [n],
                after=labels[prev["uid"]].citation)
        else:
            host = f"{holder.strip()} {pasal}".strip() if holder else pasal
            add("tambah", targets, f"{host[0].upper()}{host[1:]} ditambah {what} {whole}", [n],
                after=labels[prev["uid"]].citation if prev is not None else None)


def _num(labels, node) -> str:
    lab = labels[node["uid"]]
    return f"({lab.num})" if lab.kind == "ayat" else lab.num


def _siblings(pasal: dict, parent_uid: str) -> list[dict]:
    if pasal["uid"] == parent_uid:
        return pasal.get("children") or []
    for n, _p in _iter(pasal.get("children") or []):
        if n["uid"] == parent_uid:
            return n.get("children") or []
    return []


def from_snapshot_body_fixed(nodes: list[dict], labels: dict[str, Label]) -> list[dict]:
    """Snapshot nodes (already numbered) → import-shape nodes, as consolidation takes them."""
    if not nodes:
        return []
    fixed = copy.deepcopy(nodes)
    for n, _p in _iter(fixed):
        n["num"] = labels[n["uid"]].num
        n.pop("deleted", None)
    return from_snapshot_body(fixed)


def pasal_i_text(instructions: list[dict[str, Any]], opening: str) -> str:
    """Pasal I as plain lines: the opening sentence, then "1. <instruction>" and the text after it."""
    out = ["Pasal I", opening]
    if len(instructions) == 1 and not opening.endswith("sebagai berikut:"):
        out = ["Pasal I", opening]
    for ins in instructions:
        out.append(f"{ins['num']}. {ins['instruction']}")
        if ins["text"]:
            out.append(ins["text"])
    return "\n".join(out) + "\n"


def labels_for(snapshot: dict[str, Any]) -> dict[str, Label]:
    """The labels a page shows for ``snapshot``: for an amendment draft the numbers of the amended text
    (the base's own, 7A for an inserted Pasal), for any other regulation ``number_tree``."""
    amendment = snapshot.get("amendment") or {}
    if not amendment.get("base_body"):
        return number_tree(snapshot)
    base = {"body": amendment["base_body"]}
    return amendment_labels(base, merged_body(base, snapshot))
