import copy

import pytest

from perda.checks import run_checks
from perda.numbering import cite_letters, konsiderans_closing, number_tree, ordinal_word, roman


def test_roman_and_ordinals():
    assert [roman(n) for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV", "XL"]
    assert [ordinal_word(n) for n in (1, 2, 3, 10, 11, 12, 21)] == [
        "Kesatu", "Kedua", "Ketiga", "Kesepuluh", "Kesebelas", "Kedua Belas", "Kedua Puluh Satu"]


def test_konsiderans_closing_cites_the_earlier_points_from_the_count():
    assert cite_letters(2) == "huruf a dan huruf b"
    assert cite_letters(3) == "huruf a, huruf b, dan huruf c"
    assert konsiderans_closing(2, "perda", "Penyelenggaraan Kota Cerdas") == (
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu membentuk "
        "Peraturan Daerah tentang Penyelenggaraan Kota Cerdas;")
    assert konsiderans_closing(3, "perwali", "Tarif Layanan") == (
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, huruf b, dan huruf c, perlu "
        "menetapkan Peraturan Wali Kota tentang Tarif Layanan;")
    assert "dalam huruf a, perlu" in konsiderans_closing(1, "perda", "X")


def node(kind, uid, children=(), **kw):
    return {"uid": uid, "kind": kind, "heading": kw.get("heading", "JUDUL" if kind in ("bab", "bagian", "paragraf") else ""),
            "text": kw.get("text", "" if kind in ("bab", "bagian", "paragraf") else "Isi."), "penjelasan": "",
            "role": kw.get("role", ""), "children": list(children)}


def good_snapshot():
    return {
        "format": 1,
        "regulation": {"kind": "perda", "title": "Kota Cerdas"},
        "konsiderans": [{"uid": "k1", "text": "bahwa satu;"}, {"uid": "k2", "text": "bahwa dua;"}],
        "dasar_hukum": [{"uid": "d1", "text": "UUD 1945;", "rank": 1, "enacted_on": None}],
        "penjelasan_umum": "",
        "body": [
            node("bab", "b1", [node("pasal", "p1")], role="ketentuan_umum"),
            node("bab", "b2", [node("bagian", "g1", [node("pasal", "p2")]), node("bagian", "g2", [node("pasal", "p3")])]),
            node("bab", "b3", [node("pasal", "p4")], role="ketentuan_pidana"),
            node("bab", "b4", [node("pasal", "p5")], role="ketentuan_peralihan"),
            node("bab", "b5", [node("pasal", "p6", text="Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.")],
                 role="ketentuan_penutup"),
        ],
    }


def codes(snapshot):
    return {(p.code, p.uid) for p in run_checks(snapshot) if p.level == "error"}


def test_a_good_snapshot_passes():
    assert codes(good_snapshot()) == set()
    labels = number_tree(good_snapshot())
    assert labels["b5"].label == "BAB V" and labels["g2"].label == "Bagian Kedua" and labels["p6"].label == "Pasal 6"


def test_konsiderans_bahwa_and_semicolon():
    s = good_snapshot()
    s["konsiderans"][1]["text"] = "untuk itu perlu diatur."
    problems = [p for p in run_checks(s) if p.uid == "k2"]
    assert {p.code for p in problems} == {"konsiderans_bahwa", "konsiderans_semicolon"}
    assert any("bahwa" in p.message for p in problems)
    assert problems[0].where == "Konsiderans huruf b"


def test_ketentuan_umum_must_be_first_and_penutup_last():
    s = good_snapshot()
    s["body"][0], s["body"][1] = s["body"][1], s["body"][0]
    assert ("umum_not_first", "b1") in codes(s)
    s = good_snapshot()
    s["body"].append(node("bab", "b6", [node("pasal", "p7")]))
    assert ("penutup_not_last", "b5") in codes(s)


def test_pidana_before_peralihan_before_penutup():
    s = good_snapshot()
    s["body"][2], s["body"][3] = s["body"][3], s["body"][2]
    assert any(c == "chapter_order" for c, _u in codes(s))


def test_missing_penutup():
    s = good_snapshot()
    s["body"][4]["role"] = ""
    assert ("penutup_missing", None) in codes(s)


def test_empty_pasal_and_reference_to_deleted_provision():
    s = good_snapshot()
    s["body"][1]["children"][0]["children"][0]["text"] = ""
    s["body"][2]["children"][0]["text"] = "Sebagaimana dimaksud dalam [[ref:0b7e4f9a-1111-4222-8333-944445555666]]."
    found = codes(s)
    assert ("pasal_empty", "p2") in found
    assert ("ref_missing", "p4") in found


def test_reference_to_live_provision_is_fine():
    s = copy.deepcopy(good_snapshot())
    s["body"][0]["children"][0]["uid"] = "0b7e4f9a-1111-4222-8333-944445555666"
    s["body"][2]["children"][0]["text"] = "Sebagaimana dimaksud dalam [[ref:0b7e4f9a-1111-4222-8333-944445555666]]."
    assert not any(c == "ref_missing" for c, _u in codes(s))


def test_role_is_read_from_the_heading_when_left_blank():
    s = good_snapshot()
    s["body"][4]["role"] = ""
    s["body"][4]["heading"] = "KETENTUAN PENUTUP"
    assert codes(s) == set()
    s["body"][0], s["body"][4] = s["body"][4], s["body"][0]
    assert any(c == "penutup_not_last" for c, _u in codes(s))


def test_a_hand_written_closing_konsiderans_is_flagged():
    s = good_snapshot()
    s["konsiderans"].append({"uid": "k3", "text": "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a "
                                                  "dan huruf b, perlu membentuk Peraturan Daerah tentang Kota Cerdas;"})
    assert ("konsiderans_closing_manual", "k3") in codes(s)


def test_pasal_with_ayat_and_its_own_text_is_reported():
    """Ayat added to a Pasal that already had text: the orphan text is named by the check."""
    s = good_snapshot()
    assert not [p for p in run_checks(s) if p.code == "pasal_text_with_ayat"]
    pasal = s["body"][1]["children"][0]["children"][0]
    pasal["children"] = [node("ayat", "a1"), node("ayat", "a2")]
    found = [p for p in run_checks(s) if p.code == "pasal_text_with_ayat"]
    assert [(p.uid, p.where) for p in found] == [("p2", "Pasal 2")]
    assert "ayat (1)" in found[0].message
    pasal["text"] = ""
    assert not [p for p in run_checks(s) if p.code == "pasal_text_with_ayat"]
