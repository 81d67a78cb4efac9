import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from perda.importer import clean_lines, iter_pasal, parse_regulation
from perda.models import Provision, Regulation
from perda.numbering import number_tree
from perda.snapshot import snapshot_build

FIXTURE = Path(__file__).parent / "fixtures" / "perda_rth.txt"
TEXT = FIXTURE.read_text(encoding="utf-8")
EXPECTED_BAB = [("I", "KETENTUAN UMUM"), ("II", "ASAS DAN TUJUAN"), ("III", "PENYEDIAAN RUANG TERBUKA HIJAU"),
                ("IV", "PEMANFAATAN DAN PEMELIHARAAN"), ("V", "PEMBINAAN DAN PENGAWASAN"), ("VI", "PENDANAAN"),
                ("VII", "KETENTUAN PIDANA"), ("VIII", "KETENTUAN PERALIHAN"), ("IX", "KETENTUAN PENUTUP")]


@pytest.fixture(scope="module")
def parsed():
    return parse_regulation(TEXT)


def test_heading(parsed):
    assert (parsed["kind"], parsed["number"], parsed["year"]) == ("perda", "7", 2024)
    assert parsed["title"] == "Penyelenggaraan Ruang Terbuka Hijau dan Taman Kota"


def test_every_bab_and_pasal_is_recovered_with_its_number(parsed):
    assert [(b["num"], b["heading"]) for b in parsed["body"]] == EXPECTED_BAB
    assert [p["num"] for p in iter_pasal(parsed["body"])] == [str(n) for n in range(1, 23)]


def test_bagian_paragraf_ayat_and_lists(parsed):
    bab3 = parsed["body"][2]
    assert [(b["num"], b["heading"]) for b in bab3["children"]] == [("Kesatu", "Umum"), ("Kedua", "Jenis Ruang Terbuka Hijau")]
    assert [p["num"] for p in bab3["children"][1]["children"]] == ["1", "2"]
    pasal5 = bab3["children"][0]["children"][1]
    assert [a["num"] for a in pasal5["ayat"]] == ["1", "2"]
    items = pasal5["ayat"][1]["items"]
    assert [i["num"] for i in items] == ["a", "b", "c"]
    assert [(i["type"], i["num"]) for i in items[1]["items"]] == [("angka", "1"), ("angka", "2")]
    pasal1 = parsed["body"][0]["children"][0]
    assert pasal1["text"] == "Dalam Peraturan Daerah ini yang dimaksud dengan:"
    assert [i["num"] for i in pasal1["items"]] == ["1", "2", "3", "4", "5"]
    assert pasal1["items"][3]["text"].endswith("maupun yang sengaja ditanam.")  # wrapped lines joined


def test_pdf_artifacts_are_cleaned(parsed):
    pasal4 = parsed["body"][2]["children"][0]["children"][0]
    # A line-final hyphen is kept (it may be part of the word) and shown to the drafter with its line.
    assert "dilaksana-kan secara bertahap" in pasal4["ayat"][1]["text"]
    assert any("dilaksana-" in w["text"] and w["line"] > 0 for w in parsed["warnings"])
    pasal7 = parsed["body"][2]["children"][1]["children"][0]["children"][1]
    assert "masing-masing camat" in pasal7["text"]  # reduplication kept, no warning for it
    assert not any("masing-masing" in w["text"] for w in parsed["warnings"])
    flat = json.dumps(parsed["body"], ensure_ascii=False)
    assert "- 3 -" not in flat
    # A repeated line that is not recognised as page furniture is kept, and the drafter is told where.
    assert "JDIH KOTA TANGERANG SELATAN" in json.dumps(parsed, ensure_ascii=False)
    assert [w["line"] for w in parsed["warnings"] if w["text"] == "JDIH KOTA TANGERANG SELATAN"] == [74, 129, 179, 250]
    assert "- 2 -" not in clean_lines("a\n- 2 -\nb")


def test_konsiderans_dasar_hukum_penutup_penjelasan(parsed):
    assert len(parsed["konsiderans"]) == 3 and all(k.startswith("bahwa") for k in parsed["konsiderans"])
    assert len(parsed["dasar_hukum"]) == 3 and parsed["dasar_hukum"][1].endswith("Nomor 4935);")
    assert parsed["penutup"]["noreg"] == "7-88/2024"
    assert parsed["penutup"]["lembaran"] == {"jenis": "lembaran", "tahun": 2024, "nomor": "7"}
    assert parsed["penutup"]["nama_penetap"] == "BUDI SANTOSO"
    assert parsed["penjelasan"]["umum"].startswith("Ruang terbuka hijau merupakan")
    assert set(parsed["penjelasan"]["pasal"]) == {str(n) for n in range(1, 23)}
    assert parsed["penjelasan"]["tambahan"] == "7"


