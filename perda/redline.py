"""Redline between two snapshots, provision by provision (matched by uid).

Each provision is *inserted* (only in B), *deleted* (only in A), *moved* (another parent, or out of order
among the siblings both versions share) and/or *changed* (heading, text or penjelasan differ; marked word by
word). Reference tokens are resolved with each version's own numbering before comparing, so a reference that
now reads "Pasal 4" instead of "Pasal 3" shows as changed words. Konsiderans and dasar hukum are compared the
same way.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape

from .numbering import Label, iter_nodes, konsiderans_letter, number_tree, render_refs

TOKEN_RE = re.compile(r"\w+|[^\w\s]|\s+")


@dataclass
class Change:
    uid: str
    node_kind: str
    label_a: str | None
    label_b: str | None
    inserted: bool = False
    deleted: bool = False
    moved: bool = False
    changed_fields: list[str] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)  # field → HTML with <ins>/<del>

    @property
    def kinds(self) -> list[str]:
        out = []
        if self.inserted:
            out.append("inserted")
        if self.deleted:
            out.append("deleted")
        if self.moved:
            out.append("moved")
        if self.changed_fields:
            out.append("changed")
        return out


def word_diff(a: str, b: str) -> str:
    """HTML of ``b`` with the words removed from ``a`` in <del> and the words added in <ins>."""
    ta = TOKEN_RE.findall(a or "")
    tb = TOKEN_RE.findall(b or "")
    sm = difflib.SequenceMatcher(a=ta, b=tb, autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(escape("".join(ta[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(ta[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(tb[j1:j2]))}</ins>")
    return "".join(out)


def _index(snapshot: dict[str, Any]) -> tuple[dict[str, dict], dict[str, str | None], dict[str | None, list[str]]]:
    nodes: dict[str, dict] = {}
    parent: dict[str, str | None] = {}
    children: dict[str | None, list[str]] = {}
    for n, p in iter_nodes(snapshot.get("body", [])):
        nodes[n["uid"]] = n
        parent[n["uid"]] = p["uid"] if p else None
        children.setdefault(p["uid"] if p else None, []).append(n["uid"])
    return nodes, parent, children


def _resolved(node: dict, labels: dict[str, Label]) -> dict[str, str]:
    return {
        "heading": node.get("heading", "") or "",
        "text": render_refs(node.get("text", ""), labels, node["uid"]),
        "penjelasan": render_refs(node.get("penjelasan", ""), labels, node["uid"]),
    }


def _moved_uids(children_a, children_b, parent_a, parent_b, common: set[str]) -> set[str]:
    moved = {u for u in common if parent_a[u] != parent_b[u]}
    for pid, kids_b in children_b.items():
        kids_a = children_a.get(pid, [])
        seq_a = [u for u in kids_a if u in common and parent_a[u] == pid]
        seq_b = [u for u in kids_b if u in common and parent_a[u] == pid]
        if seq_a == seq_b:
            continue
        sm = difflib.SequenceMatcher(a=seq_a, b=seq_b, autojunk=False)
        kept = set()
        for block in sm.get_matching_blocks():
            kept.update(seq_b[block.b:block.b + block.size])
        moved.update(u for u in seq_b if u not in kept)
    return moved


def compare(a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    """Every provision that differs between ``a`` and ``b``: B's document order, deleted ones at the end."""
    labels_a, labels_b = number_tree(a), number_tree(b)
    nodes_a, parent_a, children_a = _index(a)
    nodes_b, parent_b, children_b = _index(b)
    common = set(nodes_a) & set(nodes_b)
    moved = _moved_uids(children_a, children_b, parent_a, parent_b, common)
    changes: list[Change] = []
    for uid, node in nodes_b.items():
        if uid not in nodes_a:
            changes.append(Change(uid, node["kind"], None, labels_b[uid].citation, inserted=True))
            continue
        ra, rb = _resolved(nodes_a[uid], labels_a), _resolved(node, labels_b)
        ch = Change(uid, node["kind"], labels_a[uid].citation, labels_b[uid].citation, moved=uid in moved)
        for f in ("heading", "text", "penjelasan"):
            if ra[f] != rb[f]:
                ch.changed_fields.append(f)
                ch.marks[f] = word_diff(ra[f], rb[f])
        if ch.moved or ch.changed_fields:
            changes.append(ch)
    for uid, node in nodes_a.items():
        if uid not in nodes_b:
            changes.append(Change(uid, node["kind"], labels_a[uid].citation, None, deleted=True))
    for section in ("konsiderans", "dasar_hukum"):
        la = {x["uid"]: (i, x["text"]) for i, x in enumerate(a.get(section, []))}
        lb = {x["uid"]: (i, x["text"]) for i, x in enumerate(b.get(section, []))}
        name = "Konsiderans huruf" if section == "konsiderans" else "Dasar hukum angka"
        lab = (lambda i: konsiderans_letter(i)) if section == "konsiderans" else (lambda i: str(i + 1))
        order_a = [u for u in la if u in lb]
        order_b = sorted(order_a, key=lambda u: lb[u][0])
        sm = difflib.SequenceMatcher(a=order_a, b=order_b, autojunk=False)
        kept = set()
        for block in sm.get_matching_blocks():
            kept.update(order_b[block.b:block.b + block.size])
        for uid, (i, text) in lb.items():
            if uid not in la:
                changes.append(Change(uid, section, None, f"{name} {lab(i)}", inserted=True))
                continue
            ch = Change(uid, section, f"{name} {lab(la[uid][0])}", f"{name} {lab(i)}", moved=uid not in kept)
            if la[uid][1] != text:
                ch.changed_fields.append("text")
                ch.marks["text"] = word_diff(la[uid][1], text)
            if ch.moved or ch.changed_fields:
                changes.append(ch)
        for uid, (i, _t) in la.items():
            if uid not in lb:
                changes.append(Change(uid, section, f"{name} {lab(i)}", None, deleted=True))
    return changes


