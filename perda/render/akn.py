"""Akoma Ntoso 3.0 (OASIS LegalDocML) export of a regulation snapshot, validated against the shipped schema.

Mapping: BAB → chapter, Bagian → section, Paragraf → subsection, Pasal → article, ayat → paragraph,
huruf/angka → point (a Pasal's or ayat's own text before its list is its ``intro``). Konsiderans are
``recitals``, dasar hukum ``citations``; references become ``<ref href="#eId">``. Each element carries the
provision's uid as ``GUID``. The penjelasan is an attachment ``doc name="penjelasan"``.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ..kinds import form_of
from ..numbering import REF_RE, Label, cite, konsiderans_closing, konsiderans_letter, number_tree
from .html import frame_words, has_penjelasan, region_names, tanggal

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


BULAN = ("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober",
         "november", "desember")


# Older texts spell some months the old way.
BULAN_EJAAN_LAMA = {"pebruari": "februari", "nopember": "november"}


def parse_tanggal(text: str | None) -> dt.date | None:
    """A date printed in Indonesian long form ("6 November 2026") or ISO, else None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    numeric = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)  # "30-12-2025" as some texts print it
    if numeric:
        try:
            return dt.date(int(numeric.group(3)), int(numeric.group(2)), int(numeric.group(1)))
        except ValueError:
            return None
    parts = text.replace(",", " ").split()
    month = BULAN_EJAAN_LAMA.get(parts[1].lower(), parts[1].lower()) if len(parts) == 3 else ""
    if len(parts) == 3 and parts[0].isdigit() and parts[2].isdigit() and month in BULAN:
        try:
            return dt.date(int(parts[2]), BULAN.index(month) + 1, int(parts[0]))
        except ValueError:
            return None
    return None


def _event_date(meta: dict[str, Any], which: str) -> dt.date | None:
    """The date of penetapan (``which`` "enacted") or pengundangan ("promulgated"): the recorded date, else the
    printed one of an imported text when it reads as a date."""
    value = meta.get(f"{which}_on")
    if value:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    return parse_tanggal(meta.get(f"{which}_date_text"))


def is_enacted(meta: dict[str, Any]) -> bool:
    """An enacted regulation (an ``act``): numbered and promulgated, or imported from its published text.
    Anything else is a draft (a ``bill``)."""
    if meta.get("number") in (None, ""):
        return False
    return _event_date(meta, "promulgated") is not None or bool(meta.get("imported_from_text"))


SUBTYPES = {"PERATURAN DAERAH": "perda", "PERATURAN WALI KOTA": "perwali", "PERATURAN BUPATI": "perbup",
            "PERATURAN GUBERNUR": "pergub"}


def subtype(meta: dict[str, Any]) -> str:
    """The FRBR subtype: "perda" / "perwali", or for an imported head-of-region regulation the kind its
    heading prints ("PERATURAN BUPATI DONGGALA" → "perbup", "PERATURAN GUBERNUR BALI" → "pergub")."""
    return SUBTYPES.get(frame_words(meta)["jenis"], meta.get("kind", "perda"))


def _date_el(value: dt.date | None, *, name: str | None = None) -> etree._Element | str:
    """``<date date="2026-11-06">6 November 2026</date>``, or the dotted placeholder of an unset date."""
    if value is None:
        return "…………………"
    return E("date", tanggal(value), date=value.isoformat(), name=name)


@dataclass(frozen=True)
class Frbr:
    doc_type: str  # "act" | "bill"
    work: str
    expression: str
    work_date: str  # as in the URI: YYYY-MM-DD, or YYYY when only the year is known
    expression_date: str
    number: str

    @property
    def date_value(self) -> str:
        """The FRBRdate value (the schema wants a full date: 1 January of a year-only date)."""
        return self.work_date if len(self.work_date) == 10 else f"{self.work_date}-01-01"

    @property
    def date_name(self) -> str:
        if self.doc_type == "bill":
            return "rancangan"
        return "penetapan" if len(self.work_date) == 10 else "tahun"

    def this(self, level: str, part: str = "main") -> str:
        base = {"work": self.work, "expression": self.expression}.get(level, self.expression)
        return f"{base}/!{part}" + (".xml" if level == "manifestation" else "")


