import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from perda.checks import ChecksFailed, run_checks
from perda.models import Konsiderans, Provision, Regulation, Version
from perda.numbering import number_tree, render_refs
from perda.samples import sample_fill
from perda.services import editor as ed
from perda.services.versions import version_freeze, version_verify
from perda.snapshot import snapshot_build, snapshot_sha256
from tests.factories import OrgUnitFactory, UserFactory
from workflows.models import AuditEvent

from .doc_factories import RegulationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg():
    return RegulationFactory()


@pytest.fixture
def actor(reg):
    return reg.drafter


def labels_of(reg):
    return number_tree(snapshot_build(reg))


def test_regulation_create_requires_propemperda_or_reason():
    user = UserFactory(is_superuser=True)
    unit = OrgUnitFactory()
    with pytest.raises(ValidationError) as exc:
        ed.regulation_create(actor=user, kind="perda", title="Kota Cerdas", pemrakarsa=unit, drafter=user)
    assert "outside_propemperda_reason" in exc.value.message_dict
    assert not Regulation.objects.exists()
    reg = ed.regulation_create(actor=user, kind="perda", title="tentang Kota Cerdas.", pemrakarsa=unit,
                               drafter=user, outside_propemperda_reason="Perintah peraturan yang lebih tinggi")
    assert reg.title == "Kota Cerdas"
    assert AuditEvent.objects.filter(action="perda.regulation.create", object_id=str(reg.pk)).exists()


def test_check_constraint_backs_the_clean_rule(reg):
    with pytest.raises(IntegrityError), transaction.atomic():
        Regulation.objects.filter(pk=reg.pk).update(propemperda_year=None, outside_propemperda_reason="")


def test_evaluasi_kind_only_for_perda():
    user = UserFactory(is_superuser=True)
    with pytest.raises(ValidationError):
        ed.regulation_create(actor=user, kind="perwali", title="Tarif", pemrakarsa=OrgUnitFactory(), drafter=user,
                             propemperda_year=2026, evaluasi_kind="pajak")