def test_command_prints_json():
    out = io.StringIO()
    call_command("import_regulation", str(FIXTURE), stdout=out)
    data = json.loads(out.getvalue())
    assert data["body"][0] ["type"] == "bab" and data["body"][0]["num"] == "I"
    assert data["body"][0]["children"][0]["type"] == "pasal" and data["body"][0]["children"][0]["num"] == "1"


@pytest.mark.django_db
def test_command_save_creates_a_draft_with_the_same_numbering():
    from tests.factories import OrgUnitFactory, UserFactory

    from tests.factories import AssignmentFactory, PositionFactory
    from workflows.models import PositionKind

    unit = OrgUnitFactory(code="bagian-hukum")
    AssignmentFactory(user=UserFactory(username="perancang"),
                      position=PositionFactory(kind=PositionKind.PERANCANG, org_unit=unit))
    out = io.StringIO()
    call_command("import_regulation", str(FIXTURE), "--save", "--pemrakarsa", unit.code, "--drafter", "perancang",
                 stdout=out)
    reg = Regulation.objects.get(pk=json.loads(out.getvalue())["regulation_id"])
    snap = snapshot_build(reg)
    labels = number_tree(snap)
    pasal_labels = [labels[u].label for u in labels if labels[u].kind == "pasal"]
    assert pasal_labels == [f"Pasal {n}" for n in range(1, 23)]
    assert [n["role"] for n in snap["body"]][0] == "ketentuan_umum" and snap["body"][-1]["role"] == "ketentuan_penutup"
    # The published closing point is kept word for word (not regenerated), and printed once.
    assert len(snap["konsiderans"]) == 3 and snap["konsiderans"][-1]["text"].startswith("bahwa berdasarkan pertimbangan")
    from perda.render.html import document_html
    assert document_html(snap).count("bahwa berdasarkan pertimbangan") == 1
    pasal4 = Provision.objects.get(regulation=reg, kind="pasal", penjelasan__startswith="Ayat (1)")
    assert labels[str(pasal4.uid)].label == "Pasal 4"


@pytest.mark.django_db
def test_import_page_reviews_then_saves(client):
    from tests.factories import OrgUnitFactory, UserFactory
    from workflows.models import OrgUnitKind

    unit = OrgUnitFactory(code="diskominfo", kind=OrgUnitKind.PERANGKAT_DAERAH)
    client.force_login(UserFactory(username="admin-impor", is_superuser=True))
    url = reverse("perda:regulation_import")
    r = client.post(url, {"text": TEXT, "pemrakarsa": unit.pk})
    body = r.content.decode()
    assert r.status_code == 200 and "22 Pasal" in body and "BAB IX" in body
    assert not Regulation.objects.exists()
    r = client.post(url, {"text": TEXT, "pemrakarsa": unit.pk, "confirm": "1"})
    assert r.status_code == 302
    assert Regulation.objects.get().title == "Penyelenggaraan Ruang Terbuka Hijau dan Taman Kota"


@pytest.mark.django_db
def test_saved_citations_become_references_that_follow_renumbering():
    from perda.numbering import render_refs
    from perda.services import editor as svc
    from tests.factories import OrgUnitFactory, UserFactory
    from perda.importer import save_regulation

    user = UserFactory(username="perancang2", is_superuser=True)
    reg = save_regulation(parse_regulation(TEXT), actor=user, pemrakarsa=OrgUnitFactory(), drafter=user)
    p14 = Provision.objects.get(regulation=reg, kind="pasal", text__startswith="Pembinaan sebagaimana")
    assert "[[ref:" in p14.text
    p4_a2 = Provision.objects.get(regulation=reg, kind="ayat", text__startswith="Penyediaan RTH sebagaimana")
    assert "[[ref:" in p4_a2.text
    labels = number_tree(snapshot_build(reg))
    assert render_refs(p14.text, labels, str(p14.uid)).startswith("Pembinaan sebagaimana dimaksud dalam Pasal 13 dilaksanakan")
    assert "pada ayat (1) dilaksana-kan" in render_refs(p4_a2.text, labels, str(p4_a2.uid))
    p18_a1 = Provision.objects.get(regulation=reg, kind="ayat", text__startswith="Setiap orang yang melanggar ketentuan sebagaimana dimaksud dalam [[ref:", text__contains="diancam")
    assert "Pasal 10 huruf a diancam" in render_refs(p18_a1.text, labels, str(p18_a1.uid))
    # Insert a Pasal at the start of BAB I: every imported citation follows.
    bab1 = Provision.objects.get(regulation=reg, kind="bab", heading="KETENTUAN UMUM")
    svc.provision_add(actor=user, regulation=reg, kind="pasal", parent=bab1, position=0, text="Pasal baru.")
    labels = number_tree(snapshot_build(reg))
    assert "dimaksud dalam Pasal 14 dilaksanakan" in render_refs(p14.text, labels, str(p14.uid))
    assert "Pasal 11 huruf a diancam" in render_refs(p18_a1.text, labels, str(p18_a1.uid))


