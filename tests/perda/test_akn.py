"""Akoma Ntoso that means what it says: a draft is a <bill>, an enacted regulation an <act> with its
<publication>; FRBR URIs agree with the document type; dates are <date> elements in Indonesian long form;
signers are TLCPersons in TLCRoles; eIds follow the naming convention; every kind validates."""
from __future__ import annotations

import copy
import re

import pytest
from lxml import etree

from perda.render.akn import AKN_NS, akn_errors, frbr, has_penjelasan, parse_tanggal, render_akn
from perda.samples import sample_snapshot

NS = {"a": AKN_NS}


def _tree(snap):
    xml = render_akn(snap)
    assert akn_errors(xml) == []
    return etree.fromstring(xml)


def _perwali(*, enacted=False, penjelasan_umum="", pasal_penjelasan=False, ayat_penjelasan=False):
    snap = sample_snapshot(3, kind="perwali", title="Tarif Layanan Wi-Fi Publik", enacted=enacted)
    snap["penjelasan_umum"] = penjelasan_umum
    for node in _walk(snap["body"]):
        node["penjelasan"] = ""
    pasals = [n for n in _walk(snap["body"]) if n["kind"] == "pasal"]
    if pasal_penjelasan:
        pasals[0]["penjelasan"] = "Yang dimaksud dengan \"titik akses\" adalah perangkat Wi-Fi publik."
    if ayat_penjelasan:
        ayat = next(n for n in _walk(snap["body"]) if n["kind"] == "ayat")
        ayat["penjelasan"] = "Cukup jelas menurut ayat ini."
    return snap


def _walk(nodes):
    for n in nodes:
        yield n
        yield from _walk(n.get("children") or [])


def _imported():
    """An enacted Perda of another region as imported from its published text (closing block as printed)."""
    snap = sample_snapshot(3, title="Penyelenggaraan Parkir", enacted=True)
    snap["regulation"].update(
        imported_from_text=True, region_name="Kota Surabaya", province_name="Jawa Timur",
        head_title="WALI KOTA SURABAYA", kind_heading="PERATURAN DAERAH KOTA SURABAYA", number=3, year=2018,
        enacted_on=None, promulgated_on=None, enacted_place="Surabaya", enacted_date_text="6 November 2018",
        promulgated_place="Surabaya", promulgated_date_text="7 November 2018", signer_name="Dr. (H.C.) Ir. TRI RISMAHARINI, M.T.",
        signer_title="WALI KOTA SURABAYA", sekda_name="HENDRO GUNAWAN", sekda_title="SEKRETARIS DAERAH KOTA SURABAYA",
        gazette_label="LEMBARAN DAERAH KOTA SURABAYA TAHUN 2018 NOMOR 3", gazette_number=3,
        noreg_label="NOREG PERATURAN DAERAH KOTA SURABAYA, PROVINSI JAWA TIMUR: (3-304/2018)",
    )
    return snap


KINDS = {
    "perda-draft": lambda: sample_snapshot(4),
    "perda-enacted": lambda: sample_snapshot(4, enacted=True),
    "perda-dinyatakan-sah": lambda: _sah(),
    "perda-imported": _imported,
    "perwali-draft": lambda: _perwali(),
    "perwali-enacted": lambda: _perwali(enacted=True),
    "perwali-with-penjelasan": lambda: _perwali(enacted=True, pasal_penjelasan=True),
}


def _sah():
    snap = sample_snapshot(3, enacted=True)
    snap["regulation"]["dinyatakan_sah"] = True
    return snap


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_validates_and_its_frbr_uris_match_the_document_type(kind):
    snap = KINDS[kind]()
    root = _tree(snap)
    doc = root[0]
    doc_type = etree.QName(doc).localname
    assert doc_type == ("bill" if kind.endswith("draft") else "act")
    assert doc.get("name") == snap["regulation"]["kind"]
    work = doc.find("a:meta/a:identification/a:FRBRWork", NS)
    expr = doc.find("a:meta/a:identification/a:FRBRExpression", NS)
    manif = doc.find("a:meta/a:identification/a:FRBRManifestation", NS)
    work_uri = work.find("a:FRBRuri", NS).get("value")
    assert work_uri.startswith(f"/akn/id/{doc_type}/{snap['regulation']['kind']}/")
    assert work.find("a:FRBRthis", NS).get("value") == f"{work_uri}/!main"
    expr_uri = expr.find("a:FRBRuri", NS).get("value")
    assert expr_uri.startswith(f"{work_uri}/ind@") and expr.find("a:FRBRthis", NS).get("value") == f"{expr_uri}/!main"
    assert manif.find("a:FRBRthis", NS).get("value") == f"{expr_uri}/!main.xml"
    assert work.find("a:FRBRprescriptive", NS).get("value") == ("true" if doc_type == "act" else "false")
    # the penjelasan attachment carries the same work and expression, as its own component
    for att in doc.iterfind("a:attachments/a:attachment/a:doc", NS):
        assert att.find("a:meta/a:identification/a:FRBRWork/a:FRBRuri", NS).get("value") == work_uri
        assert att.find("a:meta/a:identification/a:FRBRWork/a:FRBRthis", NS).get("value") == f"{work_uri}/!penjelasan"
    # the publication exists exactly for an act
    assert (doc.find("a:meta/a:publication", NS) is not None) == (doc_type == "act")