def test_naskah_akademik_sniffed(reg, actor):
    fake = SimpleUploadedFile("naskah.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        ed.naskah_akademik_attach(actor=actor, regulation=reg, upload=fake)
    pdf = SimpleUploadedFile("Naskah Akademik.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF",
                             content_type="application/pdf")
    ed.naskah_akademik_attach(actor=actor, regulation=reg, upload=pdf)
    reg.refresh_from_db()
    assert reg.naskah_akademik.name.endswith(".pdf")
    assert reg.naskah_akademik_name == "Naskah Akademik.pdf"
    import io
    import zipfile

    def zipped(names):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for n in names:
                z.writestr(n, "<x/>")
        return buf.getvalue()

    with pytest.raises(ValidationError):  # a plain zip is not a DOCX
        ed.naskah_akademik_attach(actor=actor, regulation=reg,
                                  upload=SimpleUploadedFile("na.docx", zipped(["evil.txt"])))
    docx = zipped(["[Content_Types].xml", "_rels/.rels", "word/document.xml"])
    ed.naskah_akademik_attach(actor=actor, regulation=reg, upload=SimpleUploadedFile("NA revisi.docx", docx))
    reg.refresh_from_db()
    assert reg.naskah_akademik.name.endswith(".docx") and reg.naskah_akademik_name == "NA revisi.docx"


def test_insert_pasal_before_pasal_3_renumbers_it_and_every_reference(reg, actor):
    bab = ed.provision_add(actor=actor, regulation=reg, kind="bab", heading="KETENTUAN UMUM")
    p1 = ed.provision_add(actor=actor, regulation=reg, kind="pasal", parent=bab, text="Satu.")
    p2 = ed.provision_add(actor=actor, regulation=reg, kind="pasal", parent=bab, text="Dua.")
    p3 = ed.provision_add(actor=actor, regulation=reg, kind="pasal", parent=bab)
    ed.provision_add(actor=actor, regulation=reg, kind="ayat", parent=p3, text="Ayat satu.")
    a2 = ed.provision_add(actor=actor, regulation=reg, kind="ayat", parent=p3, text="Ayat dua meliputi:")
    ed.provision_add(actor=actor, regulation=reg, kind="huruf", parent=a2, text="satu;")
    hb = ed.provision_add(actor=actor, regulation=reg, kind="huruf", parent=a2, text="dua.")
    ed.reference_insert(actor=actor, provision=p1, target=p3, prefix="sebagaimana dimaksud dalam ")
    ed.reference_insert(actor=actor, provision=p2, target=hb)
    labels = labels_of(reg)
    assert labels[str(p3.uid)].label == "Pasal 3"
    p1.refresh_from_db(); p2.refresh_from_db()
    assert render_refs(p1.text, labels, str(p1.uid)).endswith("sebagaimana dimaksud dalam Pasal 3")
    assert render_refs(p2.text, labels, str(p2.uid)).endswith("Pasal 3 ayat (2) huruf b")

    new = ed.provision_add(actor=actor, regulation=reg, kind="pasal", parent=bab, position=2, text="Sisipan.")
    labels = labels_of(reg)
    assert labels[str(new.uid)].label == "Pasal 3"
    assert labels[str(p3.uid)].label == "Pasal 4"
    assert render_refs(p1.text, labels, str(p1.uid)).endswith("sebagaimana dimaksud dalam Pasal 4")
    assert render_refs(p2.text, labels, str(p2.uid)).endswith("Pasal 4 ayat (2) huruf b")


def test_reference_within_same_pasal_is_relative(reg, actor):
    p = ed.provision_add(actor=actor, regulation=reg, kind="pasal")
    a1 = ed.provision_add(actor=actor, regulation=reg, kind="ayat", parent=p, text="Pertama.")
    a2 = ed.provision_add(actor=actor, regulation=reg, kind="ayat", parent=p, text="Kedua")
    ed.reference_insert(actor=actor, provision=a2, target=a1, prefix="sebagaimana dimaksud pada ")
    a2.refresh_from_db()
    assert render_refs(a2.text, labels_of(reg), str(a2.uid)) == "Kedua sebagaimana dimaksud pada ayat (1)"


def test_moving_a_bagian_renames_the_ordinals(reg, actor):
    bab = ed.provision_add(actor=actor, regulation=reg, kind="bab", heading="PELAYANAN")
    bagians = [ed.provision_add(actor=actor, regulation=reg, kind="bagian", parent=bab, heading=h)
               for h in ("Umum", "Data", "Layanan")]
    for b in bagians:
        ed.provision_add(actor=actor, regulation=reg, kind="pasal", parent=b, text=f"Isi {b.heading}.")
    labels = labels_of(reg)
    assert [labels[str(b.uid)].label for b in bagians] == ["Bagian Kesatu", "Bagian Kedua", "Bagian Ketiga"]
    ed.provision_move(actor=actor, provision=bagians[2], direction="up")
    ed.provision_move(actor=actor, provision=bagians[2], direction="up")
    labels = labels_of(reg)
    assert [labels[str(b.uid)].label for b in bagians] == ["Bagian Kedua", "Bagian Ketiga", "Bagian Kesatu"]
    # Pasal follow their Bagian: the Pasal of "Layanan" is now Pasal 1.
    snap = snapshot_build(reg)
    first_pasal = snap["body"][0]["children"][0]["children"][0]
    assert first_pasal["text"] == "Isi Layanan." and labels[first_pasal["uid"]].label == "Pasal 1"


def test_move_to_another_parent_and_refuse_bad_nesting(reg, actor):
    bab1 = ed.provision_add(actor=actor, regulation=reg, kind="bab", heading="SATU")
    bab2 = ed.provision_add(actor=actor, regulation=reg, kind="bab", heading="DUA")
    p = ed.provision_add(actor=actor, regulation=reg, kind="pasal", parent=bab1, text="x")
    ed.provision_add(actor=actor, regulation=reg, kind="pasal", parent=bab2, text="y")
    ed.provision_move(actor=actor, provision=p, parent=bab2, position=1)
    p.refresh_from_db()
    assert p.parent_id == bab2.pk and labels_of(reg)[str(p.uid)].label == "Pasal 2"
    with pytest.raises(ValidationError):
        ed.provision_add(actor=actor, regulation=reg, kind="ayat", parent=bab1, text="z")
    with pytest.raises(ValidationError):
        ed.provision_move(actor=actor, provision=bab2, parent=p)


def test_list_punctuation_follows_lampiran_ii(reg, actor):
    p = ed.provision_add(actor=actor, regulation=reg, kind="pasal", text="Meliputi:")
    a = ed.provision_add(actor=actor, regulation=reg, kind="huruf", parent=p, text="x:")
    one = ed.provision_add(actor=actor, regulation=reg, kind="angka", parent=a, text="y:")
    a_paren = ed.provision_add(actor=actor, regulation=reg, kind="huruf", parent=one, text="z:")
    one_paren = ed.provision_add(actor=actor, regulation=reg, kind="angka", parent=a_paren, text="w.")
    labels = labels_of(reg)
    assert [labels[str(n.uid)].label for n in (a, one, a_paren, one_paren)] == ["a.", "1.", "a)", "1)"]
    assert labels[str(one_paren.uid)].citation == "Pasal 1 huruf a angka 1 huruf a angka 1"


def test_remove_provision_keeps_history_and_flags_references(reg, actor):
    sample_fill(regulation=reg, actor=actor, pasal_count=6)
    v1 = version_freeze(regulation=reg, label="Pengajuan", actor=actor)
    snap = snapshot_build(reg)
    # The sample's second materi Pasal refers to an ayat's huruf b; remove the Pasal holding it.
    referenced = next(n for n in Provision.objects.live().filter(regulation=reg) if "[[ref:" in n.text)
    target_uid = referenced.text.split("[[ref:")[1].split("]]")[0]
    target = Provision.objects.get(uid=target_uid)
    ed.provision_remove(actor=actor, provision=target.parent.parent)  # the Pasal
    assert Provision.objects.filter(pk=target.pk, removed_at__isnull=False).exists()
    problems = run_checks(snapshot_build(reg))
    assert any(p.code == "ref_missing" and p.uid == str(referenced.uid) for p in problems)
    with pytest.raises(ChecksFailed) as exc:
        version_freeze(regulation=reg, label="Lagi", actor=actor)
    assert "dihapus" in str(exc.value)
    # The frozen version still holds the removed provision.
    assert target_uid in str(Version.objects.get(pk=v1.pk).snapshot)
    assert snap != snapshot_build(reg)


def test_konsiderans_points_move_and_remove(reg, actor):
    a = ed.konsiderans_add(actor=actor, regulation=reg, text="bahwa satu;")
    b = ed.konsiderans_add(actor=actor, regulation=reg, text="bahwa dua;")
    c = ed.konsiderans_add(actor=actor, regulation=reg, text="bahwa nol;", position=0)
    assert [k["text"] for k in snapshot_build(reg)["konsiderans"]] == ["bahwa nol;", "bahwa satu;", "bahwa dua;"]
    ed.konsiderans_move(actor=actor, konsiderans=b, direction="up")
    ed.konsiderans_remove(actor=actor, konsiderans=c)
    ed.konsiderans_edit(actor=actor, konsiderans=a, text="bahwa satu diubah;")
    assert [k["text"] for k in snapshot_build(reg)["konsiderans"]] == ["bahwa dua;", "bahwa satu diubah;"]
    assert Konsiderans.objects.filter(pk=c.pk, removed_at__isnull=False).exists()


def test_dasar_hukum_placed_by_hierarchy(reg, actor):
    import datetime as dt
    ed.dasar_hukum_add(actor=actor, regulation=reg, text="Perpres;", rank=5)
    ed.dasar_hukum_add(actor=actor, regulation=reg, text="UU 2014;", rank=3, enacted_on=dt.date(2014, 10, 2))
    ed.dasar_hukum_add(actor=actor, regulation=reg, text="UUD;", rank=1)
    ed.dasar_hukum_add(actor=actor, regulation=reg, text="UU 2008;", rank=3, enacted_on=dt.date(2008, 11, 26))
    assert [d["text"] for d in snapshot_build(reg)["dasar_hukum"]] == ["UUD;", "UU 2008;", "UU 2014;", "Perpres;"]


def test_version_is_immutable_and_hashed(reg, actor):
    sample_fill(regulation=reg, actor=actor, pasal_count=4)
    v = version_freeze(regulation=reg, label="Pengajuan ke Bagian Hukum", actor=actor)
    assert v.seq == 1 and len(v.sha256) == 64
    assert v.sha256 == snapshot_sha256(snapshot_build(reg))
    fresh = Version.objects.get(pk=v.pk)
    assert version_verify(fresh)
    fresh.label = "diubah"
    with pytest.raises(ValidationError):
        fresh.save()
    with pytest.raises(ValidationError):
        Version.objects.filter(pk=v.pk).update(label="diubah")
    with pytest.raises(ValidationError):
        fresh.delete()
    # The database refuses too, even when the ORM guard is bypassed.
    from django.db import connection
    with pytest.raises(Exception), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("UPDATE perda_version SET label = 'x' WHERE id = %s", [v.pk])
    assert Version.objects.get(pk=v.pk).label == "Pengajuan ke Bagian Hukum"
    # A tampered snapshot no longer verifies.
    fresh.snapshot["body"][0]["heading"] = "LAIN"
    assert not version_verify(fresh)
    v2 = version_freeze(regulation=reg, label="Hasil harmonisasi", actor=actor)
    assert v2.seq == 2 and v2.sha256 == v.sha256


def test_text_is_frozen_while_an_outside_party_reviews_it():
    from perda.services import formation as fsvc
    from tests.perda.formation_support import make_draft, make_people

    people = make_people()
    reg = make_draft(people, pasal_count=3)
    f = fsvc.formation_start(regulation=reg, actor=people.kabag)
    fsvc.formation_start_drafting(formation=f, actor=people.kabag)
    ed.konsiderans_add(actor=people.pemrakarsa, regulation=reg, text="bahwa masih boleh;")  # penyusunan
    fsvc.formation_submit(formation=f, actor=people.pemrakarsa)  # → harmonisasi
    with pytest.raises(ValidationError) as exc:
        ed.konsiderans_add(actor=people.pemrakarsa, regulation=reg, text="bahwa tidak boleh;")
    assert "tidak dapat diubah" in " ".join(exc.value.messages)
    assert not Konsiderans.objects.filter(text="bahwa tidak boleh;").exists()


def test_control_characters_are_dropped_so_xml_and_pdf_stay_valid(reg, actor):
    from perda.render.akn import akn_errors, render_akn

    p = ed.provision_add(actor=actor, regulation=reg, kind="pasal", text="Teks\x00 dengan\x1b kendali.\r\nBaris dua.")
    assert p.text == "Teks dengan kendali.\nBaris dua."
    assert akn_errors(render_akn(snapshot_build(reg))) == []


def test_naskah_akademik_size_limit(reg, actor, monkeypatch):
    monkeypatch.setattr(ed, "NASKAH_MAX_BYTES", 100)
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * 200)
    with pytest.raises(ValidationError) as exc:
        ed.naskah_akademik_attach(actor=actor, regulation=reg, upload=big)
    assert "terlalu besar" in " ".join(exc.value.messages)


def test_reference_after_a_typed_citation_phrase_is_not_doubled(reg, actor):
    """A drafter who typed "sebagaimana dimaksud dalam" gets only the reference, not the phrase twice."""
    p1 = ed.provision_add(actor=actor, regulation=reg, kind="pasal", text="Satu.")
    p2 = ed.provision_add(actor=actor, regulation=reg, kind="pasal", text="Rencana sebagaimana dimaksud dalam")
    p3 = ed.provision_add(actor=actor, regulation=reg, kind="pasal", text="Data sebagaimana dimaksud pada  dikelola.")
    ed.reference_insert(actor=actor, provision=p2, target=p1)
    ed.reference_insert(actor=actor, provision=p3, target=p1, at=len("Data sebagaimana dimaksud pada "))
    labels = labels_of(reg)
    p2.refresh_from_db(); p3.refresh_from_db()
    assert render_refs(p2.text, labels, str(p2.uid)) == "Rencana sebagaimana dimaksud dalam Pasal 1"
    assert render_refs(p3.text, labels, str(p3.uid)) == "Data sebagaimana dimaksud pada Pasal 1 dikelola."
