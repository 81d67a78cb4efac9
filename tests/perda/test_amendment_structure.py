"""Pasal I of an amendment draft that adds a BAB, a Bagian and a Paragraf, besides changing, inserting and
deleting Pasal, ayat and huruf: the words Lampiran II UU 12/2011 prescribes, in the order of the provisions,
written out by hand below; it is read back by the importer and consolidates to the hand-checked body."""
import copy

import pytest

from perda.amendments.consolidate import body_text, consolidate
from perda.amendments.draft import pasal_i
from perda.amendments.parse import parse_instructions
from perda.importer import parse_regulation
from perda.numbering import iter_nodes, number_tree
from tests.perda.test_amendments import (  # noqa: F401 (jdih_base and people are fixtures)
    BASE_TEXT, _base_snapshot, _draft_change_set, edit_change_set_in_editor, jdih_base, people)

# The instructions of Pasal I for the change set below, in Lampiran II's words and order (hand-written).
EXPECTED_INSTRUCTIONS = """\
1. Ketentuan huruf b Pasal 3 dihapus.
2. Ketentuan ayat (2) Pasal 4 diubah sehingga Pasal 4 berbunyi sebagai berikut:
Pasal 4
(1) Pemerintah Daerah menyediakan RTH publik paling sedikit 20% (dua puluh persen) dari luas wilayah Daerah.
(2) Penyediaan RTH sebagaimana dimaksud pada ayat (1) dilaksanakan setiap tahun sesuai dengan rencana tata ruang wilayah.
3. Di antara Pasal 5 dan Pasal 6 disisipkan 1 (satu) bagian, yakni Bagian Kesatu A sehingga berbunyi sebagai berikut:
Bagian Kesatu A
Rencana Penyediaan
Pasal 5A
Pemerintah Daerah menyusun rencana penyediaan RTH publik untuk jangka waktu 5 (lima) tahun.
4. Di antara Pasal 7 dan Pasal 8 disisipkan 1 (satu) pasal, yakni Pasal 7A sehingga berbunyi sebagai berikut:
Pasal 7A
Perangkat Daerah sebagaimana dimaksud dalam Pasal 7 menyusun rencana pemeliharaan RTH publik setiap tahun.
5. Setelah Pasal 8 ditambahkan 1 (satu) paragraf, yakni Paragraf 3 sehingga berbunyi sebagai berikut:
Paragraf 3
Ruang Terbuka Hijau Tematik
Pasal 8A
RTH tematik meliputi taman bermain anak, taman lansia, dan taman hewan peliharaan.
6. Di antara ayat (1) dan ayat (2) Pasal 9 disisipkan 1 (satu) ayat, yakni ayat (1a) sehingga Pasal 9 berbunyi sebagai berikut:
Pasal 9
(1) RTH publik dapat dimanfaatkan untuk kegiatan:
a. olahraga;
b. rekreasi keluarga; dan
c. kegiatan sosial budaya.
(1a) Pemanfaatan RTH publik untuk kegiatan sebagaimana dimaksud pada ayat (1) tidak dipungut biaya.
(2) Pemanfaatan RTH sebagaimana dimaksud pada ayat (1) tidak boleh mengubah fungsi RTH.
7. Di antara huruf a dan huruf b Pasal 10 disisipkan 1 (satu) huruf, yakni huruf a1 sehingga Pasal 10 berbunyi sebagai berikut:
Pasal 10
Setiap orang dilarang:
a. menebang pohon di RTH publik tanpa izin;
a1. memetik bunga dan merusak tanaman di Taman Kota;
b. membuang sampah di RTH; dan
c. mendirikan bangunan permanen di RTH publik.
8. Ketentuan Pasal 11 diubah sehingga berbunyi sebagai berikut:
Pasal 11
Pemeliharaan RTH publik meliputi penyiraman, pemangkasan, pemupukan, penggantian tanaman yang mati, dan perbaikan sarana taman.
9. Pasal 12 ditambah 1 (satu) ayat, yakni ayat (3) sehingga Pasal 12 berbunyi sebagai berikut:
Pasal 12
(1) Masyarakat dapat berperan serta dalam pemeliharaan RTH.
(2) Peran serta sebagaimana dimaksud pada ayat (1) dapat berupa:
a. adopsi taman;
b. pemberian masukan; dan
c. pelaporan kerusakan.
(3) Pelaporan kerusakan sebagaimana dimaksud pada ayat (2) huruf c dapat disampaikan secara elektronik.
10. Pasal 14 dihapus.
11. Ketentuan huruf c ayat (2) Pasal 15 diubah sehingga Pasal 15 berbunyi sebagai berikut:
Pasal 15
(1) Setiap orang yang melanggar ketentuan sebagaimana dimaksud dalam Pasal 10 dikenai sanksi administratif.
(2) Sanksi administratif sebagaimana dimaksud pada ayat (1) berupa:
a. teguran tertulis;
b. penghentian sementara kegiatan; dan/atau
c. denda administratif paling banyak Rp5.000.000,00 (lima juta rupiah).
12. Di antara BAB V dan BAB VI disisipkan 1 (satu) bab, yakni BAB VA sehingga berbunyi sebagai berikut:
BAB VA
SISTEM INFORMASI RUANG TERBUKA HIJAU
Pasal 16A
Pemerintah Daerah menyelenggarakan sistem informasi RTH yang dapat diakses oleh masyarakat.
13. Ketentuan ayat (2) Pasal 18 dihapus.
"""