def frbr(meta: dict[str, Any]) -> Frbr:
    """The FRBR URIs (AKN Naming Convention 3.0, see perda/README.md "Akoma Ntoso"):

    * act:  ``/akn/id/act/<perda|perwali>/<region>/<date of penetapan>/<number>`` and expression ``…/ind@<date>``
    * bill: ``/akn/id/bill/<perda|perwali>/<region>/<version date>/rancangan-<id>`` and ``…/ind@<version date>``
    """
    kind = subtype(meta)
    region = _slug(region_names(meta)["kota"])
    if is_enacted(meta):
        enacted = _event_date(meta, "enacted") or _event_date(meta, "promulgated")
        # an imported text whose dates do not read as dates: the year (the naming convention allows it)
        date = enacted.isoformat() if enacted else str(meta.get("year") or "")
        number = _slug(str(meta["number"]))
        work = f"/akn/id/act/{kind}/{region}/{date}/{number}"
        return Frbr("act", work, f"{work}/ind@{date}", date, date, number)
    date = meta.get("version_date") or dt.date.today().isoformat()
    number = f"rancangan-{meta.get('id') or 0}"
    work = f"/akn/id/bill/{kind}/{region}/{date}/{number}"
    return Frbr("bill", work, f"{work}/ind@{date}", date, date, number)


def _person_id(name: str, fallback: str) -> str:
    return _slug(name) or fallback


def _identification(meta: dict[str, Any], uris: Frbr, part: str) -> etree._Element:
    enacted = uris.doc_type == "act"
    return E(
        "identification",
        E("FRBRWork",
          E("FRBRthis", value=uris.this("work", part)), E("FRBRuri", value=uris.work),
          E("FRBRalias", value=meta.get("title", ""), name="judul"),
          E("FRBRdate", date=uris.date_value, name=uris.date_name),
          E("FRBRauthor", href="#walikota"), E("FRBRcountry", value="id"),
          E("FRBRsubtype", value=subtype(meta)), E("FRBRnumber", value=uris.number),
          E("FRBRname", value=frame_words(meta)["jenis_kalimat"]),
          E("FRBRprescriptive", value="true" if enacted else "false")),
        E("FRBRExpression",
          E("FRBRthis", value=uris.this("expression", part)), E("FRBRuri", value=uris.expression),
          E("FRBRdate", date=uris.date_value, name=uris.date_name if enacted else "versi"),
          E("FRBRauthor", href="#walikota"), E("FRBRlanguage", language="ind")),
        E("FRBRManifestation",
          E("FRBRthis", value=uris.this("manifestation", part)), E("FRBRuri", value=f"{uris.expression}.akn"),
          E("FRBRdate", date=dt.date.today().isoformat(), name="ekspor"), E("FRBRauthor", href="#pamong")),
        source="#pamong",
    )


def _publication(meta: dict[str, Any], w: dict[str, str]) -> etree._Element | None:
    """The gazette the regulation was promulgated in: Lembaran Daerah (Perda) or Berita Daerah (Perwali)."""
    promulgated = _event_date(meta, "promulgated")
    if promulgated is None:
        return None
    gazette = meta.get("gazette_number")
    year = meta.get("year") or promulgated.year
    shown = meta.get("gazette_label") or (
        f"{w['lembaran_kalimat']} Tahun {year} Nomor {gazette if gazette is not None else '…'}")
    perda = meta.get("kind", "perda") == "perda"
    return E("publication", date=promulgated.isoformat(), name="lembaranDaerah" if perda else "beritaDaerah",
             showAs=shown, number=str(gazette) if gazette is not None else None)


