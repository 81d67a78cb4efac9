"""The two body shapes an amendment moves between, and citations of provisions.

*Import shape* (``manage.py import_regulation``): numbers as printed, Pasal content split into ``ayat`` and
``items``::

    {"type": "bab", "num": "IVA", "heading": …, "children": […]}
    {"type": "pasal", "num": "7A", "text": …, "ayat": [{"num": "1a", "text": …, "items": […]}], "items": […]}
    {"type": "huruf" | "angka", "num": "b1", "text": …, "items": […]}

*Snapshot shape* (``perda/README.md``): ``uid``/``kind``/``heading``/``text``/``children``; numbers computed by
``perda.numbering`` unless a node carries its own ``num`` (an amended text keeps "Pasal 7A" and the place of
a deleted "Pasal 9").

A *locator* is a citation split into its parts, outermost first: "huruf b ayat (1) Pasal 3" and "Pasal 3 ayat (1)
huruf b" are both ``[("pasal", "3"), ("ayat", "1"), ("huruf", "b")]``.
"""
from __future__ import annotations

import copy
import re
import uuid
from typing import Iterator

Locator = list[tuple[str, str]]

ROMAN = r"[IVXLCDM]+[A-Z]?"
RE_PART = re.compile(
    r"(?P<kind>BAB|Bab|Bagian|Paragraf|Pasal|ayat|huruf|angka|Lampiran|LAMPIRAN|Penjelasan)\s*"
    r"(?P<num>\((?:\d+[a-z]?)\)|" + ROMAN + r"|Ke[a-z]+(?:\s+(?:Belas|Puluh)(?:\s+[A-Z][a-z]+)?)?(?:\s+[A-Z]\b)?|\d+[A-Za-z]?\d*|[a-z]{1,2}\d*)?"
)
ORDER = {"lampiran": 0, "penjelasan": 0, "bab": 1, "bagian": 2, "paragraf": 3, "pasal": 4, "ayat": 5}
WORD = {"bab": "BAB", "bagian": "Bagian", "paragraf": "Paragraf", "pasal": "Pasal", "ayat": "ayat", "huruf": "huruf",
        "angka": "angka", "lampiran": "Lampiran", "penjelasan": "Penjelasan"}


def parse_locator(text: str) -> Locator:
    """Parts of a citation in either order ("ayat (2) Pasal 5" or "Pasal 5 ayat (2)"), outermost first."""
    parts: Locator = []
    for m in RE_PART.finditer(text or ""):
        kind = m.group("kind").lower()
        num = (m.group("num") or "").strip("()")
        if kind != "lampiran" and kind != "penjelasan" and not num:
            continue
        parts.append((kind, num))
    if not parts:
        return parts
    # Reverse style cites the innermost part first: put the Pasal/BAB (lowest rank) first.
    if ORDER.get(parts[0][0], 9) > min(ORDER.get(k, 9) for k, _n in parts):
        parts = list(reversed(parts))
    return parts


def format_locator(parts: Locator) -> str:
    out = []
    for kind, num in parts:
        if kind == "ayat":
            out.append(f"ayat ({num})")
        elif num:
            out.append(f"{WORD[kind]} {num}")
        else:
            out.append(WORD[kind])
    return " ".join(out)


def normalise_target(text: str) -> str:
    """"huruf b ayat (1) Pasal 3" → "Pasal 3 ayat (1) huruf b"."""
    return format_locator(parse_locator(text))


# --- import shape ---------------------------------------------------------------------------------------

def iter_import(body: list[dict]) -> Iterator[dict]:
    for node in body:
        yield node
        yield from iter_import(node.get("children", []))


def children_of(node: dict, kind: str) -> list[dict] | None:
    """The list holding ``kind`` children of an import-shape node (None when that kind cannot sit there)."""
    if kind == "ayat":
        return node.setdefault("ayat", []) if node.get("type") == "pasal" else None
    if kind in ("huruf", "angka"):
        return node.setdefault("items", [])
    return node.setdefault("children", [])


def find(body: list[dict], parts: Locator) -> tuple[list[dict], int] | None:
    """(the list holding the cited node, its index), or None. A Pasal is found wherever it sits (Pasal
    numbers run through the whole regulation); other levels follow the citation."""
    if not parts:
        return None
    kind, num = parts[0]
    holder: list[dict] | None = None
    index = -1
    if kind == "pasal":
        for lst in _lists(body):
            for i, n in enumerate(lst):
                if n.get("type") == "pasal" and n.get("num") == num:
                    holder, index = lst, i
                    break
            if holder is not None:
                break
    elif kind == "bab":
        for i, n in enumerate(body):
            if n.get("type") == "bab" and n.get("num") == num:
                holder, index = body, i
    if holder is None:
        return None
    for kind, num in parts[1:]:
        node = holder[index]
        lst = children_of(node, kind)
        if lst is None:
            return None
        hit = [i for i, c in enumerate(lst) if c.get("num") == num and c.get("type", "ayat") == kind]
        if not hit:
            return None
        holder, index = lst, hit[0]
    return holder, index


def _lists(body: list[dict]) -> Iterator[list[dict]]:
    yield body
    for node in body:
        if node.get("type") in ("bab", "bagian", "paragraf"):
            yield from _lists(node.get("children", []))


def deep(node: dict) -> dict:
    return copy.deepcopy(node)