# The body of the base with that Pasal I applied (hand-checked; list items indented by level).
EXPECTED_BODY = """\
BAB I
KETENTUAN UMUM
Pasal 1
Dalam Peraturan Daerah ini yang dimaksud dengan:
1. Daerah adalah Kota Tangerang Selatan.
2. Pemerintah Daerah adalah Wali Kota sebagai unsur penyelenggara Pemerintahan Daerah yang memimpin pelaksanaan urusan pemerintahan yang menjadi kewenangan daerah otonom.
3. Wali Kota adalah Wali Kota Tangerang Selatan.
4. Ruang Terbuka Hijau yang selanjutnya disingkat RTH adalah area memanjang atau mengelompok yang penggunaannya lebih bersifat terbuka, tempat tumbuh tanaman, baik yang tumbuh secara alamiah maupun yang sengaja ditanam.
5. Taman Kota adalah RTH yang dirancang untuk rekreasi, interaksi sosial, dan estetika kota.
BAB II
ASAS DAN TUJUAN
Pasal 2
Penyelenggaraan RTH berasaskan:
a. keberlanjutan;
b. keterpaduan;
c. keadilan; dan
d. partisipasi masyarakat.
Pasal 3
Penyelenggaraan RTH bertujuan untuk:
a. menjaga ketersediaan lahan sebagai kawasan resapan air;
b. Dihapus.
c. meningkatkan keserasian lingkungan perkotaan sebagai sarana pengaman lingkungan yang aman, nyaman, segar, dan bersih.
BAB III
PENYEDIAAN RUANG TERBUKA HIJAU
Bagian Kesatu
Umum
Pasal 4
(1) Pemerintah Daerah menyediakan RTH publik paling sedikit 20% (dua puluh persen) dari luas wilayah Daerah.
(2) Penyediaan RTH sebagaimana dimaksud pada ayat (1) dilaksanakan setiap tahun sesuai dengan rencana tata ruang wilayah.
Pasal 5
(1) Setiap pengembang perumahan wajib menyediakan RTH privat dan RTH publik di dalam kawasan yang dikembangkannya.
(2) Kewajiban sebagaimana dimaksud pada ayat (1) meliputi:
  a. penyediaan lahan;
  b. penanaman pohon pelindung, yang terdiri atas:
    1. pohon peneduh jalan; dan
    2. pohon penyerap polutan; dan
  c. penyerahan RTH publik kepada Pemerintah Daerah.
Bagian Kesatu A
Rencana Penyediaan
Pasal 5A
Pemerintah Daerah menyusun rencana penyediaan RTH publik untuk jangka waktu 5 (lima) tahun.
Bagian Kedua
Jenis Ruang Terbuka Hijau
Paragraf 1
Ruang Terbuka Hijau Publik
Pasal 6
RTH publik meliputi taman kota, taman kecamatan, taman kelurahan, jalur hijau jalan, dan hutan kota.
Pasal 7
Pengelolaan RTH publik dilaksanakan oleh Perangkat Daerah yang membidangi urusan lingkungan hidup bersama masing-masing camat.
Pasal 7A
Perangkat Daerah sebagaimana dimaksud dalam Pasal 7 menyusun rencana pemeliharaan RTH publik setiap tahun.
Paragraf 2
Ruang Terbuka Hijau Privat
Pasal 8
RTH privat meliputi pekarangan rumah, halaman perkantoran, dan taman di atas bangunan.
Paragraf 3
Ruang Terbuka Hijau Tematik
Pasal 8A
RTH tematik meliputi taman bermain anak, taman lansia, dan taman hewan peliharaan.
BAB IV
PEMANFAATAN DAN PEMELIHARAAN
Pasal 9
(1) RTH publik dapat dimanfaatkan untuk kegiatan:
  a. olahraga;
  b. rekreasi keluarga; dan
  c. kegiatan sosial budaya.
(1a) Pemanfaatan RTH publik untuk kegiatan sebagaimana dimaksud pada ayat (1) tidak dipungut biaya.
(2) Pemanfaatan RTH sebagaimana dimaksud pada ayat (1) tidak boleh mengubah fungsi RTH.
Pasal 10
Setiap orang dilarang:
a. menebang pohon di RTH publik tanpa izin;
a1. memetik bunga dan merusak tanaman di Taman Kota;
b. membuang sampah di RTH; dan
c. mendirikan bangunan permanen di RTH publik.
Pasal 11
Pemeliharaan RTH publik meliputi penyiraman, pemangkasan, pemupukan, penggantian tanaman yang mati, dan perbaikan sarana taman.
Pasal 12
(1) Masyarakat dapat berperan serta dalam pemeliharaan RTH.
(2) Peran serta sebagaimana dimaksud pada ayat (1) dapat berupa:
  a. adopsi taman;
  b. pemberian masukan; dan
  c. pelaporan kerusakan.
(3) Pelaporan kerusakan sebagaimana dimaksud pada ayat (2) huruf c dapat disampaikan secara elektronik.
BAB V
PEMBINAAN DAN PENGAWASAN
Pasal 13
Wali Kota melakukan pembinaan dan pengawasan atas penyelenggaraan RTH.
Pasal 14
Dihapus.
Pasal 15
(1) Setiap orang yang melanggar ketentuan sebagaimana dimaksud dalam Pasal 10 dikenai sanksi administratif.
(2) Sanksi administratif sebagaimana dimaksud pada ayat (1) berupa:
  a. teguran tertulis;
  b. penghentian sementara kegiatan; dan/atau
  c. denda administratif paling banyak Rp5.000.000,00 (lima juta rupiah).
Pasal 16
Ketentuan lebih lanjut mengenai tata cara pengenaan sanksi administratif diatur dengan Peraturan Wali Kota.
BAB VA
SISTEM INFORMASI RUANG TERBUKA HIJAU
Pasal 16A
Pemerintah Daerah menyelenggarakan sistem informasi RTH yang dapat diakses oleh masyarakat.
BAB VI
PENDANAAN
Pasal 17
Pendanaan penyelenggaraan RTH bersumber dari:
a. anggaran pendapatan dan belanja daerah; dan
b. sumber lain yang sah dan tidak mengikat.
BAB VII
KETENTUAN PIDANA
Pasal 18
(1) Setiap orang yang melanggar ketentuan sebagaimana dimaksud dalam Pasal 10 huruf a diancam pidana kurungan paling lama 3 (tiga) bulan atau pidana denda paling banyak Rp50.000.000,00 (lima puluh juta rupiah).
(2) Dihapus.
BAB VIII
KETENTUAN PERALIHAN
Pasal 19
Izin pemanfaatan RTH yang telah diterbitkan sebelum Peraturan Daerah ini mulai berlaku, dinyatakan tetap berlaku sampai dengan berakhirnya masa berlaku izin.
Pasal 20
Pengembang yang belum menyerahkan RTH publik wajib menyerahkannya paling lama 2 (dua) tahun sejak Peraturan Daerah ini diundangkan.
BAB IX
KETENTUAN PENUTUP
Pasal 21
Peraturan pelaksanaan Peraturan Daerah ini ditetapkan paling lama 1 (satu) tahun terhitung sejak Peraturan Daerah ini diundangkan.
Pasal 22
Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.
"""