def _references(meta: dict[str, Any], w: dict[str, str]) -> etree._Element:
    """TLCs: the software, the region's organs, the signing roles and, once known, the persons who signed."""
    names = region_names(meta)
    region = _slug(names["kota"])
    refs = E("references", source="#pamong")
    refs.append(E("TLCOrganization", eId="pamong", href="/akn/ontology/organization/id/pamong", showAs="Pamong"))
    refs.append(E("TLCOrganization", eId="pemerintah-daerah", href=f"/akn/ontology/organization/id/{region}",
                  showAs=f"Pemerintah Daerah {names['kota']}"))
    if meta.get("kind", "perda") == "perda":
        refs.append(E("TLCOrganization", eId="dprd", href=f"/akn/ontology/organization/id/{region}/dprd",
                      showAs=w["dprd"].title()))
    head = (meta.get("head_title") or "").strip().rstrip(",")
    refs.append(E("TLCRole", eId="walikota", href=f"/akn/ontology/role/id/{region}/kepala-daerah",
                  showAs=head.title() if head else f"{names['head']} {names['city']}"))
    refs.append(E("TLCRole", eId="sekda", href=f"/akn/ontology/role/id/{region}/sekretaris-daerah",
                  showAs=w["sekda"].title()))
    for name, fallback in ((meta.get("signer_name"), "penandatangan"), (meta.get("sekda_name"), "pengundang")):
        if name and not (fallback == "penandatangan" and meta.get("dinyatakan_sah")):
            pid = _person_id(name, fallback)
            refs.append(E("TLCPerson", eId=pid, href=f"/akn/ontology/person/id/{pid}", showAs=name))
    return refs


def _meta(meta: dict[str, Any], kind: str, part: str = "main") -> etree._Element:
    uris = frbr(meta)
    ident = _identification(meta, uris, part)
    if part != "main":
        return E("meta", ident)  # publication and TLC references live once, in the document's own meta
    w = frame_words(meta)
    out = E("meta", ident)
    publication = _publication(meta, w) if uris.doc_type == "act" else None
    if publication is not None:
        out.append(publication)
    out.append(_references(meta, w))
    return out


def _signature(role_text: str, role_id: str, person: str, person_id: str | None) -> etree._Element:
    """``<signature><role>OFFICE</role>,<eol/><person as="#role">NAME</person></signature>``; an unknown signer
    (a draft) is the dotted placeholder after the line break."""
    sig = E("signature", E("role", role_text, refersTo=f"#{role_id}"), ",", E("eol"))
    if person_id:
        sig.append(E("person", person, refersTo=f"#{person_id}", **{"as": f"#{role_id}"}))
    else:
        sig[-1].tail = person
    return sig


def _batang_tubuh(body: etree._Element, snapshot: dict[str, Any], labels, ids) -> None:
    for n in snapshot.get("body", []):
        body.append(_hier(n, labels, ids))


def _pasal_romawi(body: etree._Element, snapshot: dict[str, Any], labels, ids) -> None:
    from .akn_amendment import amendment_body

    amendment_body(body, snapshot)


def _body_writer(snapshot: dict[str, Any]):
    """The body layout named by the regulation's form descriptor (``perda.kinds``)."""
    return {"batang_tubuh": _batang_tubuh, "pasal_romawi": _pasal_romawi}[form_of(snapshot).body]


