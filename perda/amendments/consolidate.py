"""Consolidation: the text of a regulation in force on a date, with each provision's history.

Pure functions over the import-shape body (``perda.amendments.tree``). An amendment is
``{"label": "Peraturan Daerah Kota … Nomor 3 Tahun 2026", "date": "2026-02-10", "instructions": [...]}``
(instructions as ``perda.amendments.parse`` gives them). Amendments take effect in date order; those dated
after the requested day are left out (point-in-time).

Never a word is written here: a consolidated provision's text is exactly the amending text (the nodes parsed
from it), a deleted provision keeps its place with the word "Dihapus." as Lampiran II prescribes, and each
touched provision gets a history entry ("diubah dengan Peraturan Daerah … Nomor … Tahun …").
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .tree import Locator, deep, find, format_locator, parse_locator

DELETED = "Dihapus."
NOTE = {"ubah": "diubah dengan", "sisip": "disisipkan dengan", "tambah": "ditambahkan dengan",
        "hapus": "dihapus dengan"}
CONTAINERS = ("bab", "bagian", "paragraf")


class ConsolidationError(ValueError):
    """An instruction cannot be applied (message in Indonesian)."""


def history_entry(op: str, source: dict[str, Any], num: int | None) -> dict[str, Any]:
    return {"op": op, "by": source["label"], "on": source.get("date"), "instruction": num,
            "note": f"{NOTE[op]} {source['label']}"}


def _mark(node: dict, entry: dict) -> None:
    node.setdefault("history", []).append(entry)


def _num_key(num: str) -> tuple:
    m = re.match(r"^(\d+)([A-Za-z]*)(\d*)$", num or "")
    if m:
        return (int(m.group(1)), m.group(2).lower(), int(m.group(3) or 0))
    m = re.match(r"^([a-z]+)(\d*)$", num or "")
    if m:
        return (0, m.group(1), int(m.group(2) or 0))
    return (0, num or "", 0)


def roman_value(num: str) -> tuple[int, str]:
    """"IVA" → (4, "A")."""
    m = re.match(r"^([IVXLCDM]+)([A-Z]?)$", num or "")
    if not m:
        return (0, num)
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    s = m.group(1)
    for i, ch in enumerate(s):
        v = vals[ch]
        total += -v if i + 1 < len(s) and vals[s[i + 1]] > v else v
    return (total, m.group(2))


def _carry_uids(old: dict, new: dict) -> None:
    """Keep the identity of a replaced provision and of its same-numbered parts (so a redline shows the
    changed words, not a deletion and an insertion)."""
    if old.get("uid"):
        new["uid"] = old["uid"]
    for key in ("ayat", "items", "children"):
        olds = {(c.get("type", "ayat"), c.get("num")): c for c in old.get(key, [])}
        for c in new.get(key, []):
            match = olds.get((c.get("type", "ayat"), c.get("num")))
            if match is not None:
                _carry_uids(match, c)


def _as(entry: dict, op: str) -> dict:
    return {**entry, "op": op, "note": f"{NOTE[op]} {entry['by']}"}


def _mark_changed_parts(old: dict | None, new: dict, entry: dict) -> None:
    """History on every part of ``new`` whose words differ from ``old`` (or that is new): a new part is
    inserted ("disisipkan", or "ditambahkan" when the instruction adds), a part now reading "Dihapus." is
    deleted, any other difference is a change."""
    added = entry["op"] if entry["op"] in ("sisip", "tambah") else "tambah"
    for key in ("ayat", "items", "children"):
        olds = {(c.get("type", "ayat"), c.get("num")): c for c in (old or {}).get(key, [])}
        for c in new.get(key, []):
            match = olds.get((c.get("type", "ayat"), c.get("num")))
            if old is not None and match is None:
                _mark(c, _as(entry, added))
            elif old is None:
                _mark(c, _as(entry, entry["op"]))
            elif match.get("text") != c.get("text") or match.get("heading") != c.get("heading"):
                _mark(c, _as(entry, "hapus" if c.get("text") == DELETED or c.get("heading") == DELETED else "ubah"))
            _mark_changed_parts(match, c, entry)


def _keep_history(old: dict, new: dict) -> None:
    """A replaced provision keeps the history it had, and so do its unchanged parts."""
    if old.get("history"):
        new["history"] = list(old["history"]) + new.get("history", [])
    for key in ("ayat", "items", "children"):
        olds = {(c.get("type", "ayat"), c.get("num")): c for c in old.get(key, [])}
        for c in new.get(key, []):
            match = olds.get((c.get("type", "ayat"), c.get("num")))
            if match is not None:
                _keep_history(match, c)


def _delete(node: dict, entry: dict) -> None:
    """Lampiran II: a deleted provision stays in its place, marked "Dihapus."."""
    if node.get("type") in CONTAINERS:
        node["heading"] = DELETED
        for child in node.get("children", []):
            if child.get("type") == "pasal" and child.get("text") != DELETED:
                _delete(child, entry)
    else:
        node["text"] = DELETED
        for key in ("ayat", "items"):
            if key in node:
                node[key] = []
    node.pop("penjelasan", None)
    _mark(node, dict(entry))


def _predecessor(body: list[dict], node: dict) -> tuple[list[dict], int] | None:
    """Where a new Pasal or BAB goes when the instruction does not say: after the one it is numbered from
    (Pasal 7A after Pasal 7 — or after 7 and any 7A…; BAB VA after BAB V)."""
    kind, num = node["type"], node["num"]
    if kind == "pasal":
        key = _num_key(num)
        best = None
        from .tree import _lists
        for lst in _lists(body):
            for i, n in enumerate(lst):
                if n.get("type") == "pasal" and _num_key(n["num"]) < key:
                    if best is None or _num_key(n["num"]) > _num_key(best[0][best[1]]["num"]):
                        best = (lst, i)
        return best
    if kind == "bab":
        key = roman_value(num)
        best = None
        for i, n in enumerate(body):
            if n.get("type") == "bab" and roman_value(n["num"]) < key:
                best = (body, i)
        return best
    return None


def _place(body: list[dict], new: dict, after: Locator | None, entry: dict) -> None:
    hit = find(body, after) if after else None
    if after and hit is None and new["type"] == "pasal":
        hit = _predecessor(body, new)
    elif hit is None:
        hit = _predecessor(body, new)
    if hit is None:
        if new["type"] == "pasal" or new["type"] == "bab":
            body.insert(0, new)
        else:
            raise ConsolidationError(f"Tempat sisipan {new['type']} {new['num']} tidak ditemukan.")
    else:
        lst, i = hit
        if new["type"] == "pasal" and lst[i].get("type") != "pasal":
            lst = lst[i].setdefault("children", [])
            lst.append(new)
        else:
            # After the predecessor and any provisions already inserted after it (7A, then 7B).
            j = i + 1
            while (j < len(lst) and lst[j].get("type") == new["type"]
                   and _num_key(lst[j]["num"])[0] == _num_key(lst[i]["num"])[0]
                   and _num_key(lst[j]["num"]) < _num_key(new["num"])):
                j += 1
            lst.insert(j, new)
    _mark(new, dict(entry))
    _mark_changed_parts(None, new, entry)


def _apply_structural(body: list[dict], nodes: list[dict], instr: dict, entry: dict) -> None:
    """Whole BAB/Bagian/Paragraf/Pasal given after the instruction: replace the one with that number, or
    place a new one."""
    after = parse_locator(instr["after"]) if instr.get("after") else None
    placed: tuple[list[dict], int] | None = None
    for node in nodes:
        new = deep(node)
        if new["type"] == "pasal":
            hit = find(body, [("pasal", new["num"])])
        elif new["type"] == "bab":
            hit = find(body, [("bab", new["num"])])
        else:
            # Bagian/Paragraf numbers repeat per BAB: a changed one is named with its BAB ("Ketentuan judul
            # Bagian Kedua BAB III diubah …"); a new one is placed where "after" says.
            hit = _named_container(body, instr, new)
        if hit is not None:
            lst, i = hit
            old = lst[i]
            if new["type"] in CONTAINERS and not new.get("children") and old.get("children"):
                new["children"] = old["children"]  # a heading-only change keeps its Pasal
            _carry_uids(old, new)
            _keep_history(old, new)
            _mark(new, _as(entry, "hapus" if new.get("text") == DELETED or new.get("heading") == DELETED else "ubah"))
            _mark_changed_parts(old, new, entry)
            if old.get("penjelasan") and "penjelasan" not in new:
                new["penjelasan"] = old["penjelasan"]
            lst[i] = new
        else:
            where = after if after and _kind_of(after) == new["type"] else None
            if new["type"] in CONTAINERS and new["type"] != "bab":
                if placed is not None:  # the second of a run goes after the first
                    lst, i = placed
                else:
                    lst, i = _container_slot(body, new, after)
                lst.insert(i + 1, new)
                placed = (lst, i + 1)
                _mark(new, dict(entry))
                _mark_changed_parts(None, new, entry)
            else:
                _place(body, new, where, entry)
            after = [(new["type"], new["num"])] if new["type"] in ("pasal", "bab") else after


LEVEL = {"bab": 1, "bagian": 2, "paragraf": 3}


def _named_container(body: list[dict], instr: dict, new: dict) -> tuple[list[dict], int] | None:
    """The Bagian or Paragraf a "ubah" instruction names with the containers it is in ("BAB III Bagian
    Kedua"), or None."""
    if instr.get("op") != "ubah":
        return None
    loc = parse_locator(instr.get("target", ""))
    if len(loc) < 2 or loc[-1] != (new["type"], new["num"]):
        return None
    return _find_container(body, loc)


def _find_container(body: list[dict], loc: Locator) -> tuple[list[dict], int] | None:
    """(list, index) of the container ``loc`` cites level by level ("BAB III Bagian Kedua Paragraf 1")."""
    lst, hit = body, None
    for kind, num in loc:
        i = next((k for k, n in enumerate(lst) if n.get("type") == kind and n.get("num") == num), None)
        if i is None:
            return None
        hit = (lst, i)
        lst = lst[i].setdefault("children", [])
    return hit


def _container_slot(body: list[dict], new: dict, after: Locator | None) -> tuple[list[dict], int]:
    """(the list a new Bagian or Paragraf goes into, the index it follows). Its number repeats in every BAB or
    Bagian, so the instruction places it by the provision before it ("Di antara Pasal 5 dan Pasal 6 disisipkan
    1 (satu) bagian …"): it follows the part of its own level that holds that provision, inside the nearest
    container of a higher level (Bagian Kesatu A after the Bagian holding Pasal 5, in the same BAB)."""
    want = LEVEL[new["type"]]
    if after and _kind_of(after) in LEVEL:
        # Before every Pasal of its BAB or Bagian, the instruction names that heading ("Di antara judul BAB
        # IV dan Pasal 9 disisipkan 1 (satu) bagian …"): it goes first inside it.
        holder = _find_container(body, after)
        if holder is None or LEVEL[_kind_of(after)] >= want:
            raise ConsolidationError(f"Tempat sisipan {new['type']} {new['num']} tidak ditemukan.")
        return holder[0][holder[1]].setdefault("children", []), -1
    hit = find(body, after) if after else None
    if hit is None:
        raise ConsolidationError(f"Tempat sisipan {new['type']} {new['num']} tidak ditemukan.")
    chain = _chain(body, hit[0][hit[1]])
    holder = next((j for j in range(len(chain) - 2, -1, -1)
                   if LEVEL.get(chain[j][0][chain[j][1]].get("type"), 9) < want), None)
    lst, i = chain[holder + 1] if holder is not None else chain[0]
    return lst, i


def _chain(body: list[dict], target: dict) -> list[tuple[list[dict], int]]:
    """(list, index) of every container above ``target`` and of ``target`` itself, outermost first."""
    def walk(lst: list[dict]) -> list[tuple[list[dict], int]] | None:
        for i, n in enumerate(lst):
            if n is target:
                return [(lst, i)]
            if n.get("type") in CONTAINERS:
                below = walk(n.get("children", []))
                if below is not None:
                    return [(lst, i)] + below
        return None
    return walk(body) or []


def _kind_of(loc: Locator) -> str:
    return loc[-1][0] if loc else ""


def _apply_fragment(body: list[dict], frag: dict, instr: dict, entry: dict, targets: list[str]) -> None:
    """An ayat, huruf or angka given alone after the instruction."""
    parts_new = list(frag.get("ayat", [])) or list(frag.get("items", []))
    by_num = {p["num"]: p for p in parts_new}
    op = instr["op"]
    for target in targets:
        loc = parse_locator(target)
        kind, num = loc[-1]
        new = by_num.get(num)
        if new is None and len(parts_new) == 1 and len(targets) == 1:
            new = parts_new[0]
        if new is None:
            raise ConsolidationError(f"Teks baru untuk {target} tidak ditemukan pada instruksi {instr['num']}.")
        new = deep(new)
        if kind in ("huruf", "angka"):
            new.setdefault("type", kind)
        if op == "ubah":
            hit = find(body, loc)
            if hit is None:
                raise ConsolidationError(f"{target} yang diubah tidak ditemukan.")
            lst, i = hit
            _carry_uids(lst[i], new)
            _keep_history(lst[i], new)
            _mark(new, dict(entry))
            _mark_changed_parts(lst[i], new, entry)
            lst[i] = new
        else:  # sisip / tambah: next to the provision named in "after", or at the end of the holder
            parent = find(body, loc[:-1])
            if parent is None:
                raise ConsolidationError(f"{format_locator(loc[:-1])} tidak ditemukan.")
            holder_node = parent[0][parent[1]]
            lst = holder_node.setdefault("ayat" if kind == "ayat" else "items", [])
            if instr.get("after"):
                after_num = parse_locator(instr["after"])[-1][1]
                idx = next((k for k, c in enumerate(lst) if c.get("num") == after_num), len(lst) - 1)
                while idx + 1 < len(lst) and _num_key(lst[idx + 1]["num"]) < _num_key(num) \
                        and _num_key(lst[idx + 1]["num"])[:2] == _num_key(after_num)[:2]:
                    idx += 1
                lst.insert(idx + 1, new)
            else:
                lst.append(new)
            _mark(new, dict(entry))
            _mark_changed_parts(None, new, entry)


def apply_amendment(body: list[dict], amendment: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    """``body`` with one amending regulation's instructions applied (a new list; ``body`` is not changed),
    and the notes for what is outside the body (Lampiran, penjelasan)."""
    body = deep({"b": body})["b"]
    notes: list[dict] = []
    for instr in amendment["instructions"]:
        entry = history_entry(instr["op"], amendment, instr.get("num"))
        targets = instr.get("targets") or [instr["target"]]
        first = parse_locator(targets[0])
        if first and first[0][0] in ("lampiran", "penjelasan"):
            note = {"target": targets[0], **entry}
            if instr.get("lampiran"):  # drafted in Pamong: which of its own Lampiran now stands in force
                note["lampiran"] = instr["lampiran"]
            notes.append(note)
            continue
        nodes = instr.get("nodes") or []
        if nodes and nodes[0]["type"] != "fragment":
            _apply_structural(body, nodes, instr, entry)
        elif nodes:
            _apply_fragment(body, nodes[0], instr, entry, targets)
        elif instr["op"] == "hapus":
            for target in targets:
                hit = find(body, parse_locator(target))
                if hit is None:
                    raise ConsolidationError(f"{target} yang dihapus tidak ditemukan.")
                lst, i = hit
                _delete(lst[i], entry)
        else:
            raise ConsolidationError(f"Instruksi {instr.get('num')} ({instr['op']} {targets[0]}) tidak memuat teks baru.")
    return body, notes


def consolidate(base_body: list[dict], amendments: list[dict[str, Any]], on: dt.date | str | None = None
                ) -> dict[str, Any]:
    """The body in force on ``on`` (all amendments when None): ``{"body", "applied", "pending", "notes"}``.
    ``applied``/``pending`` list the labels of the amendments in force / not yet in force on that date."""
    if isinstance(on, str):
        on = dt.date.fromisoformat(on)
    ordered = sorted(amendments, key=lambda a: (a.get("date") or "9999-12-31", a.get("label", "")))
    body = base_body
    applied, pending, notes = [], [], []
    for a in ordered:
        date = dt.date.fromisoformat(a["date"]) if a.get("date") else None
        if on is not None and (date is None or date > on):
            pending.append(a["label"])
            continue
        body, extra = apply_amendment(body, a)
        applied.append(a["label"])
        notes += extra
    return {"body": deep({"b": body})["b"], "applied": applied, "pending": pending, "notes": notes}


def body_text(body: list[dict]) -> str:
    """The consolidated body as plain lines, numbers as printed (for reading and for hand-checked
    fixtures): "BAB I" / heading / "Pasal 1" / text / "(1) …" / "a. …"."""
    out: list[str] = []

    def items(nodes, depth):
        for it in nodes:
            out.append(f"{'  ' * depth}{it['num']}. {it.get('text', '')}".rstrip())
            items(it.get("items", []), depth + 1)

    def walk(nodes):
        for n in nodes:
            t = n["type"]
            if t in CONTAINERS:
                word = {"bab": "BAB", "bagian": "Bagian", "paragraf": "Paragraf"}[t]
                out.append(f"{word} {n['num']}")
                out.append(n.get("heading", ""))
                walk(n.get("children", []))
            else:
                out.append(f"Pasal {n['num']}")
                if n.get("text"):
                    out.append(n["text"])
                for a in n.get("ayat", []):
                    out.append(f"({a['num']}) {a.get('text', '')}".rstrip())
                    items(a.get("items", []), 1)
                items(n.get("items", []), 0)
    walk(body)
    return "\n".join(out) + "\n"