def node(kind, uid, text="", heading="", children=()):
    return {"uid": uid, "kind": kind, "heading": heading, "text": text, "penjelasan": "", "role": "",
            "children": list(children)}


def structural_change_set(snapshot: dict) -> dict:
    """The Pasal/ayat/huruf changes of the first hand-written Pasal I, plus a new Bagian between two Bagian, a
    new Paragraf after the last one of its Bagian and a new BAB between two BAB, each with its own Pasal."""
    draft = _draft_change_set(snapshot)
    labels = number_tree(draft)
    by = {labels[n["uid"]].citation: n for n, _p in iter_nodes(draft["body"])}
    by["BAB III"]["children"].insert(1, node(
        "bagian", "00000000-0000-0000-0000-0000000b01a0", heading="Rencana Penyediaan", children=[node(
            "pasal", "00000000-0000-0000-0000-00000000005a",
            "Pemerintah Daerah menyusun rencana penyediaan RTH publik untuk jangka waktu 5 (lima) tahun.")]))
    by["Bagian Kedua"]["children"].append(node(
        "paragraf", "00000000-0000-0000-0000-000000000003", heading="Ruang Terbuka Hijau Tematik", children=[node(
            "pasal", "00000000-0000-0000-0000-00000000008a",
            "RTH tematik meliputi taman bermain anak, taman lansia, dan taman hewan peliharaan.")]))
    bab5 = next(i for i, n in enumerate(draft["body"]) if n["uid"] == by["BAB V"]["uid"])
    draft["body"].insert(bab5 + 1, node(
        "bab", "00000000-0000-0000-0000-0000000005a0", heading="SISTEM INFORMASI RUANG TERBUKA HIJAU", children=[
            node("pasal", "00000000-0000-0000-0000-000000016a00",
                 "Pemerintah Daerah menyelenggarakan sistem informasi RTH yang dapat diakses oleh masyarakat.")]))
    return draft


