"""Akoma Ntoso that means what it says: a draft is a <bill>, an enacted regulation an <act> with its
<publication>; FRBR URIs agree with the document type; dates are <date> elements in Indonesian long form;
signers are TLCPersons in TLCRoles; eIds follow the naming convention; every kind validates."""
from __future__ import annotations

import copy
import datetime as dt
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
    assert parse_tanggal("6 November 2026") == dt.date(2026, 11, 6)
    assert parse_tanggal("2026-11-06") == dt.date(2026, 11, 6)
    assert parse_tanggal("30-12-2025") == dt.date(2025, 12, 30) and parse_tanggal("6 Nopember 2003") == dt.date(2003, 11, 6)
    assert parse_tanggal("31 Februari 2026") is None and parse_tanggal("…") is None and parse_tanggal("") is None


def test_frbr_needs_a_promulgation_date_to_be_an_act():
    snap = copy.deepcopy(sample_snapshot(2, enacted=True))
    snap["regulation"]["promulgated_on"] = None
    assert frbr(snap["regulation"]).doc_type == "bill"


# Published regulations of other regions, imported from their text (tests/perda/corpus/README.md; read through tests.perda.corpus, skipped when absent):
# (FRBR work URI, publication date, signing person's eId).
CORPUS = {
    "surabaya_perda_3_2018_parkir.txt": ("/akn/id/act/perda/kota-surabaya/2018-06-21/3", "2018-06-21",
                                         "tri-rismaharini"),
    "surabaya_perda_4_2025_pemakaman.txt": ("/akn/id/act/perda/kota-surabaya/2025-05-20/4", "2025-05-20",
                                            "eri-cahyadi"),
    "surabaya_perda_13_2003_pemakaman.txt": ("/akn/id/act/perda/kota-surabaya/2003-07-10/13", "2003-07-10",
                                             "bambang-dwi-hartono"),
    "banjarnegara_perda_8_2025_perubahan_pdrd.txt": (
        "/akn/id/act/perda/kabupaten-banjarnegara/2025-12-30/8", "2025-12-30", "amalia-desiana"),
    "bali_pergub_1_2021_perubahan_kelas_jabatan.txt": ("/akn/id/act/pergub/provinsi-bali/2021-01-04/1",
                                                       "2021-01-04", "wayan-koster"),
    "donggala_perbup_24_2025_perubahan_add.txt": ("/akn/id/act/perbup/kabupaten-donggala/2025-11-07/24",
                                                  "2025-11-07", "vera-elena-laruni"),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_imported_published_regulation_is_an_act_with_its_publication_and_signers(name, monkeypatch):
    from perda.importer import _published_closing_set
    from perda.models import Regulation
    from perda.snapshot import regulation_meta
    from tests.perda.test_importer_corpus import parsed

    # The regulation row as the importer fills it (without the database: the body is not needed here;
    # tests/perda/test_importer_corpus.py saves and validates every corpus text through the services).
    p = parsed(name)
    reg = Regulation(kind=p.get("kind") or "perda", title=p.get("title") or "")
    monkeypatch.setattr(reg, "save", lambda *a, **k: None)
    _published_closing_set(reg, p)
    act = _tree({"regulation": regulation_meta(reg), "konsiderans": [], "dasar_hukum": [], "body": []}
                ).find("a:act", NS)
    assert act is not None, "a published regulation is an <act>"
    work, published, signer = CORPUS[name]
    assert act.find("a:meta/a:identification/a:FRBRWork/a:FRBRuri", NS).get("value") == work
    assert act.get("name") == work.split("/")[4]
    assert act.find("a:meta/a:publication", NS).get("date") == published
    signature = act.find("a:conclusions/a:container[@name='penetapan']//a:signature", NS)
    assert signature.find("a:person", NS).get("refersTo") == f"#{signer}"
    assert act.find(f"a:meta/a:references/a:TLCPerson[@eId='{signer}']", NS) is not None
    pengundangan = act.find("a:conclusions/a:container[@name='pengundangan']//a:date", NS)
    assert pengundangan.get("date") == published
    assert pengundangan.text == reg.promulgated_date_text  # the words as printed ("30-12-2025" stays so)


@pytest.mark.django_db
def test_amending_regulation_is_a_bill_then_an_act_with_its_modifications():
    from perda.amendments.services import amendment_start
    from perda.models import Provision
    from perda.numbering import number_tree
    from perda.services import editor as svc
    from perda.snapshot import snapshot_build
    from tests.perda.formation_support import make_people
    from perda.importer import parse_regulation, save_regulation
    from tests.perda.test_amendments import BASE_TEXT, _enact

    people = make_people()
    base = _enact(save_regulation(parse_regulation(BASE_TEXT), actor=people.kabag, pemrakarsa=people.diskominfo,
                                  drafter=people.pemrakarsa),
                  number=7, year=2024, enacted=dt.date(2024, 3, 12), promulgated=dt.date(2024, 3, 14), gazette=7,
                  tambahan=7)
    reg = amendment_start(actor=people.kabag, base=base)
    labels = number_tree(base.enacted_version.snapshot)
    by = {labels[u].citation: Provision.objects.get(regulation=reg, uid=u) for u in labels}
    svc.provision_remove(actor=people.kabag, provision=by["Pasal 3 huruf b"])
    snap = snapshot_build(reg)
    bill = _tree(snap).find("a:bill", NS)
    assert bill is not None and bill.get("contains") == "singleVersion"
    # Enacted: the same amendment is an act, published, still carrying its modification of the base.
    snap["regulation"].update(number=2, year=2026, enacted_on="2026-11-06", promulgated_on="2026-11-09",
                              gazette_number=12, tambahan_number=40, noreg="3-77/2026",
                              signer_name="Benyamin Davnie", sekda_name="Bambang Noertjahjo")
    act = _tree(snap).find("a:act", NS)
    assert act.find("a:meta/a:identification/a:FRBRWork/a:FRBRuri", NS).get("value") == \
        "/akn/id/act/perda/kota-tangerang-selatan/2026-11-06/2"
    assert act.find("a:meta/a:publication", NS).get("date") == "2026-11-09"
    mod = act.find("a:meta/a:analysis/a:activeModifications/a:textualMod", NS)
    assert (mod.get("type"), mod.find("a:destination", NS).get("href")) == (
        "repeal", "/akn/id/act/perda/kota-tangerang-selatan/2024-03-12/7/!main#art_3__point_b")
    assert [d.text for d in act.iterfind("a:conclusions//a:date", NS)] == ["6 November 2026", "9 November 2026"]
