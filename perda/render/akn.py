"""Akoma Ntoso 3.0 (OASIS LegalDocML) export of a regulation snapshot, validated against the shipped schema.

Mapping: BAB → chapter, Bagian → section, Paragraf → subsection, Pasal → article, ayat → paragraph,
huruf/angka → point (a Pasal's or ayat's own text before its list is its ``intro``). Konsiderans are
``recitals``, dasar hukum ``citations``; references become ``<ref href="#eId">``. Each element carries the
provision's uid as ``GUID``. The penjelasan is an attachment ``doc name="penjelasan"``.
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from lxml import etree

from ..numbering import REF_RE, Label, cite, konsiderans_closing, konsiderans_letter, number_tree
from .html import frame_words, region_names

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "akomantoso30.xsd"
NSMAP = {None: AKN_NS}


def E(tag: str, *children, **attrs) -> etree._Element:
    el = etree.Element(f"{{{AKN_NS}}}{tag}", nsmap=NSMAP)
    for k, v in attrs.items():
        if v is not None:
            el.set(k.rstrip("_"), str(v))
    for c in children:
        if isinstance(c, str):
            if len(el):
                el[-1].tail = (el[-1].tail or "") + c
            else:
                el.text = (el.text or "") + c
        elif c is not None:
            el.append(c)
    return el


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


PREFIX = {"bab": "chp", "bagian": "sec", "paragraf": "subsec", "pasal": "art", "ayat": "para",
          "huruf": "point", "angka": "point"}
TAG = {"bab": "chapter", "bagian": "section", "paragraf": "subsection", "pasal": "article", "ayat": "paragraph",
       "huruf": "point", "angka": "point"}


def element_ids(snapshot: dict[str, Any], labels: dict[str, Label]) -> dict[str, str]:
    """uid → eId following the AKN naming convention (art_7__para_2__point_b); Pasal are unique by number,
    so article eIds do not depend on their BAB."""
    ids: dict[str, str] = {}

    def walk(nodes, parent_eid):
        for n in nodes:
            lab = labels[n["uid"]]
            kind = n["kind"]
            num = lab.num if kind not in ("bagian",) else str(_ordinal_index(n, nodes))
            num = _slug(num)
            own = f"{PREFIX[kind]}_{num}"
            if kind == "pasal" or parent_eid is None:
                eid = own
            else:
                eid = f"{parent_eid}__{own}"
            ids[n["uid"]] = eid
            walk(n.get("children") or [], eid)

    walk(snapshot.get("body", []), None)
    return ids


def _ordinal_index(node, siblings) -> int:
    return [s for s in siblings if s["kind"] == "bagian"].index(node) + 1


def _inline(parent: etree._Element, text: str, labels, ids, context_uid) -> None:
    """Append ``text`` to ``parent`` turning reference tokens into <ref> elements."""
    pos = 0
    last = None
    for m in REF_RE.finditer(text or ""):
        chunk = text[pos:m.start()]
        if last is None:
            parent.text = (parent.text or "") + chunk
        else:
            last.tail = (last.tail or "") + chunk
        uid = m.group(1)
        shown = cite(uid, labels, context_uid)
        if shown is None or uid not in ids:
            piece = "[rujukan tidak ditemukan]"
            if last is None:
                parent.text += piece
            else:
                last.tail += piece
        else:
            last = E("ref", shown, href=f"#{ids[uid]}")
            parent.append(last)
        pos = m.end()
    rest = (text or "")[pos:]
    if last is None:
        parent.text = (parent.text or "") + rest
    else:
        last.tail = (last.tail or "") + rest


def _p(text: str, labels=None, ids=None, context_uid=None) -> etree._Element:
    p = E("p")
    _inline(p, text, labels or {}, ids or {}, context_uid)
    return p


def _hier(node: dict, labels, ids) -> etree._Element:
    kind = node["kind"]
    uid = node["uid"]
    el = E(TAG[kind], eId=ids[uid], GUID=uid)
    el.append(E("num", labels[uid].label))
    children = node.get("children") or []
    if kind in ("bab", "bagian", "paragraf"):
        el.append(E("heading", node.get("heading", "")))
        for c in children:
            el.append(_hier(c, labels, ids))
        if not children:
            el.append(E("content", E("p")))  # keeps an unfinished draft valid
        return el
    text = node.get("text", "")
    if children:
        if text:
            el.append(E("intro", _p(text, labels, ids, uid)))
        for c in children:
            el.append(_hier(c, labels, ids))
    else:
        el.append(E("content", _p(text, labels, ids, uid)))
    return el


def _frbr(meta: dict[str, Any], kind: str, part: str = "main") -> tuple[str, str, str, str]:
    names = region_names(meta)
    country = "id"
    city = _slug(names["kota"])
    year = meta.get("year") or (dt.date.fromisoformat(meta["enacted_on"]).year if meta.get("enacted_on") else None)
    number = meta.get("number")
    date = meta.get("enacted_on") or dt.date.today().isoformat()
    if number is not None and year is not None:
        work = f"/akn/{country}/act/{kind}/{city}/{year}/{number}"
    else:
        work = f"/akn/{country}/bill/{kind}/{city}/{date[:4]}/rancangan-{meta.get('id') or 0}"
    expr = f"{work}/ind@{date}"
    return work, expr, f"{expr}/!{part}", date


def _meta(meta: dict[str, Any], kind: str, part: str = "main") -> etree._Element:
    work, expr, manif_this, date = _frbr(meta, kind, part)
    author = "#walikota"
    ident = E(
        "identification",
        E("FRBRWork",
          E("FRBRthis", value=f"{work}/!{part}"), E("FRBRuri", value=work),
          E("FRBRalias", value=meta.get("title", ""), name="judul"),
          E("FRBRdate", date=date, name="penetapan" if meta.get("enacted_on") else "rancangan"),
          E("FRBRauthor", href=author), E("FRBRcountry", value="id"),
          E("FRBRsubtype", value=kind),
          E("FRBRnumber", value=str(meta.get("number") if meta.get("number") is not None else "rancangan")),
          E("FRBRname", value="Peraturan Daerah" if kind == "perda" else "Peraturan Wali Kota")),
        E("FRBRExpression",
          E("FRBRthis", value=manif_this), E("FRBRuri", value=expr),
          E("FRBRdate", date=date, name="versi"), E("FRBRauthor", href=author),
          E("FRBRlanguage", language="ind")),
        E("FRBRManifestation",
          E("FRBRthis", value=f"{manif_this}.akn"), E("FRBRuri", value=f"{expr}.akn"),
          E("FRBRdate", date=dt.date.today().isoformat(), name="ekspor"), E("FRBRauthor", href="#pamong")),
        source="#pamong",
    )
    if part != "main":
        return E("meta", ident)  # the TLC references live once, in the act's own meta
    names = region_names(meta)
    head = (meta.get("head_title") or "").strip().rstrip(",")
    refs = E(
        "references",
        E("TLCOrganization", eId="pamong", href="/ontology/organization/id/pamong", showAs="Pamong"),
        E("TLCRole", eId="walikota", href="/ontology/role/id/walikota", showAs=head.title() if head else f"Wali {names['kota']}"),
        source="#pamong",
    )
    return E("meta", ident, refs)


def render_akn_tree(snapshot: dict[str, Any]) -> etree._Element:
    meta = snapshot.get("regulation", {})
    kind = meta.get("kind", "perda")
    labels = number_tree(snapshot)
    ids = element_ids(snapshot, labels)
    w = frame_words(meta)
    title = meta.get("title", "")
    number = meta.get("number")
    year = meta.get("year")

    root = E("akomaNtoso")
    act = E("act", name=kind, contains="originalVersion")
    root.append(act)
    act.append(_meta(meta, kind))

    nomor = f"Nomor {number if number is not None else '…'} Tahun {year if year is not None else '…'}"
    long_title = E("p", f"{w['jenis_kota'].title()} ",
                   E("docNumber", nomor), " tentang ", E("docTitle", title))
    act.append(E("preface", E("longTitle", long_title)))

    preamble = E("preamble")
    preamble.append(E("formula", _p("DENGAN RAHMAT TUHAN YANG MAHA ESA"), name="enactingFormula"))
    preamble.append(_p(f"{w['walikota']},"))
    recitals = E("recitals", E("intro", _p("Menimbang:")), eId="recs")
    kons = snapshot.get("konsiderans", [])
    for i, k in enumerate(kons):
        recitals.append(E("recital", E("num", f"{konsiderans_letter(i)}."), _p(k["text"], labels, ids),
                          eId=f"recs__rec_{i + 1}", GUID=k["uid"]))
    if not meta.get("imported_from_text"):  # an imported regulation keeps its own closing point as printed
        recitals.append(E("recital", E("num", f"{konsiderans_letter(len(kons))}."),
                          _p(konsiderans_closing(len(kons), kind, title)), eId=f"recs__rec_{len(kons) + 1}"))
    preamble.append(recitals)
    citations = E("citations", E("intro", _p("Mengingat:")), eId="cits")
    for i, d in enumerate(snapshot.get("dasar_hukum", [])):
        citations.append(E("citation", E("num", f"{i + 1}."), _p(d["text"]), eId=f"cits__cit_{i + 1}", GUID=d["uid"]))
    if len(citations) > 1:
        preamble.append(citations)
    if kind == "perda":
        preamble.append(E("container", _p("Dengan Persetujuan Bersama"), _p(w["dprd"]), _p("dan"),
                          _p(w["walikota"]), name="persetujuanBersama"))
    preamble.append(E("formula", _p("MEMUTUSKAN:"), _p(f"Menetapkan: {w['jenis']} TENTANG {title.upper()}."),
                      name="enactingFormula"))
    act.append(preamble)

    body = E("body")
    for n in snapshot.get("body", []):
        body.append(_hier(n, labels, ids))
    if not len(body):
        body.append(E("article", E("num", "Pasal 1"), E("content", E("p")), eId="art_1"))
    act.append(body)

    concl = E("conclusions")
    concl.append(_p(f"Agar setiap orang mengetahuinya, memerintahkan pengundangan {w['jenis_kalimat']} ini "
                    f"dengan penempatannya dalam {w['lembaran_kalimat']}."))
    enacted = meta.get("enacted_on")
    concl.append(E("container",
                   _p(f"Ditetapkan di {w['city']}"),
                   E("p", "pada tanggal ", E("date", enacted, date=enacted) if enacted else "…"),
                   _p(f"{(meta.get('signer_title') or w['walikota']).upper()},"),
                   _p(f"{w['jenis_kalimat']} ini dinyatakan sah.") if meta.get("dinyatakan_sah")
                   else E("p", E("signature", E("person", (meta.get("signer_name") or "…").upper(), refersTo="#walikota"))),
                   name="penetapan"))
    promulgated = meta.get("promulgated_on")
    concl.append(E("container",
                   _p(f"Diundangkan di {w['city']}"),
                   E("p", "pada tanggal ", E("date", promulgated, date=promulgated) if promulgated else "…"),
                   _p(f"{w['sekda']},"),
                   _p((meta.get("sekda_name") or "…").upper()),
                   name="pengundangan"))
    gazette = meta.get("gazette_number")
    concl.append(_p(f"{w['lembaran']} TAHUN {year if year is not None else '…'} NOMOR "
                    f"{gazette if gazette is not None else '…'}"))
    if kind == "perda":
        concl.append(_p(f"NOREG {w['jenis_kota']}, {w['provinsi']}: ({meta.get('noreg') or '…/…'})"))
    act.append(concl)

    # Penjelasan as an attachment.
    pasals = [n for n in _iter(snapshot.get("body", [])) if n["kind"] == "pasal"]
    if kind == "perda" or snapshot.get("penjelasan_umum") or any(p.get("penjelasan") for p in pasals):
        doc = E("doc", name="penjelasan")
        doc.append(_meta(meta, kind, part="penjelasan"))
        main = E("mainBody")
        umum = E("hcontainer", E("num", "I."), E("heading", "UMUM"), name="umum", eId="pjl_umum")
        umum_content = E("content")
        for para in [p for p in (snapshot.get("penjelasan_umum") or "").split("\n") if p.strip()] or ["Cukup jelas."]:
            umum_content.append(_p(para))
        umum.append(umum_content)
        main.append(umum)
        pdp = E("hcontainer", E("num", "II."), E("heading", "PASAL DEMI PASAL"), name="pasalDemiPasal", eId="pjl_pdp")
        for p in pasals:
            item = E("hcontainer", E("num", labels[p["uid"]].label),
                     E("content", _p(p.get("penjelasan") or "Cukup jelas.", labels, ids, p["uid"])),
                     name="penjelasanPasal", eId=f"pjl_pdp__{ids[p['uid']]}")
            pdp.append(item)
        if not pasals:
            pdp.append(E("content", _p("Cukup jelas.")))
        main.append(pdp)
        doc.append(main)
        act.append(E("attachments", E("attachment", doc, eId="att_1")))
    return root


def _iter(nodes):
    for n in nodes:
        yield n
        yield from _iter(n.get("children") or [])


def render_akn(snapshot: dict[str, Any]) -> bytes:
    return etree.tostring(render_akn_tree(snapshot), xml_declaration=True, encoding="UTF-8", pretty_print=True)


@functools.lru_cache(maxsize=1)
def akn_schema():
    """The compiled OASIS schema (about 2 s to build; cached per process). Resolves ./xml.xsd locally."""
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA_PATH))


def akn_errors(xml: bytes) -> list[str]:
    schema = akn_schema()
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(etree.fromstring(xml))]


def validate_akn(xml: bytes) -> None:
    """Raise ``xmlschema.XMLSchemaValidationError`` when ``xml`` does not validate."""
    akn_schema().validate(etree.fromstring(xml))