def instructions_text(instructions: list[dict]) -> str:
    out = []
    for ins in instructions:
        out.append(f"{ins['num']}. {ins['instruction']}")
        if ins["text"]:
            out.append(ins["text"])
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def base():
    return parse_regulation(BASE_TEXT)


@pytest.fixture(scope="module")
def drafted(base):
    snap = _base_snapshot(base)
    return pasal_i(snap, structural_change_set(copy.deepcopy(snap)))


def test_pasal_i_for_new_bab_bagian_and_paragraf_matches_the_hand_written_one(drafted):
    assert instructions_text(drafted) == EXPECTED_INSTRUCTIONS
    new_parts = {i["target"]: (i["op"], i.get("after")) for i in drafted}
    assert new_parts["Bagian Kesatu A"] == ("sisip", "Pasal 5")
    assert new_parts["Paragraf 3"] == ("tambah", "Pasal 8")
    assert new_parts["BAB VA"] == ("sisip", "BAB V")


def test_drafted_pasal_i_consolidates_to_the_expected_body(base, drafted):
    result = consolidate(base["body"], [{"label": "L", "date": "2027-01-01", "instructions": drafted}])
    assert body_text(result["body"]) == EXPECTED_BODY
    bab3 = next(b for b in result["body"] if b["num"] == "III")
    assert [(c["type"], c["num"]) for c in bab3["children"]] == [
        ("bagian", "Kesatu"), ("bagian", "Kesatu A"), ("bagian", "Kedua")]
    bagian2 = bab3["children"][2]
    assert [c["num"] for c in bagian2["children"]] == ["1", "2", "3"]
    assert [h["note"] for h in bagian2["children"][2]["history"]] == ["ditambahkan dengan L"]


