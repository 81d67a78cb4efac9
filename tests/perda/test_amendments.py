"""Amending regulations: Pasal I's instructions read from a text, consolidation (point in time, history),
Pasal I written for an amendment draft, the JDIH links and the Akoma Ntoso of an amendment."""
import copy
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from perda.amendments.consolidate import body_text, consolidate
from perda.amendments.draft import pasal_i, pasal_i_text
from perda.amendments.parse import parse_amends, parse_instructions
from perda.amendments.tree import normalise_target, parse_locator, to_snapshot_body
from perda.importer import parse_regulation
from perda.numbering import iter_nodes, number_tree
from tests.perda.corpus import corpus_text

FIX = Path(__file__).parent / "fixtures"
BASE_TEXT = (FIX / "amendments" / "perda_rth_dasar.txt").read_text(encoding="utf-8")
AMENDING_TEXT = (FIX / "amendments" / "perda_rth_perubahan.txt").read_text(encoding="utf-8")
LABEL = "Peraturan Daerah Kota Tangerang Selatan Nomor 3 Tahun 2026"

# Counted by hand from the amending text: (op, target, after).
EXPECTED_INSTRUCTIONS = [
    ("sisip", "Pasal 1 angka 4a", "Pasal 1 angka 4"),
    ("hapus", "Pasal 3 huruf b", None),
    ("ubah", "Pasal 4 ayat (1)", None),
    ("sisip", "Pasal 7A", "Pasal 7"),
    ("ubah", "Pasal 11", None),
    ("tambah", "Pasal 12 ayat (3)", None),
    ("hapus", "Pasal 14", None),
    ("sisip", "BAB VA", "BAB V"),
]


@pytest.fixture(scope="module")
def base():
    return parse_regulation(BASE_TEXT)


@pytest.fixture(scope="module")
def amending():
    return parse_regulation(AMENDING_TEXT)


def words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


# --- reading an amending regulation ----------------------------------------------------------------------

def test_locators_read_in_both_orders():
    assert normalise_target("huruf b ayat (1) Pasal 3") == "Pasal 3 ayat (1) huruf b"
    assert normalise_target("Pasal 3 ayat (1) huruf b") == "Pasal 3 ayat (1) huruf b"
    assert parse_locator("angka 5 Pasal 1") == [("pasal", "1"), ("angka", "5")]
    assert normalise_target("Lampiran I") == "Lampiran I"


def test_title_names_the_base():
    assert parse_amends("Perubahan Kedua atas Peraturan Daerah Kota Bogor Nomor 7 Tahun 2015 tentang Retribusi") == {
        "kind": "perda", "number": "7", "year": 2015, "title": "Retribusi", "ordinal": "Kedua"}
    assert parse_amends("Penyelenggaraan Ruang Terbuka Hijau") is None


def test_amendment_title_and_citation_follow_the_kind():
    from perda.amendments.render import amendment_title, base_full

    perwali = {"kind": "perwali", "number": 3, "year": 2025, "gazette_number": 3, "title": "Tata Tertib Rapat"}
    assert amendment_title(perwali, "Kedua") == (
        "Perubahan Kedua atas Peraturan Wali Kota Tangerang Selatan Nomor 3 Tahun 2025 tentang Tata Tertib Rapat")
    assert base_full(perwali) == ("Peraturan Wali Kota Tangerang Selatan Nomor 3 Tahun 2025 tentang Tata Tertib "
                                  "Rapat (Berita Daerah Kota Tangerang Selatan Tahun 2025 Nomor 3)")


def test_import_json_has_amends_and_instructions_in_pasal_i_order(amending):
    assert amending["amends"] == {"kind": "perda", "number": "7", "year": 2024,
                                  "title": "Penyelenggaraan Ruang Terbuka Hijau dan Taman Kota", "ordinal": ""}
    got = [(i["op"], i["target"], i.get("after")) for i in amending["instructions"]]
    assert got == EXPECTED_INSTRUCTIONS
    assert [i["num"] for i in amending["instructions"]] == list(range(1, 9))
    assert amending["pasal_ii"] == "Peraturan Daerah ini mulai berlaku pada tanggal diundangkan."
    # The body of an amending regulation is Pasal I (its instructions) and Pasal II, every word kept.
    assert [p["num"] for p in amending["body"]] == ["I", "II"]
    assert len(amending["body"][0]["items"]) == 8
    # The text after an instruction is kept word for word.
    ins5 = amending["instructions"][4]
    assert ins5["text"].split("\n")[0] == "Pasal 11"
    assert words(ins5["text"]) == words("Pasal 11 Pemeliharaan RTH publik meliputi penyiraman, pemangkasan, "
                                        "pemupukan, penggantian tanaman yang mati, dan perbaikan sarana taman.")