def render_akn_tree(snapshot: dict[str, Any]) -> etree._Element:
    meta = snapshot.get("regulation", {})
    kind = meta.get("kind", "perda")
    labels = number_tree(snapshot)
    ids = element_ids(snapshot, labels)
    w = frame_words(meta)
    title = meta.get("title", "")
    number = meta.get("number")
    year = meta.get("year")
    uris = frbr(meta)

    root = E("akomaNtoso")
    doc = E(uris.doc_type, name=subtype(meta), contains=form_of(snapshot).akn_contains)
    root.append(doc)
    doc.append(_meta(meta, kind))
    if snapshot.get("amendment"):  # an amending regulation: its modifications of the base
        from .akn_amendment import add_active_modifications

        add_active_modifications(doc[-1], snapshot)

    nomor = f"Nomor {number if number is not None else '…'} Tahun {year if year is not None else '…'}"
    long_title = E("p")
    if uris.doc_type == "bill":
        long_title.append(E("docStage", "Rancangan"))
        long_title[-1].tail = " "
    long_title.append(E("docType", w["jenis_kota"].title()))
    long_title[-1].tail = " "
    long_title.append(E("docNumber", nomor))
    long_title[-1].tail = " tentang "
    long_title.append(E("docTitle", title))
    doc.append(E("preface", E("longTitle", long_title)))

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
                          _p(konsiderans_closing(len(kons), kind, title, head=region_names(meta)["head"])),
                          eId=f"recs__rec_{len(kons) + 1}"))
    if len(recitals) > 1:  # an imported text without konsiderans has none to show
        preamble.append(recitals)
    citations = E("citations", E("intro", _p("Mengingat:")), eId="cits")
    for i, d in enumerate(snapshot.get("dasar_hukum", [])):
        citations.append(E("citation", E("num", f"{i + 1}."), _p(d["text"]), eId=f"cits__cit_{i + 1}", GUID=d["uid"]))
    if len(citations) > 1:
        preamble.append(citations)
    if kind == "perda":
        preamble.append(E("container", _p("Dengan Persetujuan Bersama"),
                          E("p", E("organization", w["dprd"], refersTo="#dprd")), _p("dan"),
                          E("p", E("role", w["walikota"], refersTo="#walikota")), name="persetujuanBersama"))
    preamble.append(E("formula", _p("MEMUTUSKAN:"), _p(f"Menetapkan: {w['menetapkan']}"),
                      name="enactingFormula"))
    doc.append(preamble)

    body = E("body")
    _body_writer(snapshot)(body, snapshot, labels, ids)
    if not len(body):
        body.append(E("article", E("num", "Pasal 1"), E("content", E("p")), eId="art_1"))
    doc.append(body)

    doc.append(_conclusions(meta, w))
    attachments = E("attachments")
    if has_penjelasan(snapshot):
        attachments.append(E("attachment", _penjelasan_doc(snapshot, meta, w, labels, ids), eId="att_1"))
    if (snapshot.get("amendment") or {}).get("lampiran"):  # the amending regulation's own Lampiran
        from .akn_amendment import own_lampiran_attachments

        attachments.extend(own_lampiran_attachments(snapshot, meta))
    if len(attachments):
        doc.append(attachments)
    return root