def test_importer_reads_the_new_parts_back_and_consolidates_alike(base, drafted):
    read = parse_instructions(("Beberapa ketentuan … diubah sebagai berikut:\n" + EXPECTED_INSTRUCTIONS).splitlines())
    assert [(i["op"], i["target"]) for i in read] == [(i["op"], i["target"]) for i in drafted]
    assert [i.get("after") for i in read if i["target"] in ("Bagian Kesatu A", "Paragraf 3", "BAB VA")] == [
        "Pasal 5", "Pasal 8", "BAB V"]
    bagian = next(i for i in read if i["target"] == "Bagian Kesatu A")["nodes"][0]
    assert (bagian["type"], bagian["num"], bagian["heading"]) == ("bagian", "Kesatu A", "Rencana Penyediaan")
    result = consolidate(base["body"], [{"label": "L", "date": "2027-01-01", "instructions": read}])
    assert body_text(result["body"]) == EXPECTED_BODY


# --- the same change set made in the editor, with a Lampiran replaced ---------------------------------------

LAMPIRAN_INSTRUCTION = ("14. Lampiran I diubah sehingga menjadi sebagaimana tercantum dalam Lampiran yang merupakan "
                        "bagian tidak terpisahkan dari Peraturan Daerah ini.\n")
OPENING = ("Beberapa ketentuan dalam Peraturan Daerah Kota Tangerang Selatan Nomor 7 Tahun 2024 tentang "
           "Penyelenggaraan Ruang Terbuka Hijau dan Taman Kota (Lembaran Daerah Kota Tangerang Selatan Tahun 2024 "
           "Nomor 7, Tambahan Lembaran Daerah Kota Tangerang Selatan Nomor 7) diubah sebagai berikut:")


def _edit_in_editor(reg, actor, base_snapshot):
    """The whole change set through the editor's services, as a drafter makes it."""
    from perda.amendments.services import amendment_lampiran_save
    from perda.models import Provision
    from perda.services import editor as svc

    labels = number_tree(base_snapshot)
    by = {labels[u].citation: Provision.objects.get(regulation=reg, uid=u) for u in labels}
    edit_change_set_in_editor(actor=actor, reg=reg, by=by)
    bagian = svc.provision_add(actor=actor, regulation=reg, kind="bagian", parent=by["BAB III"], position=1,
                               heading="Rencana Penyediaan")
    svc.provision_add(actor=actor, regulation=reg, kind="pasal", parent=bagian,
                      text="Pemerintah Daerah menyusun rencana penyediaan RTH publik untuk jangka waktu 5 (lima) tahun.")
    paragraf = svc.provision_add(actor=actor, regulation=reg, kind="paragraf", parent=by["Bagian Kedua"],
                                 heading="Ruang Terbuka Hijau Tematik")
    svc.provision_add(actor=actor, regulation=reg, kind="pasal", parent=paragraf,
                      text="RTH tematik meliputi taman bermain anak, taman lansia, dan taman hewan peliharaan.")
    bab = svc.provision_add(actor=actor, regulation=reg, kind="bab", position=5,
                            heading="SISTEM INFORMASI RUANG TERBUKA HIJAU")
    svc.provision_add(actor=actor, regulation=reg, kind="pasal", parent=bab,
                      text="Pemerintah Daerah menyelenggarakan sistem informasi RTH yang dapat diakses oleh "
                           "masyarakat.")
    amendment_lampiran_save(actor=actor, regulation=reg, op="ubah", target="Lampiran I",
                            title="Daftar Taman Kota",
                            text="1. Taman Kota Serpong.\n2. Taman Kota Pamulang.\n3. Taman Kota Ciputat.")


