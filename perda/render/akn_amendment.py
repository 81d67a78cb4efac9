"""Akoma Ntoso of an amending regulation: Pasal I's instructions as ``<mod>``s (each quoting the new text in a
``<quotedStructure>``), and in ``<meta><analysis><activeModifications>`` one ``textualMod`` per instruction
naming the modified provision of the base by its FRBR work URI and eId (AKN Naming Convention 3.0:
``<the base's work URI>/!main#art_7__para_2__point_b``).

Kept apart from ``perda.render.akn`` so the shared renderer only calls ``amendment_body`` and
``add_active_modifications``.
"""
from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ..amendments.draft import container_value
from ..amendments.render import instructions_of, opening, pasal_ii
from ..amendments.tree import parse_locator
from .akn import AKN_NS, E, _p, _slug, frbr

MOD_TYPE = {"ubah": "substitution", "sisip": "insertion", "tambah": "insertion", "hapus": "repeal"}
PREFIX = {"bab": "chp", "bagian": "sec", "paragraf": "subsec", "pasal": "art", "ayat": "para", "huruf": "point",
          "angka": "point"}
TAG = {"bab": "chapter", "bagian": "section", "paragraf": "subsection", "pasal": "article", "ayat": "paragraph",
       "huruf": "point", "angka": "point"}


def base_work_uri(base: dict[str, Any]) -> str:
    """The base's FRBR work URI, as its own export names it (``perda.render.akn.frbr``)."""
    return frbr(base).work


def target_eid(target: str) -> str | None:
    """"Pasal 7 ayat (2) huruf b" → "art_7__para_2__point_b" (None for Lampiran/Penjelasan)."""
    parts = parse_locator(target)
    if not parts or parts[0][0] in ("lampiran", "penjelasan"):
        return None
    out: list[str] = []
    for kind, num in parts:
        if kind == "bagian" and re.fullmatch(r"Ke[a-z]+(?: [A-Z][a-z]+)*", num):
            # The base's export numbers a Bagian by its place ("sec_2" for Bagian Kedua), not by its word.
            num = str(container_value("bagian", num) or num)
        own = f"{PREFIX[kind]}_{_slug(num)}"
        if kind == "pasal":
            out = [own]  # Pasal eIds do not depend on their BAB
        else:
            out.append(own)
    return "__".join(out)


def _quoted(node: dict, prefix: str) -> etree._Element:
    """An import-shape node as AKN inside a quotedStructure (eIds under the mod's own eId)."""
    kind = node.get("type", "ayat")
    num = node.get("num", "")
    eid = f"{prefix}__{PREFIX.get(kind, 'point')}_{_slug(num)}"
    if kind in ("bab", "bagian", "paragraf"):
        word = {"bab": "BAB", "bagian": "Bagian", "paragraf": "Paragraf"}[kind]
        el = E(TAG[kind], E("num", f"{word} {num}"), E("heading", node.get("heading", "")), eId=eid)
        for c in node.get("children", []):
            el.append(_quoted(c, eid))
        if not node.get("children"):
            el.append(E("content", E("p")))
        return el
    if kind == "pasal":
        label = f"Pasal {num}"
    elif kind == "ayat":
        label = f"({num})"
    else:
        label = f"{num}."
    el = E(TAG.get(kind, "point"), E("num", label), eId=eid)
    kids = [dict(a, type="ayat") for a in node.get("ayat", [])] + list(node.get("items", []))
    text = node.get("text", "")
    if kids:
        if text:
            el.append(E("intro", _p(text)))
        for c in kids:
            el.append(_quoted(c, eid))
    else:
        el.append(E("content", _p(text)))
    return el


def amendment_body(body: etree._Element, snapshot: dict[str, Any]) -> None:
    """Pasal I (the instructions, each a point holding a ``<mod>``) and Pasal II."""
    instructions = instructions_of(snapshot)
    art1 = E("article", E("num", "Pasal I"), eId="art_I")
    art1.append(E("intro", _p(opening(snapshot, instructions))))
    for ins in instructions:
        point_eid = f"art_I__point_{ins['num']}"
        mod = E("mod", ins["instruction"], eId=f"{point_eid}__mod_1")
        nodes = [n for n in ins.get("nodes") or [] if n.get("type") != "fragment"]
        frags = [n for n in ins.get("nodes") or [] if n.get("type") == "fragment"]
        if nodes or frags:
            qs = E("quotedStructure", eId=f"{point_eid}__mod_1__qstr_1")
            for n in nodes:
                qs.append(_quoted(n, f"{point_eid}__mod_1__qstr_1"))
            for f in frags:
                for a in f.get("ayat", []):
                    qs.append(_quoted(dict(a, type="ayat"), f"{point_eid}__mod_1__qstr_1"))
                for it in f.get("items", []):
                    qs.append(_quoted(it, f"{point_eid}__mod_1__qstr_1"))
                if not f.get("ayat") and not f.get("items") and f.get("text"):
                    qs.append(_p(f["text"]))
            mod.append(qs)
        art1.append(E("point", E("num", f"{ins['num']}."), E("content", E("p", mod)), eId=point_eid))
    if not instructions:
        art1.append(E("point", E("num", "1."), E("content", E("p", "…")), eId="art_I__point_1"))
    body.append(art1)
    body.append(E("article", E("num", "Pasal II"), E("content", _p(pasal_ii(snapshot))), eId="art_II"))