def test_single_change_and_other_wordings():
    one = parse_instructions([
        "Ketentuan Pasal 5 dalam Peraturan Daerah Kota Bogor Nomor 7 Tahun 2015 tentang Retribusi (Lembaran",
        "Daerah Kota Bogor Tahun 2015 Nomor 7) diubah sehingga berbunyi sebagai berikut:",
        "Pasal 5", "Tarif retribusi ditetapkan sebesar Rp5.000,00."])
    assert [(i["num"], i["op"], i["target"]) for i in one] == [(1, "ubah", "Pasal 5")]
    many = parse_instructions([
        "Beberapa ketentuan ... diubah sebagai berikut:",
        "1. Ketentuan angka 2, angka 3, dan angka 5 Pasal 1 diubah sehingga Pasal 1 berbunyi sebagai berikut:",
        "Pasal 1", "Dalam Peraturan Daerah ini yang dimaksud dengan:", "1. Daerah adalah Kota Bogor.",
        "2. Ketentuan ayat (2) Pasal 8 diubah, dan ditambah 1 (satu) ayat, yakni ayat (4) sehingga Pasal 8 "
        "berbunyi sebagai berikut:", "Pasal 8", "(1) a.", "(2) b.", "(3) c.", "(4) d.",
        "3. Di antara ayat (1) dan ayat (2) Pasal 18 disisipkan 2 (dua) ayat, yakni ayat (1a) dan ayat (1b) "
        "sehingga Pasal 18 berbunyi sebagai berikut:", "Pasal 18", "(1) x.", "(1a) y.", "(1b) z.", "(2) w.",
        "4. Pasal 18 ayat (2) dihapus sehingga Pasal 18 berbunyi sebagai berikut:", "Pasal 18", "(1) x.",
        "(2) Dihapus.",
        "5. Lampiran I diubah sehingga menjadi sebagaimana tercantum dalam Lampiran yang merupakan bagian tidak "
        "terpisahkan dari Peraturan Daerah ini.",
    ])
    got = [(i["op"], i["target"], i.get("targets"), i.get("after")) for i in many]
    assert got == [
        ("ubah", "Pasal 1 angka 2", ["Pasal 1 angka 2", "Pasal 1 angka 3", "Pasal 1 angka 5"], None),
        ("ubah", "Pasal 8", None, None),
        ("sisip", "Pasal 18 ayat (1a)", ["Pasal 18 ayat (1a)", "Pasal 18 ayat (1b)"], "Pasal 18 ayat (1)"),
        ("hapus", "Pasal 18 ayat (2)", None, None),
        ("ubah", "Lampiran I", None, None),
    ]
    # "1. Daerah adalah …" inside the quoted Pasal 1 is not mistaken for instruction 2.
    assert many[0]["text"].endswith("1. Daerah adalah Kota Bogor.")


# --- consolidation ---------------------------------------------------------------------------------------

def _amendment(amending):
    return {"label": LABEL, "date": "2026-02-10", "instructions": amending["instructions"]}


def test_consolidated_text_equals_the_hand_checked_one(base, amending):
    expected = (FIX / "amendments" / "perda_rth_konsolidasi_2026.txt").read_text(encoding="utf-8")
    assert body_text(consolidate(base["body"], [_amendment(amending)])["body"]) == expected


def test_consolidation_never_changes_a_word(base, amending):
    """Every provision the amendment gives in full reads, in the consolidated text, exactly its words."""
    result = consolidate(base["body"], [_amendment(amending)])["body"]
    text = body_text(result)
    for ins in amending["instructions"]:
        if ins["nodes"] and ins["nodes"][0]["type"] == "pasal":
            quoted = body_text(ins["nodes"])
            assert quoted in text, ins["target"]
    # everything else is the base's words
    untouched = body_text([b for b in base["body"] if b["num"] in ("VI", "VII", "VIII", "IX")])
    assert untouched in text


def test_point_in_time_before_and_after_the_amendment(base, amending):
    before = consolidate(base["body"], [_amendment(amending)], "2026-02-09")
    on_day = consolidate(base["body"], [_amendment(amending)], dt.date(2026, 2, 10))
    assert before["applied"] == [] and before["pending"] == [LABEL]
    assert body_text(before["body"]) == body_text(base["body"])
    assert on_day["applied"] == [LABEL]
    assert "30% (tiga puluh persen)" in body_text(on_day["body"])
    assert "20% (dua puluh persen)" in body_text(before["body"])


def test_each_provision_carries_its_history(base, amending):
    body = consolidate(base["body"], [_amendment(amending)])["body"]
    snap = to_snapshot_body(body)
    labels = number_tree(snap)
    notes = {labels[n["uid"]].citation: [h["note"] for h in n.get("history", [])] for n, _p in iter_nodes(snap)}
    assert notes["Pasal 11"] == [f"diubah dengan {LABEL}"]
    assert notes["Pasal 14"] == [f"dihapus dengan {LABEL}"]
    assert notes["Pasal 7A"] == [f"disisipkan dengan {LABEL}"]
    assert notes["Pasal 1 angka 4a"] == [f"disisipkan dengan {LABEL}"]
    assert notes["Pasal 1"] == [f"diubah dengan {LABEL}"]
    assert notes["Pasal 12 ayat (3)"] == [f"ditambahkan dengan {LABEL}"]
    assert notes["Pasal 3 huruf b"] == [f"dihapus dengan {LABEL}"]
    assert notes["Pasal 2"] == [] and notes["Pasal 1 angka 4"] == []