def test_editor_draft_writes_pasal_i_pdf_akn_and_consolidates(people, jdih_base):
    import io
    import re

    from pypdf import PdfReader

    from perda.amendments.render import pasal_i_lines
    from perda.amendments.selectors import consolidated
    from perda.amendments.services import amendment_start
    from perda.render.akn import akn_errors, render_akn
    from perda.render.pdf import snapshot_pdf
    from perda.snapshot import snapshot_build
    from tests.perda.test_amendments import _enact
    import datetime as dt

    reg = amendment_start(actor=people.kabag, base=jdih_base)
    _edit_in_editor(reg, people.kabag, jdih_base.enacted_version.snapshot)
    snap = snapshot_build(reg)
    assert "\n".join(pasal_i_lines(snap)) + "\n" == (
        f"Pasal I\n{OPENING}\n{EXPECTED_INSTRUCTIONS}{LAMPIRAN_INSTRUCTION}"
        "Pasal II\nPeraturan Daerah ini mulai berlaku pada tanggal diundangkan.\n")

    xml = render_akn(snap)
    assert akn_errors(xml) == []
    text = xml.decode()
    work = "/akn/id/act/perda/kota-tangerang-selatan/2024-03-12/7"
    assert f'<destination href="{work}/!lampiran_i"/>' in text and '<new href="#att_2"/>' in text
    # a new part is placed after the base provision before it; it is not a provision of the base
    assert f'<destination href="{work}/!main#chp_v" pos="after"/>' in text and "#chp_va" not in text
    assert f'<destination href="{work}/!main#art_5" pos="after"/>' in text
    assert '<doc name="lampiran">' in text and "Daftar Taman Kota" in text
    assert text.count("<textualMod ") == 14

    pdf_text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(snapshot_pdf(snap))).pages).split())
    for sentence in ("Di antara Pasal 5 dan Pasal 6 disisipkan 1 (satu) bagian, yakni Bagian Kesatu A sehingga "
                     "berbunyi sebagai berikut:",
                     "Setelah Pasal 8 ditambahkan 1 (satu) paragraf, yakni Paragraf 3 sehingga berbunyi sebagai "
                     "berikut:",
                     "Di antara BAB V dan BAB VI disisipkan 1 (satu) bab, yakni BAB VA sehingga berbunyi sebagai "
                     "berikut:",
                     LAMPIRAN_INSTRUCTION[4:].strip(), "Pasal 14 dihapus.", "DAFTAR TAMAN KOTA"):
        assert sentence in pdf_text, sentence
    assert re.search(r"LAMPIRAN PERATURAN DAERAH KOTA TANGERANG SELATAN NOMOR", pdf_text)

    _enact(reg, number=9, year=2026, enacted=dt.date(2026, 6, 1), promulgated=dt.date(2026, 6, 2))
    after = consolidated(jdih_base, dt.date(2026, 6, 2))
    assert body_text(after["import_body"]) == EXPECTED_BODY
    assert [(n["target"], n["note"], n["lampiran"]["title"]) for n in after["notes"]] == [
        ("Lampiran I", "diubah dengan Peraturan Daerah Kota Tangerang Selatan Nomor 9 Tahun 2026",
         "Daftar Taman Kota")]


def test_editor_page_states_lampiran_changes_and_shows_pasal_i(client, people, jdih_base):
    from django.urls import reverse

    from perda.amendments.services import amendment_start
    from workflows.models import AuditEvent

    reg = amendment_start(actor=people.kabag, base=jdih_base)
    client.force_login(people.kabag)
    url = reverse("perda:editor_action", args=[reg.pk])
    # Bad input: the message in Indonesian, the typed words kept, nothing written.
    bad = client.post(url, {"op": "lampiran_save", "change": "ubah", "lampiran": "Lampiran 2", "title": "Daftar Taman",
                            "text": "1. Taman Kota Serpong."})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "angka Romawi" in page and 'value="Lampiran 2"' in page and "1. Taman Kota Serpong." in page
    reg.amendment.refresh_from_db()
    assert reg.amendment.lampiran == []
    r = client.post(url, {"op": "lampiran_save", "change": "hapus", "lampiran": "II"})
    assert r.status_code == 302
    page = client.get(reverse("perda:editor", args=[reg.pk])).content.decode()
    assert "1.</span> Lampiran II dihapus." in page
    reg.amendment.refresh_from_db()
    uid = reg.amendment.lampiran[0]["uid"]
    assert AuditEvent.objects.filter(action="perda.amendment.lampiran").count() == 1
    client.post(url, {"op": "lampiran_remove", "target": uid})
    reg.amendment.refresh_from_db()
    assert reg.amendment.lampiran == []
    # Someone who may not draft it is refused and nothing changes.
    client.force_login(people.outsider)
    assert client.post(url, {"op": "lampiran_save", "change": "hapus", "lampiran": "I"}).status_code == 403
    reg.amendment.refresh_from_db()
    assert reg.amendment.lampiran == []


