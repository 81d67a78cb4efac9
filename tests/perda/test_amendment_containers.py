"""Pasal I of an amendment draft that touches Bagian and Paragraf where their number alone does not say where
they are: a new one before every Pasal of its BAB or Bagian, a changed heading, and existing Pasal moved into new
Bagian. Each drafted Pasal I is read back by the importer and both consolidate to the same, hand-checked body."""
import copy

import pytest

from perda.amendments.consolidate import body_text, consolidate
from perda.amendments.draft import pasal_i
from perda.amendments.parse import parse_instructions
from perda.importer import parse_regulation
from perda.numbering import iter_nodes, number_tree
from tests.perda.test_amendment_structure import instructions_text, node
from tests.perda.test_amendments import (  # noqa: F401 (jdih_base and people are fixtures)
    BASE_TEXT, _base_snapshot, jdih_base, people)


@pytest.fixture(scope="module")
def base():
    return parse_regulation(BASE_TEXT)


@pytest.fixture
def snap(base):
    return _base_snapshot(base)


def cited(draft: dict) -> dict[str, dict]:
    labels = number_tree(draft)
    return {labels[n["uid"]].citation: n for n, _p in iter_nodes(draft["body"])}


def bab(body: list[dict], num: str) -> dict:
    return next(b for b in body if b["type"] == "bab" and b["num"] == num)


def consolidated_both_ways(base, drafted) -> list[dict]:
    """The body consolidated from the drafted instructions, checked equal to the one from the same Pasal I
    read back from its text."""
    written = consolidate(base["body"], [{"label": "L", "date": "2027-01-01", "instructions": drafted}])
    read = parse_instructions(("Beberapa ketentuan … diubah sebagai berikut:\n" + instructions_text(drafted)).splitlines())
    assert [(i["op"], i["target"], i.get("after")) for i in read] == [
        (i["op"], i["target"], i.get("after")) for i in drafted]
    reread = consolidate(base["body"], [{"label": "L", "date": "2027-01-01", "instructions": read}])
    assert body_text(reread["body"]) == body_text(written["body"])
    return written["body"]


# --- a new Bagian or Paragraf before every Pasal of its BAB or Bagian -----------------------------------------

FIRST_BAGIAN = """\
1. Di antara judul BAB IV dan Pasal 9 disisipkan 1 (satu) bagian, yakni Bagian Kesatu sehingga berbunyi sebagai berikut:
Bagian Kesatu
Ketentuan Umum Pemanfaatan
Pasal 8A
Pemanfaatan RTH publik mengutamakan fungsi ekologis.
"""


def test_new_bagian_first_in_its_bab_names_the_bab_and_lands_in_it(base, snap):
    draft = copy.deepcopy(snap)
    by = cited(draft)
    by["BAB IV"]["children"].insert(0, node(
        "bagian", "00000000-0000-0000-0000-0000000b04a0", heading="Ketentuan Umum Pemanfaatan", children=[node(
            "pasal", "00000000-0000-0000-0000-0000000008a0", "Pemanfaatan RTH publik mengutamakan fungsi ekologis.")]))
    drafted = pasal_i(snap, draft)
    assert instructions_text(drafted) == FIRST_BAGIAN
    assert (drafted[0]["op"], drafted[0]["after"]) == ("sisip", "BAB IV")
    assert "Lampiran II" in drafted[0]["warning"]  # no standard form: the drafter is told to check it

    body = consolidated_both_ways(base, drafted)
    bab4 = bab(body, "IV")
    assert [(c["type"], c["num"]) for c in bab4["children"]][:2] == [("bagian", "Kesatu"), ("pasal", "9")]
    assert [c["num"] for c in bab4["children"][0]["children"]] == ["8A"]
    bab3 = bab(body, "III")
    assert [(c["type"], c["num"]) for c in bab3["children"]] == [("bagian", "Kesatu"), ("bagian", "Kedua")]
    assert body_text(body).count("Pasal 8A\n") == 1


FIRST_PARAGRAF = """\
1. Di antara judul Bagian Kesatu BAB III dan Pasal 4 disisipkan 1 (satu) paragraf, yakni Paragraf 1 sehingga berbunyi sebagai berikut:
Paragraf 1
Asas Penyediaan
Pasal 3A
Penyediaan RTH publik memperhatikan sebaran penduduk.
"""


def test_new_paragraf_first_in_its_bagian_names_the_bagian_and_its_bab(base, snap):
    draft = copy.deepcopy(snap)
    by = cited(draft)
    by["Bagian Kesatu"]["children"].insert(0, node(
        "paragraf", "00000000-0000-0000-0000-0000000f01a0", heading="Asas Penyediaan", children=[node(
            "pasal", "00000000-0000-0000-0000-0000000003a0", "Penyediaan RTH publik memperhatikan sebaran penduduk.")]))
    drafted = pasal_i(snap, draft)
    assert instructions_text(drafted) == FIRST_PARAGRAF
    assert drafted[0]["after"] == "BAB III Bagian Kesatu"

    body = consolidated_both_ways(base, drafted)
    bagian1 = bab(body, "III")["children"][0]
    assert [(c["type"], c["num"]) for c in bagian1["children"]] == [("paragraf", "1"), ("pasal", "4"), ("pasal", "5")]
    assert [c["num"] for c in bab(body, "II")["children"]] == ["2", "3"]