def test_a_short_perwali_without_bab():
    parsed = parse_regulation((Path(__file__).parent / "fixtures" / "perwali_ruang_rapat.txt").read_text())
    assert (parsed["kind"], parsed["number"], parsed["year"]) == ("perwali", "12", 2025)
    assert len(parsed["konsiderans"]) == 1 and parsed["konsiderans"][0].startswith("bahwa untuk melaksanakan")
    assert [(n["type"], n["num"]) for n in parsed["body"]] == [("pasal", "1"), ("pasal", "2"), ("pasal", "3")]
    assert parsed["penutup"]["lembaran"] == {"jenis": "berita", "tahun": 2025, "nomor": "12"}
    assert parsed["penjelasan"] == {}


PERWALI_FIXTURE = Path(__file__).parent / "fixtures" / "perwali_ruang_rapat.txt"


def _perbup_text() -> str:
    """The short Perwali fixture as a regency would publish it."""
    return (PERWALI_FIXTURE.read_text().replace("WALI KOTA TANGERANG SELATAN", "BUPATI TANGERANG")
            .replace("PERATURAN WALI KOTA", "PERATURAN BUPATI").replace("Peraturan Wali Kota", "Peraturan Bupati"))


@pytest.mark.django_db
@pytest.mark.parametrize("region", [None, {"kind": "kabupaten", "name": "Bandung", "province": "Jawa Barat"}])
def test_a_perbup_is_recognised_and_kept_as_printed(settings, region):
    from perda.importer import save_regulation
    from tests.factories import OrgUnitFactory, UserFactory

    if region:
        settings.PAMONG_REGION = region
    text = _perbup_text()
    parsed = parse_regulation(text)
    assert (parsed["kind"], parsed["number"], parsed["year"]) == ("perwali", "12", 2025)
    assert (parsed["region"], parsed["kind_heading"]) == ("Kabupaten Tangerang", "PERATURAN BUPATI TANGERANG")
    # The printed words are kept: the konsiderans names the Peraturan Bupati as the text does.
    assert "perlu menetapkan Peraturan Bupati tentang Tata Cara" in " ".join(parsed["konsiderans"][0].split())
    user = UserFactory(username="perancang3", is_superuser=True)
    reg = save_regulation(parsed, actor=user, pemrakarsa=OrgUnitFactory(), drafter=user)
    assert reg.kind_label == "Peraturan Bupati"
    assert "Diimpor dari teks Peraturan Bupati Tangerang Nomor 12 Tahun 2025" in reg.outside_propemperda_reason


@pytest.mark.django_db
def test_import_without_a_kind_heading_names_the_regions_head(settings):
    from perda.importer import save_regulation
    from tests.factories import OrgUnitFactory, UserFactory

    settings.PAMONG_REGION = {"kind": "kabupaten", "name": "Bandung", "province": "Jawa Barat"}
    parsed = parse_regulation(PERWALI_FIXTURE.read_text())
    user = UserFactory(username="perancang4", is_superuser=True)
    own = dict(parsed, kind_heading="", region="")
    reg = save_regulation(own, actor=user, pemrakarsa=OrgUnitFactory(), drafter=user)
    assert reg.outside_propemperda_reason.startswith("Diimpor dari teks Peraturan Bupati Nomor 12 Tahun 2025")
    other = dict(parsed, kind_heading="", region="Kota Surabaya")
    reg = save_regulation(other, actor=user, pemrakarsa=OrgUnitFactory(), drafter=user)
    assert reg.outside_propemperda_reason.startswith("Diimpor dari teks Peraturan Wali Kota Nomor 12 Tahun 2025")