def test_two_amendments_apply_in_date_order(base, amending):
    second = {"label": "Peraturan Daerah Kota Tangerang Selatan Nomor 9 Tahun 2027", "date": "2027-06-01",
              "instructions": parse_instructions([
                  "Ketentuan Pasal 11 dalam Peraturan Daerah ... diubah sehingga berbunyi sebagai berikut:",
                  "Pasal 11", "Pemeliharaan RTH publik dilaksanakan setiap hari."])}
    both = [second, _amendment(amending)]
    mid = consolidate(base["body"], both, "2026-12-31")
    late = consolidate(base["body"], both, "2027-06-01")
    assert "perbaikan sarana taman" in body_text(mid["body"])
    assert "dilaksanakan setiap hari" in body_text(late["body"])
    pasal11 = next(n for n, _p in iter_nodes(to_snapshot_body(late["body"])) if n.get("num") == "11")
    assert [h["by"] for h in pasal11["history"]] == [LABEL, second["label"]]


# --- writing Pasal I of an amendment draft ----------------------------------------------------------------

def _draft_change_set(snapshot: dict) -> dict:
    """The change set of the hand-written Pasal I: ubah / sisip / hapus at Pasal, ayat and huruf level."""
    draft = copy.deepcopy(snapshot)
    labels = number_tree(draft)
    by = {labels[n["uid"]].citation: n for n, _p in iter_nodes(draft["body"])}

    def node(kind, text, uid):
        return {"uid": uid, "kind": kind, "heading": "", "text": text, "penjelasan": "", "role": "", "children": []}

    by["Pasal 3"]["children"].remove(by["Pasal 3 huruf b"])
    by["Pasal 4 ayat (2)"]["text"] = by["Pasal 4 ayat (2)"]["text"].replace(
        "secara bertahap", "setiap tahun")
    paragraf = next(n for n, _p in iter_nodes(draft["body"]) if by["Pasal 7"] in (n.get("children") or []))
    paragraf["children"].insert(paragraf["children"].index(by["Pasal 7"]) + 1, node(
        "pasal", "Perangkat Daerah sebagaimana dimaksud dalam Pasal 7 menyusun rencana pemeliharaan RTH publik "
                 "setiap tahun.", "00000000-0000-0000-0000-00000000007a"))
    by["Pasal 9"]["children"].insert(1, node("ayat", "Pemanfaatan RTH publik untuk kegiatan sebagaimana dimaksud "
                                                     "pada ayat (1) tidak dipungut biaya.",
                                             "00000000-0000-0000-0000-0000000091a0"))
    by["Pasal 10"]["children"].insert(1, node("huruf", "memetik bunga dan merusak tanaman di Taman Kota;",
                                              "00000000-0000-0000-0000-00000000010a"))
    by["Pasal 11"]["text"] = ("Pemeliharaan RTH publik meliputi penyiraman, pemangkasan, pemupukan, penggantian "
                              "tanaman yang mati, dan perbaikan sarana taman.")
    by["Pasal 12"]["children"].append(node("ayat", "Pelaporan kerusakan sebagaimana dimaksud pada ayat (2) huruf c "
                                                   "dapat disampaikan secara elektronik.",
                                           "00000000-0000-0000-0000-000000001203"))
    bab5 = next(n for n in draft["body"] if by["Pasal 14"] in n["children"])
    bab5["children"].remove(by["Pasal 14"])
    by["Pasal 15 ayat (2) huruf c"]["text"] = "denda administratif paling banyak Rp5.000.000,00 (lima juta rupiah)."
    by["Pasal 18"]["children"].remove(by["Pasal 18 ayat (2)"])
    return draft


def _base_snapshot(base):
    snap = {"body": to_snapshot_body(base["body"], namespace="rth")}
    for n, _p in iter_nodes(snap["body"]):
        n.pop("num")
    return snap


def test_drafted_pasal_i_matches_the_hand_written_one(base):
    from perda.amendments.render import base_full
    snap = _base_snapshot(base)
    instructions = pasal_i(snap, _draft_change_set(snap))
    meta = {"kind": "perda", "number": 7, "year": 2024, "gazette_number": 7, "tambahan_number": 7,
            "title": "Penyelenggaraan Ruang Terbuka Hijau dan Taman Kota"}
    text = pasal_i_text(instructions, f"Beberapa ketentuan dalam {base_full(meta)} diubah sebagai berikut:")
    text += "Pasal II\nPeraturan Daerah ini mulai berlaku pada tanggal diundangkan.\n"
    expected = (FIX / "amendments" / "pasal_i_rth_draft.txt").read_text(encoding="utf-8")
    assert text == expected


def test_drafted_pasal_i_reads_back_and_consolidates_to_the_draft(base):
    """Pamong's own Pasal I is read back by the importer to the same instructions, and applying it to the
    base gives the draft's text."""
    snap = _base_snapshot(base)
    instructions = pasal_i(snap, _draft_change_set(snap))
    read = parse_instructions(pasal_i_text(instructions, "Beberapa ketentuan … diubah sebagai berikut:").splitlines()[1:])
    assert [(i["op"], i["target"]) for i in read] == [(i["op"], i["target"]) for i in instructions]
    written = consolidate(base["body"], [{"label": "X", "date": "2026-01-01", "instructions": instructions}])
    reread = consolidate(base["body"], [{"label": "X", "date": "2026-01-01", "instructions": read}])
    assert body_text(written["body"]) == body_text(reread["body"])
    text = body_text(written["body"])
    assert "Pasal 7A\nPerangkat Daerah" in text and "Pasal 14\nDihapus.\n" in text
    assert "(1a) Pemanfaatan RTH publik" in text and "a1. memetik bunga" in text