def _conclusions(meta: dict[str, Any], w: dict[str, str]) -> etree._Element:
    """Penutup: the order to promulgate, the penetapan and pengundangan blocks with their dates and signers
    (``TLCPerson`` in the role of a ``TLCRole``), the gazette line and, for a Perda, the NOREG line."""
    kind = meta.get("kind", "perda")
    imported = bool(meta.get("imported_from_text"))
    concl = E("conclusions")
    concl.append(_p(w["pengundangan"]))

    def when(which: str) -> etree._Element:
        value = _event_date(meta, which)
        printed = "" if meta.get(f"{which}_on") else (meta.get(f"{which}_date_text") or "").strip()
        if printed:  # an imported text: the date's words as printed, its value normalised when it reads
            return E("p", "pada tanggal ", E("date", printed, date=value.isoformat()) if value else printed)
        return E("p", "pada tanggal ", _date_el(value))

    signer_title = (meta.get("signer_title") or w["walikota"]).rstrip(",")
    signer = meta.get("signer_name") or ""
    signer_shown = signer if imported else signer.upper()
    penetapan = E("container", _p(f"Ditetapkan di {w['enacted_place']}"), when("enacted"), name="penetapan")
    if meta.get("dinyatakan_sah"):
        penetapan.append(_p(f"{w['jenis_kalimat']} ini dinyatakan sah."))
    else:
        penetapan.append(E("p", _signature(signer_title if imported else signer_title.upper(), "walikota",
                                           signer_shown or "…………………",
                                           _person_id(signer, "penandatangan") if signer else None)))
    concl.append(penetapan)
    sekda = meta.get("sekda_name") or ""
    concl.append(E("container", _p(f"Diundangkan di {w['promulgated_place']}"), when("promulgated"),
                   E("p", _signature(w["sekda"], "sekda", (sekda if imported else sekda.upper()) or "…………………",
                                     _person_id(sekda, "pengundang") if sekda else None)),
                   name="pengundangan"))
    gazette = meta.get("gazette_number")
    year = meta.get("year")
    concl.append(_p(meta.get("gazette_label") or f"{w['lembaran']} TAHUN {year if year is not None else '…'} NOMOR "
                                                 f"{gazette if gazette is not None else '…'}"))
    if meta.get("noreg_label"):
        concl.append(_p(meta["noreg_label"]))
    elif kind == "perda" and not imported:
        concl.append(_p(f"NOREG {w['jenis_kota']}, {w['provinsi']}: ({meta.get('noreg') or '…/…'})"))
    return concl


def _penjelasan_doc(snapshot, meta, w, labels, ids) -> etree._Element:
    """The penjelasan as the attachment ``doc name="penjelasan"`` (eIds ``att_1__…``)."""
    kind = meta.get("kind", "perda")
    pasals = [n for n in _iter(snapshot.get("body", [])) if n["kind"] == "pasal"]
    doc = E("doc", name="penjelasan")
    doc.append(_meta(meta, kind, part="penjelasan"))
    main = E("mainBody")
    umum = E("hcontainer", E("num", "I."), E("heading", "UMUM"), name="umum", eId="att_1__hcontainer_1")
    umum_content = E("content")
    for para in [p for p in (snapshot.get("penjelasan_umum") or "").split("\n") if p.strip()] or ["Cukup jelas."]:
        umum_content.append(_p(para))
    umum.append(umum_content)
    main.append(umum)
    pdp = E("hcontainer", E("num", "II."), E("heading", "PASAL DEMI PASAL"), name="pasalDemiPasal",
            eId="att_1__hcontainer_2")
    for i, p in enumerate(pasals, start=1):
        # The entry points at its Pasal in the body (the GUID stays unique to the article itself).
        item = E("hcontainer", E("num", E("ref", labels[p["uid"]].label, href=f"#{ids[p['uid']]}")),
                 name="penjelasanPasal", eId=f"att_1__hcontainer_2__hcontainer_{i}")
        content = E("content")
        ayat = [c for c in p.get("children") or [] if c["kind"] == "ayat"]
        if not (p.get("penjelasan") or "").strip() and any((a.get("penjelasan") or "").strip() for a in ayat):
            for a in ayat:
                content.append(_p(f"Ayat {labels[a['uid']].label}"))
                content.append(_p(a.get("penjelasan") or "Cukup jelas.", labels, ids, a["uid"]))
        else:
            content.append(_p(p.get("penjelasan") or "Cukup jelas.", labels, ids, p["uid"]))
        item.append(content)
        pdp.append(item)
    if not pasals:
        pdp.append(E("content", _p("Cukup jelas.")))
    main.append(pdp)
    if meta.get("tambahan_label"):
        main.append(_p(meta["tambahan_label"]))
    else:
        tambahan = meta.get("tambahan_number")
        main.append(_p(f"TAMBAHAN {w['lembaran']} NOMOR {tambahan if tambahan is not None else '…'}"))
    doc.append(main)
    return doc


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