# --- import shape ⇄ snapshot shape ------------------------------------------------------------------------

def to_snapshot_body(body: list[dict], *, namespace: str = "import") -> list[dict]:
    """Import-shape body → snapshot body with fixed numbers. Nodes keep their ``uid`` when they carry one,
    else get a stable one derived from ``namespace`` and their citation."""
    def uid_for(node: dict, path: str) -> str:
        return node.get("uid") or str(uuid.uuid5(uuid.NAMESPACE_URL, f"{namespace}/{path}"))

    def item(node: dict, path: str) -> dict:
        p = f"{path}/{node['type']}-{node['num']}"
        return _snap(uid_for(node, p), node["type"], node["num"], text=node.get("text", ""),
                     history=node.get("history"),
                     children=[item(c, p) for c in node.get("items", [])])

    def walk(nodes: list[dict], path: str) -> list[dict]:
        out = []
        for node in nodes:
            t = node["type"]
            p = f"{path}/{t}-{node['num']}" if t != "pasal" else f"/pasal-{node['num']}"
            if t == "pasal":
                kids = []
                for a in node.get("ayat", []):
                    ap = f"{p}/ayat-{a['num']}"
                    kids.append(_snap(uid_for(a, ap), "ayat", a["num"], text=a.get("text", ""),
                                      history=a.get("history"),
                                      children=[item(c, ap) for c in a.get("items", [])]))
                kids += [item(c, p) for c in node.get("items", [])]
                out.append(_snap(uid_for(node, p), "pasal", node["num"], text=node.get("text", ""),
                                 penjelasan=node.get("penjelasan", ""), history=node.get("history"),
                                 children=kids))
            else:
                out.append(_snap(uid_for(node, p), t, node["num"], heading=node.get("heading", ""),
                                 role=node.get("role", ""), history=node.get("history"),
                                 children=walk(node.get("children", []), p)))
        return out

    return walk(body, "")


def _snap(uid: str, kind: str, num: str, *, heading: str = "", text: str = "", penjelasan: str = "",
          role: str = "", history=None, children=None) -> dict:
    node = {"uid": uid, "kind": kind, "num": num, "heading": heading, "text": text, "penjelasan": penjelasan,
            "role": role, "children": children or []}
    if history:
        node["history"] = history
    return node


def from_snapshot_body(body: list[dict]) -> list[dict]:
    """Snapshot body → import shape (numbers as ``perda.numbering`` prints them; ``uid`` kept)."""
    from ..numbering import number_tree

    labels = number_tree(body)

    def item(node: dict) -> dict:
        out = {"type": node["kind"], "num": labels[node["uid"]].num, "text": node.get("text", ""),
               "items": [item(c) for c in node.get("children") or []], "uid": node["uid"]}
        if node.get("history"):
            out["history"] = node["history"]
        return out

    def walk(nodes: list[dict]) -> list[dict]:
        out = []
        for node in nodes:
            kind = node["kind"]
            num = labels[node["uid"]].num
            if kind == "pasal":
                kids = node.get("children") or []
                p = {"type": "pasal", "num": num, "text": node.get("text", ""),
                     "ayat": [{"num": labels[a["uid"]].num, "text": a.get("text", ""),
                               "items": [item(c) for c in a.get("children") or []], "uid": a["uid"],
                               **({"history": a["history"]} if a.get("history") else {})}
                              for a in kids if a["kind"] == "ayat"],
                     "items": [item(c) for c in kids if c["kind"] != "ayat"], "uid": node["uid"]}
                if node.get("penjelasan"):
                    p["penjelasan"] = node["penjelasan"]
            else:
                p = {"type": kind, "num": num, "heading": node.get("heading", ""),
                     "children": walk(node.get("children") or []), "uid": node["uid"]}
                if node.get("role"):
                    p["role"] = node["role"]
            if node.get("history"):
                p["history"] = node["history"]
            out.append(p)
        return out

    return walk(body)


def strip_uids(body: list[dict]) -> list[dict]:
    """The import shape without the ``uid`` keys (what ``manage.py consolidate`` prints)."""
    def clean(node: dict) -> dict:
        out = {k: v for k, v in node.items() if k != "uid"}
        for key in ("children", "ayat", "items"):
            if key in out:
                out[key] = [clean(c) for c in out[key]]
        return out
    return [clean(n) for n in body]


def plain_text(node: dict) -> str:
    """The words of an import-shape node and its subtree, in order (for comparisons)."""
    parts = [node.get("heading", ""), node.get("text", "")]
    for key in ("children", "ayat", "items"):
        for c in node.get(key, []):
            parts.append(f"{c.get('num', '')} {plain_text(c)}")
    return " ".join(p for p in parts if p)


def resolve_refs(body: list[dict]) -> list[dict]:
    """A copy of a snapshot body with every reference token written out as its citation ("Pasal 7 ayat (1)",
    or "ayat (1)" inside the same Pasal), numbers as printed."""
    from ..numbering import number_tree, render_refs

    labels = number_tree(body)

    def walk(nodes: list[dict]) -> list[dict]:
        return [dict(n, text=render_refs(n.get("text", ""), labels, n["uid"]),
                     penjelasan=render_refs(n.get("penjelasan", ""), labels, n["uid"]),
                     children=walk(n.get("children") or [])) for n in nodes]
    return walk(body)