# --- the command line interfaces --------------------------------------------------------------------------

def test_import_regulation_command_prints_amends_and_instructions(tmp_path):
    path = tmp_path / "perubahan.txt"
    path.write_text(AMENDING_TEXT, encoding="utf-8")
    out = io.StringIO()
    call_command("import_regulation", str(path), stdout=out)
    data = json.loads(out.getvalue())
    assert data["amends"]["number"] == "7"
    assert [(i["num"], i["op"], i["target"]) for i in data["instructions"]][:2] == [
        (1, "sisip", "Pasal 1 angka 4a"), (2, "hapus", "Pasal 3 huruf b")]


# --- the published amending regulations of the corpus ------------------------------------------------------

def _real(name: str) -> list[dict]:
    from perda.amendments.parse import split_pasal_i
    from perda.importer import clean_lines

    return parse_instructions(split_pasal_i(clean_lines(corpus_text(name)))[0])


def _skeleton(*nums: str) -> list[dict]:
    return [{"type": "pasal", "num": n, "text": f"[teks Pasal {n} sebelum perubahan]", "ayat": [], "items": []}
            for n in nums]


def test_published_amendments_instructions_match_hand_counts():
    """Hand counts in tests/perda/corpus/README.md."""
    banjarnegara = _real("banjarnegara_perda_8_2025_perubahan_pdrd.txt")
    assert [(i["op"], i.get("targets") or i["target"]) for i in banjarnegara] == [
        ("ubah", "Pasal 7 ayat (3) huruf a"), ("ubah", "Pasal 11"), ("ubah", "Pasal 22 ayat (2)"),
        ("hapus", "Pasal 45 ayat (2)"), ("ubah", "Pasal 68 ayat (2)"), ("tambah", "Pasal 74 ayat (1) huruf g"),
        ("hapus", ["Pasal 81 ayat (2)", "Pasal 81 ayat (3)"]), ("sisip", "Pasal 81A"),
        ("tambah", "Pasal 82 ayat (2) huruf g"), ("ubah", "Pasal 85 ayat (2)"), ("ubah", "Lampiran I"),
        ("ubah", "Lampiran II")]
    assert banjarnegara[7]["after"] == "Pasal 81"
    bali = _real("bali_pergub_1_2021_perubahan_kelas_jabatan.txt")
    assert [(i["op"], i["target"]) for i in bali] == [("ubah", "Pasal 3")]
    assert [a["num"] for a in bali[0]["nodes"][0]["ayat"]] == ["1", "2", "3", "4"]
    donggala = _real("donggala_perbup_24_2025_perubahan_add.txt")
    assert [(i["op"], i.get("targets") or i["target"], i.get("after")) for i in donggala] == [
        ("sisip", ["Pasal 2 ayat (3a)", "Pasal 2 ayat (3b)"], "Pasal 2 ayat (3)"),
        ("sisip", "Pasal 2A", "Pasal 2")]
    assert [a["num"] for a in donggala[0]["nodes"][0]["ayat"]] == ["1", "2", "3", "3a", "3b", "4", "5"]
    # the printed sentence is kept, misprints included
    assert donggala[0]["instruction"].startswith("Di antara ayat (3 dan ayat (4), Pasal 2 disisip 2 (dua) ayat")


def test_published_amending_texts_through_the_importer():
    banjarnegara = parse_regulation(corpus_text("banjarnegara_perda_8_2025_perubahan_pdrd.txt"))
    assert banjarnegara["amends"] == {"kind": "perda", "number": "8", "year": 2023,
                                      "title": "Pajak Daerah dan Retribusi Daerah", "ordinal": ""}
    assert banjarnegara["title"].startswith("Perubahan atas Peraturan Daerah Nomor 8 Tahun 2023 tentang")
    assert len(banjarnegara["instructions"]) == 12 and [p["num"] for p in banjarnegara["body"]] == ["I", "II"]
    bali = parse_regulation(corpus_text("bali_pergub_1_2021_perubahan_kelas_jabatan.txt"))
    assert (bali["amends"]["kind"], bali["amends"]["number"], bali["amends"]["year"]) == ("perwali", "29", 2019)
    assert bali["pasal_ii"] == "Peraturan Gubernur ini mulai berlaku pada tanggal diundangkan."
    donggala = parse_regulation(corpus_text("donggala_perbup_24_2025_perubahan_add.txt"))
    assert (donggala["amends"]["number"], len(donggala["instructions"])) == ("33", 2)