KIND_WORDS = {"inserted": "disisipkan", "deleted": "dihapus", "moved": "dipindahkan", "changed": "diubah"}
FIELD_WORDS = {"heading": "Judul", "text": "Teks", "penjelasan": "Penjelasan"}


def redline_html(a: dict[str, Any], b: dict[str, Any], *, label_a: str = "A", label_b: str = "B",
                 standalone: bool = False, css: str = "") -> str:
    """The changes as HTML: a summary, then one block per changed provision with word-level marks."""
    changes = compare(a, b)
    labels_a, labels_b = number_tree(a), number_tree(b)
    nodes_a, _pa, _ca = _index(a)
    nodes_b, _pb, _cb = _index(b)
    texts_a = {x["uid"]: x["text"] for s in ("konsiderans", "dasar_hukum") for x in a.get(s, [])}
    texts_b = {x["uid"]: x["text"] for s in ("konsiderans", "dasar_hukum") for x in b.get(s, [])}
    counts = {k: sum(1 for c in changes if k in c.kinds) for k in KIND_WORDS}
    out = ['<div class="redline">',
           f'<p class="rl-title">Perbandingan {escape(label_a)} → {escape(label_b)}</p>',
           '<p class="rl-summary">' + ", ".join(f"{n} {KIND_WORDS[k]}" for k, n in counts.items()) + "</p>"]
    if not changes:
        out.append("<p>Tidak ada perbedaan.</p>")
    for c in changes:
        kinds = c.kinds
        head = escape(c.label_b or c.label_a or "")
        if c.label_a and c.label_b and c.label_a != c.label_b:
            head = f"{escape(c.label_b)} (semula {escape(c.label_a)})"
        words = ", ".join(KIND_WORDS[k] for k in kinds)
        out.append(f'<div class="chg {" ".join("chg-" + k for k in kinds)}" data-uid="{c.uid}">'
                   f'<p class="chg-head">{head} — {words}</p>')
        if c.inserted:
            text = (texts_b.get(c.uid) if c.node_kind in ("konsiderans", "dasar_hukum") else
                    " ".join(v for v in _resolved(nodes_b[c.uid], labels_b).values() if v))
            out.append(f"<p><ins>{escape(text or '')}</ins></p>")
        elif c.deleted:
            text = (texts_a.get(c.uid) if c.node_kind in ("konsiderans", "dasar_hukum") else
                    " ".join(v for v in _resolved(nodes_a[c.uid], labels_a).values() if v))
            out.append(f"<p><del>{escape(text or '')}</del></p>")
        for f in c.changed_fields:
            out.append(f'<p class="chg-field"><span class="fld">{FIELD_WORDS.get(f, f)}:</span> {c.marks[f]}</p>')
        out.append("</div>")
    out.append("</div>")
    html = "".join(out)
    if not standalone:
        return html
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Perbandingan versi</title>'
            f"<style>{css}</style></head><body>{html}</body></html>")


