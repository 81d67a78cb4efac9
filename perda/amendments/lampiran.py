"""Changes an amendment draft makes to the Lampiran of the regulation it amends (Lampiran II UU 12/2011, Bab IV).

A Lampiran is not written in Pasal I: the instruction names the base's Lampiran and refers to the amending
regulation's own Lampiran, which carries the new content and is part of it::

    Lampiran I diubah sehingga menjadi sebagaimana tercantum dalam Lampiran yang merupakan bagian tidak
    terpisahkan dari Peraturan Daerah ini.
    Lampiran II dihapus.
    Setelah Lampiran II ditambahkan 1 (satu) lampiran, yakni Lampiran III sebagaimana tercantum dalam Lampiran
    II yang merupakan bagian tidak terpisahkan dari Peraturan Daerah ini.

The amending regulation's own Lampiran are numbered only when it has more than one ("Lampiran", or "Lampiran
I", "Lampiran II" …). Instructions on Lampiran come after those on the body, in the order of the base's
Lampiran, as the instructions follow the order of the provisions. Pure functions over the ``lampiran`` list of
the snapshot's ``amendment`` block (``perda.models.Amendment.lampiran``).
"""
from __future__ import annotations

import re
from typing import Any

from ..numbering import roman
from .consolidate import roman_value

OPS = ("ubah", "tambah", "hapus")
RE_ROMAN = re.compile(r"^[IVXLC]+$")


def normalise_target(value: str) -> str:
    """"Lampiran ii" / "II" → "II"; "" or "Lampiran" → "" (the base's only, unnumbered Lampiran)."""
    value = re.sub(r"^\s*lampiran\b", "", value or "", flags=re.I).strip().upper()
    return value


def target_label(target: str) -> str:
    return f"Lampiran {target}" if target else "Lampiran"


def ordered(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entries, key=lambda e: roman_value(e.get("target", ""))[0] if e.get("target") else 0)


def own_labels(entries: list[dict[str, Any]]) -> dict[str, str]:
    """uid → the amending regulation's own Lampiran that carries the new content ("Lampiran", "Lampiran II")."""
    with_content = [e for e in ordered(entries) if e["op"] != "hapus"]
    if len(with_content) == 1:
        return {with_content[0]["uid"]: "Lampiran"}
    return {e["uid"]: f"Lampiran {roman(i)}" for i, e in enumerate(with_content, start=1)}


def lampiran_instructions(entries: list[dict[str, Any]], *, jenis: str, start: int) -> list[dict[str, Any]]:
    """Pasal I's instructions for ``entries``, numbered from ``start``, in the shape of
    ``perda.amendments.draft.pasal_i`` (``text`` and ``nodes`` empty: the content is in the amending regulation's
    own Lampiran, named in ``lampiran``)."""
    own = own_labels(entries)
    out = []
    for k, e in enumerate(ordered(entries), start=start):
        target = target_label(e.get("target", ""))
        tail = f"sebagaimana tercantum dalam {own.get(e['uid'], '')} yang merupakan bagian tidak terpisahkan dari {jenis} ini."
        if e["op"] == "hapus":
            sentence = f"{target} dihapus."
        elif e["op"] == "tambah":
            before = roman_value(e["target"])[0] - 1
            sentence = (f"Setelah Lampiran {roman(before)} ditambahkan 1 (satu) lampiran, yakni {target} {tail}"
                        if before > 0 else f"Ditambahkan 1 (satu) lampiran, yakni {target} {tail}")
        else:
            sentence = f"{target} diubah sehingga menjadi {tail}"
        item: dict[str, Any] = {"num": k, "op": e["op"], "target": target, "instruction": sentence, "text": "",
                                "nodes": []}
        if e["op"] == "tambah" and before > 0:
            item["after"] = f"Lampiran {roman(before)}"
        if e["op"] != "hapus":
            item["lampiran"] = {"own": own[e["uid"]], "title": e.get("title", "")}
        out.append(item)
    return out


def own_lampiran(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The amending regulation's own Lampiran, in order: ``{"label", "title", "text", "replaces"}``."""
    entries = (snapshot.get("amendment") or {}).get("lampiran") or []
    own = own_labels(entries)
    return [{"label": own[e["uid"]], "title": e.get("title", ""), "text": e.get("text", ""),
             "replaces": target_label(e.get("target", "")), "op": e["op"]}
            for e in ordered(entries) if e["op"] != "hapus"]