def test_enacted_perda_act_uri_publication_dates_and_signers():
    snap = sample_snapshot(4, enacted=True)  # No. 4/2026, ditetapkan 10 Maret, diundangkan 12 Maret 2026
    root = _tree(snap)
    act = root.find("a:act", NS)
    assert act.find("a:meta/a:identification/a:FRBRWork/a:FRBRuri", NS).get("value") == \
        "/akn/id/act/perda/kota-tangerang-selatan/2026-03-10/4"
    pub = act.find("a:meta/a:publication", NS)
    assert (pub.get("date"), pub.get("name"), pub.get("number")) == ("2026-03-12", "lembaranDaerah", "4")
    assert pub.get("showAs") == "Lembaran Daerah Kota Tangerang Selatan Tahun 2026 Nomor 4"
    dates = {d.get("date"): d.text for d in act.iterfind("a:conclusions//a:date", NS)}
    assert dates == {"2026-03-10": "10 Maret 2026", "2026-03-12": "12 Maret 2026"}
    refs = act.find("a:meta/a:references", NS)
    persons = {p.get("eId"): p.get("showAs") for p in refs.iterfind("a:TLCPerson", NS)}
    roles = {r.get("eId"): r.get("showAs") for r in refs.iterfind("a:TLCRole", NS)}
    assert persons == {"benyamin-davnie": "Benyamin Davnie", "bambang-noertjahjo": "Bambang Noertjahjo"}
    assert roles == {"walikota": "Wali Kota Tangerang Selatan", "sekda": "Sekretaris Daerah Kota Tangerang Selatan"}
    signatures = act.findall("a:conclusions//a:signature", NS)
    signed = [(s.find("a:role", NS).get("refersTo"), s.find("a:person", NS).get("refersTo"),
               s.find("a:person", NS).get("as"), s.find("a:person", NS).text) for s in signatures]
    assert signed == [("#walikota", "#benyamin-davnie", "#walikota", "BENYAMIN DAVNIE"),
                      ("#sekda", "#bambang-noertjahjo", "#sekda", "BAMBANG NOERTJAHJO")]
    text = etree.tostring(act, encoding="unicode")
    assert "NOREG PERATURAN DAERAH KOTA TANGERANG SELATAN, PROVINSI BANTEN: (4-31/2026)" in text
    assert "TAMBAHAN LEMBARAN DAERAH KOTA TANGERANG SELATAN NOMOR 112" in text


def test_draft_is_a_bill_without_publication_or_persons():
    snap = sample_snapshot(4)
    snap["regulation"].update(id=12, version_date="2026-11-06")
    bill = _tree(snap).find("a:bill", NS)
    assert bill.find("a:meta/a:identification/a:FRBRWork/a:FRBRuri", NS).get("value") == \
        "/akn/id/bill/perda/kota-tangerang-selatan/2026-11-06/rancangan-12"
    assert bill.find("a:meta/a:publication", NS) is None
    assert bill.find("a:meta/a:references/a:TLCPerson", NS) is None
    assert bill.find("a:preface/a:longTitle/a:p/a:docStage", NS).text == "Rancangan"
    assert bill.find("a:conclusions//a:date", NS) is None  # no date yet: the dotted placeholder


def test_dinyatakan_sah_has_no_signing_person():
    act = _tree(_sah()).find("a:act", NS)
    persons = [p.get("eId") for p in act.iterfind("a:meta/a:references/a:TLCPerson", NS)]
    assert persons == ["bambang-noertjahjo"]
    assert "Peraturan Daerah ini dinyatakan sah." in etree.tostring(act, encoding="unicode")
    roles = [s.find("a:role", NS).get("refersTo") for s in act.iterfind("a:conclusions//a:signature", NS)]
    assert roles == ["#sekda"]