@pytest.mark.parametrize("source,nums,expected", [
    ("donggala_perbup_24_2025_perubahan_add.txt", ("1", "2", "3"), "donggala_perbup_24_2025_konsolidasi.txt"),
    ("bali_pergub_1_2021_perubahan_kelas_jabatan.txt", ("2", "3", "4"), "bali_pergub_1_2021_konsolidasi.txt"),
])
def test_published_amendment_consolidates_to_the_hand_checked_text(source, nums, expected):
    result = consolidate(_skeleton(*nums), [{"label": "L", "date": "2025-11-07", "instructions": _real(source)}])
    assert body_text(result["body"]) == corpus_text(f"amendments/{expected}")


def test_published_amendment_with_deletions_and_lampiran():
    nums = ("7", "11", "22", "45", "68", "74", "81", "82", "85")
    result = consolidate(_skeleton(*nums), [{"label": "L", "date": "2025-12-30",
                                             "instructions": _real("banjarnegara_perda_8_2025_perubahan_pdrd.txt")}])
    body = {p["num"]: p for p in result["body"]}
    assert [p["num"] for p in result["body"]] == ["7", "11", "22", "45", "68", "74", "81", "81A", "82", "85"]
    assert [a["text"] for a in body["45"]["ayat"]][1] == "Dihapus."
    # (the e-signature page footer that follows ayat (3) in the PDF is the importer's page furniture)
    assert [a["text"][:8] for a in body["81"]["ayat"]][1:] == ["Dihapus.", "Dihapus."]
    assert body["81A"]["text"].startswith("Pelayanan lembaga penyiaran publik lokal radio")
    assert [n["target"] for n in result["notes"]] == ["Lampiran I", "Lampiran II"]


# --- in the database: import and link, consolidate command, amendment drafts, JDIH ---------------------------

def _enact(reg, *, number, year, enacted, promulgated, gazette=None, tambahan=None, publish=False):
    """Give an imported text its enactment facts and freeze its text as the enacted version (a test shortcut
    for a regulation already in the JDIH)."""
    from perda.models import Formation, Regulation
    from perda.services.versions import version_freeze
    from perda.states import Stage

    Regulation.objects.filter(pk=reg.pk).update(number=number, year=year, enacted_on=enacted,
                                                promulgated_on=promulgated, gazette_number=gazette,
                                                tambahan_number=tambahan)
    reg = Regulation.objects.get(pk=reg.pk)
    version = version_freeze(regulation=reg, label="diundangkan", actor=None, allow_errors=True)
    Regulation.objects.filter(pk=reg.pk).update(enacted_version=version)
    if publish:
        Formation.objects.create(regulation=reg, stage=Stage.SELESAI)
    return Regulation.objects.select_related("enacted_version", "pemrakarsa").get(pk=reg.pk)


@pytest.fixture
def jdih_base(people):
    from perda.importer import save_regulation

    reg = save_regulation(parse_regulation(BASE_TEXT), actor=people.kabag, pemrakarsa=people.diskominfo,
                          drafter=people.pemrakarsa)
    return _enact(reg, number=7, year=2024, enacted=dt.date(2024, 3, 12), promulgated=dt.date(2024, 3, 14),
                  gazette=7, tambahan=7, publish=True)


@pytest.fixture
def people(db):
    from tests.perda.formation_support import make_people

    return make_people()


def _import_amending(tmp_path, people):
    path = tmp_path / "perubahan.txt"
    path.write_text(AMENDING_TEXT, encoding="utf-8")
    out = io.StringIO()
    call_command("import_regulation", str(path), "--save", "--pemrakarsa", "dkis-uji", "--drafter", "kabag",
                 stdout=out)
    return json.loads(out.getvalue())


def _consolidate_cmd(pk, date):
    out = io.StringIO()
    call_command("consolidate", str(pk), "--date", date, stdout=out)
    return json.loads(out.getvalue())


def test_imported_amendment_links_to_its_base_and_consolidates(tmp_path, people, jdih_base):
    from perda.models import Regulation

    saved = _import_amending(tmp_path, people)
    assert saved["amends_id"] == jdih_base.pk
    amending = Regulation.objects.select_related("amendment").get(pk=saved["regulation_id"])
    assert (amending.number, amending.year, amending.promulgated_on) == (3, 2026, dt.date(2026, 2, 10))
    assert len(amending.amendment.instructions) == 8
    assert list(jdih_base.amended_by.all()) == [amending]

    before = _consolidate_cmd(jdih_base.pk, "2026-02-09")
    after = _consolidate_cmd(jdih_base.pk, "2026-02-10")
    assert before["in_force"] and before["amended_by"] == [] and before["pending"] == [LABEL]
    assert after["amended_by"] == [LABEL]
    assert body_text(before["body"]) == body_text(parse_regulation(BASE_TEXT)["body"])
    expected = (FIX / "amendments" / "perda_rth_konsolidasi_2026.txt").read_text(encoding="utf-8")
    assert body_text(after["body"]) == expected
    assert not _consolidate_cmd(jdih_base.pk, "2024-01-01")["in_force"]