def test_importer_reads_lampiran_and_addition_forms():
    """The forms Pamong writes for Lampiran, and additions after the last part, read from an imported text."""
    read = parse_instructions([
        "Beberapa ketentuan … diubah sebagai berikut:",
        "1. Setelah Pasal 22 ditambahkan 2 (dua) pasal, yakni Pasal 23 dan Pasal 24 sehingga berbunyi sebagai "
        "berikut:", "Pasal 23", "Teks pertama.", "Pasal 24", "Teks kedua.",
        "2. Di antara Pasal 7 dan Pasal 8 disisipkan 1 (satu) bagian, yakni Bagian Kedua A sehingga berbunyi "
        "sebagai berikut:", "Bagian Kedua A", "Pengawasan Taman", "Pasal 7A", "Teks ketiga.",
        "3. Lampiran I diubah sehingga menjadi sebagaimana tercantum dalam Lampiran I yang merupakan bagian tidak "
        "terpisahkan dari Peraturan Daerah ini.",
        "4. Lampiran II dihapus.",
        "5. Setelah Lampiran II ditambahkan 1 (satu) lampiran, yakni Lampiran III sebagaimana tercantum dalam "
        "Lampiran II yang merupakan bagian tidak terpisahkan dari Peraturan Daerah ini.",
    ])
    assert [(i["op"], i.get("targets") or i["target"], i.get("after")) for i in read] == [
        ("tambah", ["Pasal 23", "Pasal 24"], "Pasal 22"),
        ("sisip", "Bagian Kedua A", "Pasal 7"),
        ("ubah", "Lampiran I", None),
        ("hapus", "Lampiran II", None),
        ("tambah", "Lampiran III", "Lampiran II"),
    ]
    assert [(n["type"], n["num"]) for n in read[1]["nodes"]] == [("bagian", "Kedua A")]
    assert [(n["type"], n["num"]) for n in read[1]["nodes"][0]["children"]] == [("pasal", "7A")]


def test_lampiran_instructions_number_the_drafts_own_lampiran_when_several():
    from perda.amendments.lampiran import lampiran_instructions

    entries = [{"uid": "b", "op": "tambah", "target": "III", "title": "Peta", "text": "…"},
               {"uid": "a", "op": "ubah", "target": "I", "title": "Daftar", "text": "…"},
               {"uid": "c", "op": "hapus", "target": "II", "title": "", "text": ""}]
    got = lampiran_instructions(entries, jenis="Peraturan Wali Kota", start=4)
    assert [(i["num"], i["instruction"]) for i in got] == [
        (4, "Lampiran I diubah sehingga menjadi sebagaimana tercantum dalam Lampiran I yang merupakan bagian tidak "
            "terpisahkan dari Peraturan Wali Kota ini."),
        (5, "Lampiran II dihapus."),
        (6, "Setelah Lampiran II ditambahkan 1 (satu) lampiran, yakni Lampiran III sebagaimana tercantum dalam "
            "Lampiran II yang merupakan bagian tidak terpisahkan dari Peraturan Wali Kota ini."),
    ]
    read = parse_instructions(["Beberapa …:"] + [f"{i['num'] - 3}. {i['instruction']}" for i in got])
    assert [(i["op"], i["target"]) for i in read] == [(i["op"], i["target"]) for i in got]