def test_imported_regulation_keeps_its_region_printed_dates_and_signers():
    act = _tree(_imported()).find("a:act", NS)
    assert act.find("a:meta/a:identification/a:FRBRWork/a:FRBRuri", NS).get("value") == \
        "/akn/id/act/perda/kota-surabaya/2018-11-06/3"
    pub = act.find("a:meta/a:publication", NS)
    assert (pub.get("date"), pub.get("showAs")) == ("2018-11-07", "LEMBARAN DAERAH KOTA SURABAYA TAHUN 2018 NOMOR 3")
    dates = [(d.get("date"), d.text) for d in act.iterfind("a:conclusions//a:date", NS)]
    assert dates == [("2018-11-06", "6 November 2018"), ("2018-11-07", "7 November 2018")]
    person = act.find("a:conclusions//a:signature/a:person", NS)
    assert person.text == "Dr. (H.C.) Ir. TRI RISMAHARINI, M.T." and person.get("as") == "#walikota"
    closing = "".join(etree.tostring(act.find(f"a:{part}", NS), encoding="unicode")
                      for part in ("meta", "preface", "conclusions"))
    assert "Tangerang" not in closing and "(3-304/2018)" in closing and "Jawa Timur" not in closing.split("NOREG")[0]


def test_perwali_has_a_penjelasan_only_when_it_has_one():
    assert not has_penjelasan(_perwali())
    assert _tree(_perwali(enacted=True)).find(".//a:attachments", NS) is None
    for variant in (dict(penjelasan_umum="Peraturan ini mengatur tarif."), dict(pasal_penjelasan=True),
                    dict(ayat_penjelasan=True)):
        snap = _perwali(enacted=True, **variant)
        assert has_penjelasan(snap)
        doc = _tree(snap).find(".//a:attachments/a:attachment/a:doc", NS)
        assert doc.get("name") == "penjelasan"
        assert "TAMBAHAN BERITA DAERAH KOTA TANGERANG SELATAN NOMOR" in etree.tostring(doc, encoding="unicode")
    assert _tree(_perwali(enacted=True)).find("a:act/a:meta/a:publication", NS).get("name") == "beritaDaerah"


EID = re.compile(r"^(recs|cits|att_\d+|[a-z]+_[a-z0-9-]+)(__[a-z]+_[a-z0-9-]+)*$")


def test_eids_follow_the_naming_convention_and_are_unique():
    snap = sample_snapshot(8, enacted=True)
    root = _tree(snap)
    eids = [el.get("eId") for el in root.iter() if el.get("eId")]
    assert len(eids) == len(set(eids))
    # structural eIds (outside the TLC references, which are named after what they denote)
    structural = [el.get("eId") for el in root.iter() if el.get("eId")
                  and etree.QName(el).localname not in ("TLCPerson", "TLCRole", "TLCOrganization")]
    bad = [e for e in structural if not EID.match(e)]
    assert bad == []
    body_ids = {el.get("eId") for el in root.iterfind(".//a:body//*[@eId]", NS)}
    assert {"chp_i", "art_1", "art_2__para_2", "art_2__para_2__point_b"} <= body_ids
    # an in-text reference points at an existing eId
    hrefs = {r.get("href")[1:] for r in root.iterfind(".//a:body//a:ref", NS)}
    assert hrefs and hrefs <= body_ids
    # the penjelasan entry for each Pasal points at its article
    entries = root.findall(".//a:attachment//a:hcontainer[@name='penjelasanPasal']", NS)
    assert [e.find("a:num/a:ref", NS).get("href") for e in entries][:2] == ["#art_1", "#art_2"]


def test_parse_tanggal():
    import datetime as dt

    assert parse_tanggal("6 November 2026") == dt.date(2026, 11, 6)
    assert parse_tanggal("2026-11-06") == dt.date(2026, 11, 6)
    assert parse_tanggal("31 Februari 2026") is None and parse_tanggal("…") is None and parse_tanggal("") is None


def test_frbr_needs_a_promulgation_date_to_be_an_act():
    snap = copy.deepcopy(sample_snapshot(2, enacted=True))
    snap["regulation"]["promulgated_on"] = None
    assert frbr(snap["regulation"]).doc_type == "bill"