def test_jdih_shows_consolidated_text_history_links_and_redline(client, tmp_path, people, jdih_base):
    from django.urls import reverse

    saved = _import_amending(tmp_path, people)
    from perda.models import Regulation
    amending = Regulation.objects.get(pk=saved["regulation_id"])
    amending = _enact(amending, number=3, year=2026, enacted=dt.date(2026, 2, 5), promulgated=dt.date(2026, 2, 10),
                      publish=True)
    url = reverse("perda:jdih_detail", args=[jdih_base.pk])
    html = client.get(url, {"tanggal": "2026-03-01"}).content.decode()
    assert "Diubah dengan" in html and reverse("perda:jdih_detail", args=[amending.pk]) in html
    assert "30% (tiga puluh persen)" in html and "Pasal 7A" in html and "Dihapus." in html
    assert f"diubah dengan {LABEL}" in html
    old = client.get(url, {"tanggal": "2026-02-09"}).content.decode()
    assert "20% (dua puluh persen)" in old and "Pasal 7A" not in old
    asli = client.get(url, {"naskah": "asli"}).content.decode()
    assert "20% (dua puluh persen)" in asli
    red = client.get(url, {"tanggal": "2026-03-01", "banding": "2026-01-01"}).content.decode()
    assert "<del>20</del>" in red and "<ins>30</ins>" in red
    back = client.get(reverse("perda:jdih_detail", args=[amending.pk])).content.decode()
    assert "Mengubah" in back and reverse("perda:jdih_detail", args=[jdih_base.pk]) in back
    assert "Di antara Pasal 7 dan Pasal 8 disisipkan 1 (satu) pasal" in back  # its own Pasal I


def edit_change_set_in_editor(*, actor, reg, by) -> None:
    """The change set of the hand-written Pasal I made through the editor's services (``by``: the draft's
    provisions by their citation in the base)."""
    from perda.services import editor as svc

    svc.provision_remove(actor=actor, provision=by["Pasal 3 huruf b"])
    svc.provision_edit(actor=actor, provision=by["Pasal 4 ayat (2)"],
                       text=by["Pasal 4 ayat (2)"].text.replace("secara bertahap", "setiap tahun"))
    svc.provision_add(actor=actor, regulation=reg, kind="pasal", parent=by["Pasal 7"].parent, position=2,
                      text="Perangkat Daerah sebagaimana dimaksud dalam Pasal 7 menyusun rencana pemeliharaan RTH "
                           "publik setiap tahun.")
    svc.provision_add(actor=actor, regulation=reg, kind="ayat", parent=by["Pasal 9"], position=1,
                      text="Pemanfaatan RTH publik untuk kegiatan sebagaimana dimaksud pada ayat (1) tidak "
                           "dipungut biaya.")
    svc.provision_add(actor=actor, regulation=reg, kind="huruf", parent=by["Pasal 10"], position=1,
                      text="memetik bunga dan merusak tanaman di Taman Kota;")
    svc.provision_edit(actor=actor, provision=by["Pasal 11"],
                       text="Pemeliharaan RTH publik meliputi penyiraman, pemangkasan, pemupukan, penggantian "
                            "tanaman yang mati, dan perbaikan sarana taman.")
    svc.provision_add(actor=actor, regulation=reg, kind="ayat", parent=by["Pasal 12"],
                      text="Pelaporan kerusakan sebagaimana dimaksud pada ayat (2) huruf c dapat disampaikan "
                           "secara elektronik.")
    svc.provision_remove(actor=actor, provision=by["Pasal 14"])
    svc.provision_edit(actor=actor, provision=by["Pasal 15 ayat (2) huruf c"],
                       text="denda administratif paling banyak Rp5.000.000,00 (lima juta rupiah).")
    svc.provision_remove(actor=actor, provision=by["Pasal 18 ayat (2)"])


def test_amendment_draft_writes_pasal_i_title_konsiderans_and_valid_akn(people, jdih_base):
    from perda.amendments.render import pasal_i_lines
    from perda.amendments.services import amendment_start
    from perda.models import Provision
    from perda.numbering import konsiderans_closing
    from perda.render.akn import akn_errors, render_akn
    from perda.render.html import render_html
    from perda.services import editor as svc
    from perda.snapshot import snapshot_build

    reg = amendment_start(actor=people.kabag, base=jdih_base)
    assert reg.title == ("Perubahan atas Peraturan Daerah Kota Tangerang Selatan Nomor 7 Tahun 2024 tentang "
                         "Penyelenggaraan Ruang Terbuka Hijau dan Taman Kota")
    base_snap = jdih_base.enacted_version.snapshot
    base_labels = number_tree(base_snap)
    uids = {str(p.uid) for p in Provision.objects.filter(regulation=reg)}
    assert uids == set(base_labels)  # same provisions, same identities
    snap = snapshot_build(reg)
    assert snap["dasar_hukum"][-1]["text"].startswith("Peraturan Daerah Kota Tangerang Selatan Nomor 7 Tahun 2024")
    assert konsiderans_closing(1, "perda", reg.title).endswith(
        "perlu membentuk Peraturan Daerah tentang Perubahan atas Peraturan Daerah Kota Tangerang Selatan Nomor 7 "
        "Tahun 2024 tentang Penyelenggaraan Ruang Terbuka Hijau dan Taman Kota;")
    assert pasal_i_lines(snap)[2:] == ["Pasal II", "Peraturan Daerah ini mulai berlaku pada tanggal diundangkan."]

    # The change set of the hand-written Pasal I, made in the editor.
    by = {base_labels[u].citation: Provision.objects.get(regulation=reg, uid=u) for u in base_labels}
    actor = people.kabag
    edit_change_set_in_editor(actor=actor, reg=reg, by=by)

    snap = snapshot_build(reg)
    expected = (FIX / "amendments" / "pasal_i_rth_draft.txt").read_text(encoding="utf-8")
    assert "\n".join(pasal_i_lines(snap)) + "\n" == expected
    html = render_html(snap)
    assert "PERUBAHAN ATAS PERATURAN DAERAH KOTA TANGERANG SELATAN NOMOR 7 TAHUN 2024" in html
    assert "Di antara Pasal 7 dan Pasal 8 disisipkan 1 (satu) pasal, yakni Pasal 7A" in html
    penjelasan = html[html.index('class="penjelasan"'):]
    assert re.findall(r'class="pj-num">([^<]+)<', penjelasan)[:3] == ["Pasal I", "Pasal 4", "Pasal 7A"]
    assert "Angka 10" in penjelasan and penjelasan.count('class="pj-num">Pasal II<') == 1
    xml = render_akn(snap)
    assert akn_errors(xml) == []
    text = xml.decode()
    assert 'contains="singleVersion"' in text and "<activeModifications>" in text
    assert ('<destination href="/akn/id/act/perda/kota-tangerang-selatan/2024-03-12/7/!main#art_3__point_b"/>'
            in text)
    assert text.count("<textualMod ") == 10 and text.count('type="repeal"') == 3