def test_new_bagian_before_the_first_bagian_warns_that_its_number_repeats(snap):
    draft = copy.deepcopy(snap)
    by = cited(draft)
    by["BAB III"]["children"].insert(0, node(
        "bagian", "00000000-0000-0000-0000-0000000b03a0", heading="Asas", children=[node(
            "pasal", "00000000-0000-0000-0000-0000000003b0", "Penyediaan RTH publik berasaskan keadilan.")]))
    drafted = pasal_i(snap, draft)
    assert drafted[0]["instruction"].startswith("Di antara judul BAB III dan Pasal 4 disisipkan 1 (satu) bagian")
    assert "sama dengan bagian yang sudah ada dalam BAB III" in drafted[0]["warning"]


# --- a changed Bagian heading --------------------------------------------------------------------------------

def test_bagian_heading_change_names_its_bab_and_consolidates(base, snap):
    draft = copy.deepcopy(snap)
    cited(draft)["Bagian Kedua"]["heading"] = "Jenis dan Fungsi Ruang Terbuka Hijau"
    drafted = pasal_i(snap, draft)
    assert instructions_text(drafted) == (
        "1. Ketentuan judul Bagian Kedua BAB III diubah sehingga berbunyi sebagai berikut:\n"
        "Bagian Kedua\nJenis dan Fungsi Ruang Terbuka Hijau\n")
    assert drafted[0]["target"] == "BAB III Bagian Kedua"

    body = consolidated_both_ways(base, drafted)
    bagian2 = bab(body, "III")["children"][1]
    assert (bagian2["num"], bagian2["heading"]) == ("Kedua", "Jenis dan Fungsi Ruang Terbuka Hijau")
    assert [c["num"] for c in bagian2["children"]] == ["1", "2"]  # its Paragraf stay
    assert [h["note"] for h in bagian2["history"]] == ["diubah dengan L"]


# --- existing Pasal moved into new Bagian --------------------------------------------------------------------

def test_pasal_moved_into_new_bagian_rewrite_the_bab_without_duplicates(base, snap):
    draft = copy.deepcopy(snap)
    by = cited(draft)
    bab4 = by["BAB IV"]
    p9, p10, p11, p12 = (by[f"Pasal {n}"] for n in (9, 10, 11, 12))
    bab4["children"] = [
        node("bagian", "00000000-0000-0000-0000-0000000b04b1", heading="Pemanfaatan", children=[p9, p10]),
        node("bagian", "00000000-0000-0000-0000-0000000b04b2", heading="Pemeliharaan", children=[p11, p12]),
    ]
    drafted = pasal_i(snap, draft)
    assert [i["instruction"] for i in drafted] == ["Ketentuan BAB IV diubah sehingga berbunyi sebagai berikut:"]
    assert drafted[0]["text"].split("\n")[:5] == [
        "BAB IV", "PEMANFAATAN DAN PEMELIHARAAN", "Bagian Kesatu", "Pemanfaatan", "Pasal 9"]

    body = consolidated_both_ways(base, drafted)
    text = body_text(body)
    for n in (9, 10, 11, 12):
        assert text.count(f"Pasal {n}\n") == 1
    got = bab(body, "IV")
    assert [(c["type"], c["num"], [p["num"] for p in c["children"]]) for c in got["children"]] == [
        ("bagian", "Kesatu", ["9", "10"]), ("bagian", "Kedua", ["11", "12"])]
    assert p10["text"] in text


def test_pasal_moved_to_another_bab_rewrites_both(base, snap):
    draft = copy.deepcopy(snap)
    by = cited(draft)
    p12 = by["Pasal 12"]
    by["BAB IV"]["children"].remove(p12)
    by["BAB V"]["children"].insert(0, p12)
    drafted = pasal_i(snap, draft)
    assert [i["instruction"] for i in drafted] == ["Ketentuan BAB IV diubah sehingga berbunyi sebagai berikut:",
                                                  "Ketentuan BAB V diubah sehingga berbunyi sebagai berikut:"]

    body = consolidated_both_ways(base, drafted)
    assert body_text(body).count("Pasal 12\n") == 1
    assert [c["num"] for c in bab(body, "IV")["children"]] == ["9", "10", "11"]
    assert [c["num"] for c in bab(body, "V")["children"]] == ["12", "13", "14", "15", "16"]


def test_editor_shows_the_warning_under_its_instruction(client, people, jdih_base):
    from django.urls import reverse

    from perda.amendments.services import amendment_start
    from perda.models import Provision
    from perda.services import editor as svc

    reg = amendment_start(actor=people.kabag, base=jdih_base)
    bab4 = next(p for p in Provision.objects.filter(regulation=reg, kind="bab", removed_at__isnull=True)
                if p.heading == "PEMANFAATAN DAN PEMELIHARAAN")
    bagian = svc.provision_add(actor=people.kabag, regulation=reg, kind="bagian", parent=bab4, position=0,
                               heading="Ketentuan Umum Pemanfaatan")
    svc.provision_add(actor=people.kabag, regulation=reg, kind="pasal", parent=bagian,
                      text="Pemanfaatan RTH publik mengutamakan fungsi ekologis.")
    client.force_login(people.kabag)
    page = client.get(reverse("perda:editor", args=[reg.pk])).content.decode()
    assert "1.</span> Di antara judul BAB IV dan Pasal 9 disisipkan 1 (satu) bagian, yakni Bagian Kesatu" in page
    assert "data-pasal-i-warning>Lampiran II UU 12/2011 tidak memuat rumusan" in page


def test_akn_destination_of_a_bagian_is_its_place_in_its_bab():
    from perda.render.akn_amendment import target_eid

    # The base's own export numbers Bagian by place (chp_iii__sec_2), as perda/README.md documents.
    assert target_eid("BAB III Bagian Kedua") == "chp_iii__sec_2"
    assert target_eid("BAB III Bagian Kesatu Paragraf 1") == "chp_iii__sec_1__subsec_1"
    assert target_eid("Pasal 7 ayat (2)") == "art_7__para_2"