def redline_document_html(a: dict[str, Any], b: dict[str, Any]) -> str:
    """The whole body of ``b`` with the changes since ``a`` marked in place: inserted provisions underlined,
    deleted ones struck through where they stood, changed words marked, moved ones flagged."""
    changes = {c.uid: c for c in compare(a, b)}
    labels_a, labels_b = number_tree(a), number_tree(b)
    nodes_a, parent_a, children_a = _index(a)
    out: list[str] = ['<div class="redline redline-doc">']

    def emit(node, labels, state: str) -> None:
        uid = node["uid"]
        c = changes.get(uid)
        cls = state or ("moved" if c and c.moved else "")
        lab = escape(labels[uid].label)
        r = _resolved(node, labels)
        if state == "deleted":
            body = {f: f"<del>{escape(v)}</del>" if v else "" for f, v in r.items()}
        elif state == "inserted":
            body = {f: f"<ins>{escape(v)}</ins>" if v else "" for f, v in r.items()}
        else:
            body = {f: (c.marks[f] if c and f in c.marks else escape(v)) for f, v in r.items()}
        note = " (dipindahkan)" if c and c.moved and not state else ""
        out.append(f'<div class="rl-node rl-{node["kind"]} {("rl-" + cls) if cls else ""}" data-uid="{uid}">'
                   f'<span class="rl-label">{lab}{note}</span> ')
        if body["heading"]:
            out.append(f'<strong>{body["heading"]}</strong> ')
        if body["text"]:
            out.append(f'<span class="rl-text">{body["text"]}</span>')
        children = node.get("children") or []
        child_uids = {ch["uid"] for ch in children}
        # Deleted children of this node in A, placed after the sibling they followed there.
        deleted_after: dict[str | None, list[dict]] = {}
        if state != "deleted":
            prev = None
            for cu in children_a.get(uid, []):
                if cu not in changes or not changes[cu].deleted:
                    prev = cu if cu in child_uids else prev
                    continue
                deleted_after.setdefault(prev, []).append(nodes_a[cu])
        for d in deleted_after.get(None, []):
            emit(d, labels_a, "deleted")
        for ch in children:
            child_state = "deleted" if state == "deleted" else (
                "inserted" if state == "inserted" or (changes.get(ch["uid"]) and changes[ch["uid"]].inserted) else "")
            emit(ch, labels if state == "deleted" else labels_b, child_state)
            for d in deleted_after.get(ch["uid"], []):
                emit(d, labels_a, "deleted")
        out.append("</div>")

    top_b = b.get("body", [])
    top_uids = {n["uid"] for n in top_b}
    deleted_top: dict[str | None, list[dict]] = {}
    prev = None
    for cu in children_a.get(None, []):
        if cu in changes and changes[cu].deleted:
            deleted_top.setdefault(prev, []).append(nodes_a[cu])
        elif cu in top_uids:
            prev = cu
    for d in deleted_top.get(None, []):
        emit(d, labels_a, "deleted")
    for n in top_b:
        emit(n, labels_b, "inserted" if changes.get(n["uid"]) and changes[n["uid"]].inserted else "")
        for d in deleted_top.get(n["uid"], []):
            emit(d, labels_a, "deleted")
    out.append("</div>")
    return "".join(out)


def redline_pdf(a: dict[str, Any], b: dict[str, Any], *, label_a: str = "A", label_b: str = "B",
                document: bool = False) -> bytes:
    """The redline as PDF: the list of changes, followed (``document=True``) by the whole marked-up body."""
    from .render.pdf import html_to_pdf, regulation_css

    html = redline_html(a, b, label_a=label_a, label_b=label_b)
    if document:
        html += '<h2 class="rl-doc-title">Batang tubuh dengan tanda perubahan</h2>' + redline_document_html(a, b)
    page = (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Perbandingan versi</title>'
            f"<style>{regulation_css()}</style></head><body>{html}</body></html>")
    return html_to_pdf(page)