def test_start_amendment_from_the_jdih_page(client, people, jdih_base):
    from django.urls import reverse

    from perda.models import Regulation

    url = reverse("perda:amendment_start", args=[jdih_base.pk])
    client.force_login(people.outsider)
    assert client.post(url).status_code == 403
    assert not Regulation.objects.filter(amends=jdih_base).exists()
    client.force_login(people.kabag)
    page = client.get(reverse("perda:jdih_detail", args=[jdih_base.pk])).content.decode()
    assert url in page  # the button for staff
    r = client.post(url)
    draft = Regulation.objects.get(amends=jdih_base)
    assert r.status_code == 302 and r["Location"] == reverse("perda:editor", args=[draft.pk])
    assert draft.amendment.source == "draf" and draft.amendment.base_snapshot["body"]
    # The editor numbers the amended text as Lampiran II does: a Pasal inserted after Pasal 7 is Pasal 7A,
    # and the Pasal after it keeps its number.
    from perda.models import Provision
    from perda.services import editor as svc

    pasal7 = Provision.objects.get(regulation=draft, uid=next(
        u for u, lab in number_tree(jdih_base.enacted_version.snapshot).items() if lab.citation == "Pasal 7"))
    svc.provision_add(actor=people.kabag, regulation=draft, kind="pasal", parent=pasal7.parent, position=2,
                      text="Pasal sisipan.")
    page = client.get(reverse("perda:editor", args=[draft.pk])).content.decode()
    assert "Pasal 7A" in page and "Pasal 22" in page and "Pasal 23" not in page


def test_jdih_page_queries_do_not_grow_with_amendments(client, tmp_path, people, jdih_base):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from perda.models import Amendment, Formation, Regulation
    from perda.states import Stage
    from tests.perda.doc_factories import RegulationFactory

    _import_amending(tmp_path, people)
    url = reverse("perda:jdih_detail", args=[jdih_base.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"tanggal": "2030-01-01"}).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for n in (4, 5):
        reg = RegulationFactory(title=f"Perubahan {n}", pemrakarsa=people.diskominfo, drafter=people.pemrakarsa,
                                number=n, year=2027, promulgated_on=dt.date(2027, 1, n), amends=jdih_base)
        Formation.objects.create(regulation=reg, stage=Stage.SELESAI)
        Amendment.objects.create(regulation=reg, source="impor", instructions=parse_instructions([
            "Ketentuan Pasal 11 dalam Peraturan Daerah … diubah sehingga berbunyi sebagai berikut:",
            "Pasal 11", f"Pemeliharaan RTH publik dilaksanakan oleh {n} petugas."]))
    assert count() == one
    assert "dilaksanakan oleh 5 petugas" in client.get(url, {"tanggal": "2030-01-01"}).content.decode()
    assert Regulation.objects.filter(amends=jdih_base).count() == 3