def add_active_modifications(meta: etree._Element, snapshot: dict[str, Any]) -> None:
    """``<analysis><activeModifications>``: one textualMod per instruction, source = the mod, destination =
    the base provision (by FRBR work URI and eId)."""
    instructions = instructions_of(snapshot)
    if not instructions:
        return
    work = base_work_uri(snapshot["amendment"]["base"])
    attachments = own_lampiran_eids(snapshot)
    mods = E("activeModifications")
    for ins in instructions:
        point_eid = f"art_I__point_{ins['num']}"
        for k, target in enumerate(ins.get("targets") or [ins["target"]], start=1):
            # A new part does not exist in the base: the destination is the provision it follows (pos="after").
            placed = ins["op"] in ("sisip", "tambah") and ins.get("after")
            dest = E("destination", href=_base_href(work, ins["after"] if placed else target))
            if placed:
                dest.set("pos", "after")
            tm = E("textualMod", E("source", href=f"#{point_eid}__mod_1"), dest,
                   type=MOD_TYPE[ins["op"]], eId=f"amod_{ins['num']}_{k}")
            if ins.get("nodes") and ins["op"] != "hapus":
                tm.append(E("new", href=f"#{point_eid}__mod_1__qstr_1"))
            elif ins.get("lampiran") and ins["lampiran"]["own"] in attachments:
                tm.append(E("new", href=f"#{attachments[ins['lampiran']['own']]}"))
            mods.append(tm)
    analysis = E("analysis", mods, source="#pamong")
    refs = meta.find(f"{{{AKN_NS}}}references")
    later = [meta.find(f"{{{AKN_NS}}}{tag}") for tag in ("temporalData", "references", "notes", "proprietary",
                                                        "presentation")]
    later = [el for el in later if el is not None]
    if later:
        later[0].addprevious(analysis)
    elif refs is not None:
        refs.addprevious(analysis)
    else:
        meta.append(analysis)


def _base_href(work: str, target: str) -> str:
    """A provision of the base (``<work>/!main#art_7__para_2``) or one of its Lampiran (``<work>/!lampiran_ii``)."""
    eid = target_eid(target)
    lampiran = lampiran_component(target)
    return f"{work}/!main#{eid}" if eid else f"{work}/!{lampiran}" if lampiran else f"{work}/!main"


def lampiran_component(target: str) -> str | None:
    """"Lampiran II" → "lampiran_ii", "Lampiran" → "lampiran": the base's Lampiran as a component of its work
    (its FRBR work URI + "/!lampiran_ii"); None for any other target."""
    parts = parse_locator(target)
    if not parts or parts[0][0] != "lampiran":
        return None
    return f"lampiran_{parts[0][1].lower()}" if parts[0][1] else "lampiran"


def own_lampiran_eids(snapshot: dict[str, Any]) -> dict[str, str]:
    """The amending regulation's own Lampiran → the eId of its attachment (after the penjelasan's ``att_1``)."""
    from ..amendments.lampiran import own_lampiran
    from .html import has_penjelasan

    first = 2 if has_penjelasan(snapshot) else 1
    return {lamp["label"]: f"att_{i}" for i, lamp in enumerate(own_lampiran(snapshot), start=first)}


def own_lampiran_attachments(snapshot: dict[str, Any], meta: dict[str, Any]) -> list[etree._Element]:
    """Each of the amending regulation's own Lampiran as an ``attachment`` holding a ``doc name="lampiran"``."""
    from ..amendments.lampiran import own_lampiran
    from .akn import _meta

    eids = own_lampiran_eids(snapshot)
    out = []
    for lamp in own_lampiran(snapshot):
        eid = eids[lamp["label"]]
        doc = E("doc", name="lampiran")
        doc.append(_meta(meta, meta.get("kind", "perda"), part=_slug(lamp["label"]).replace("-", "_")))
        doc.append(E("preface", E("p", E("docNumber", lamp["label"]), E("docTitle", lamp["title"]))))
        main = E("mainBody")
        for i, para in enumerate([p for p in lamp["text"].split("\n") if p.strip()] or [""], start=1):
            main.append(E("paragraph", E("content", _p(para)), eId=f"{eid}__para_{i}"))
        doc.append(main)
        out.append(E("attachment", doc, eId=eid))
    return out