def test_enacted_amendment_draft_is_consolidated_into_its_base(people, jdih_base):
    """A Perubahan drafted in Pamong, once enacted, changes the text in force of its base from its date."""
    from perda.amendments.selectors import consolidated
    from perda.amendments.services import amendment_start
    from perda.models import Provision
    from perda.services import editor as svc

    reg = amendment_start(actor=people.kabag, base=jdih_base)
    labels = number_tree(jdih_base.enacted_version.snapshot)
    by = {labels[u].citation: Provision.objects.get(regulation=reg, uid=u) for u in labels}
    svc.provision_edit(actor=people.kabag, provision=by["Pasal 11"], text="Pemeliharaan RTH publik dilakukan setiap hari.")
    svc.provision_remove(actor=people.kabag, provision=by["Pasal 14"])
    svc.provision_add(actor=people.kabag, regulation=reg, kind="pasal", parent=by["Pasal 7"].parent, position=2,
                      text="Pasal sisipan dari rancangan perubahan.")
    _enact(reg, number=9, year=2026, enacted=dt.date(2026, 6, 1), promulgated=dt.date(2026, 6, 2))
    reg.amendment.refresh_from_db()

    before = consolidated(jdih_base, dt.date(2026, 6, 1))
    after = consolidated(jdih_base, dt.date(2026, 6, 2))
    label = "Peraturan Daerah Kota Tangerang Selatan Nomor 9 Tahun 2026"
    assert before["applied"] == [] and after["applied"] == [label]
    text = body_text(after["import_body"])
    assert "Pasal 11\nPemeliharaan RTH publik dilakukan setiap hari.\n" in text
    assert "Pasal 14\nDihapus.\n" in text and "Pasal 7A\nPasal sisipan dari rancangan perubahan.\n" in text
    assert body_text(before["import_body"]) == body_text(parse_regulation(BASE_TEXT)["body"])
    pasal11 = next(n for n in after["import_body"][3]["children"] if n["num"] == "11")
    assert [h["note"] for h in pasal11["history"]] == [f"diubah dengan {label}"]


def test_drafted_bab_and_angka_changes(base):
    """A new BAB between two, a new angka in the definitions, a huruf added at the end: Lampiran II wording,
    read back to the same instructions, and consolidated to the draft."""
    snap = _base_snapshot(base)
    draft = copy.deepcopy(snap)
    labels = number_tree(draft)
    by = {labels[n["uid"]].citation: n for n, _p in iter_nodes(draft["body"])}

    def node(kind, uid, text="", heading="", children=()):
        return {"uid": uid, "kind": kind, "heading": heading, "text": text, "penjelasan": "", "role": "",
                "children": list(children)}

    by["Pasal 1"]["children"].insert(4, node("angka", "00000000-0000-0000-0000-0000000001a4",
                                             "Sistem Informasi RTH adalah sistem elektronik data RTH."))
    by["Pasal 10"]["children"].append(node("huruf", "00000000-0000-0000-0000-0000000010d0",
                                           "membakar sampah di RTH."))
    bab5 = next(i for i, n in enumerate(draft["body"]) if n["uid"] == by["BAB V"]["uid"])
    draft["body"].insert(bab5 + 1, node("bab", "00000000-0000-0000-0000-0000000005a0",
                                        heading="SISTEM INFORMASI RUANG TERBUKA HIJAU", children=[
                                            node("pasal", "00000000-0000-0000-0000-000000016a00",
                                                 "Pemerintah Daerah menyelenggarakan Sistem Informasi RTH.")]))
    instructions = pasal_i(snap, draft)
    assert [i["instruction"] for i in instructions] == [
        "Di antara angka 4 dan angka 5 Pasal 1 disisipkan 1 (satu) angka, yakni angka 4a sehingga Pasal 1 "
        "berbunyi sebagai berikut:",
        "Pasal 10 ditambah 1 (satu) huruf, yakni huruf d sehingga Pasal 10 berbunyi sebagai berikut:",
        "Di antara BAB V dan BAB VI disisipkan 1 (satu) bab, yakni BAB VA sehingga berbunyi sebagai berikut:",
    ]
    assert instructions[2]["text"].split("\n") == [
        "BAB VA", "SISTEM INFORMASI RUANG TERBUKA HIJAU", "Pasal 16A",
        "Pemerintah Daerah menyelenggarakan Sistem Informasi RTH."]
    read = parse_instructions(pasal_i_text(instructions, "Beberapa ketentuan … diubah sebagai berikut:")
                              .splitlines()[1:])
    assert [(i["op"], i["target"]) for i in read] == [
        ("sisip", "Pasal 1 angka 4a"), ("tambah", "Pasal 10 huruf d"), ("sisip", "BAB VA")]
    text = body_text(consolidate(base["body"], [{"label": "X", "date": "2027-01-01", "instructions": read}])["body"])
    assert "4a. Sistem Informasi RTH adalah sistem elektronik data RTH.\n5. Taman Kota" in text
    assert "d. membakar sampah di RTH.\nPasal 11" in text
    assert "Pasal 16\n" in text and text.index("BAB VA") < text.index("BAB VI\n")


def test_import_page_shows_the_instructions_and_links_the_base(client, people, jdih_base):
    from django.urls import reverse

    from perda.models import Regulation

    client.force_login(people.kabag)
    url = reverse("perda:regulation_import")
    page = client.post(url, {"text": AMENDING_TEXT, "pemrakarsa": people.diskominfo.pk}).content.decode()
    assert "Peraturan perubahan: mengubah peraturan Nomor 7 Tahun 2024" in page
    assert "sisip · Pasal 7A (setelah Pasal 7)" in page and "hapus · Pasal 14" in page
    r = client.post(url, {"text": AMENDING_TEXT, "pemrakarsa": people.diskominfo.pk, "confirm": "1"})
    assert r.status_code == 302
    saved = Regulation.objects.get(amends=jdih_base)
    assert len(saved.amendment.instructions) == 8 and saved.promulgated_on == dt.date(2026, 2, 10)
