import pytest
from django.urls import reverse

from perda.models import Konsiderans, Provision
from perda.samples import sample_fill
from perda.services.versions import version_freeze
from tests.factories import UserFactory
from workflows.models import AuditEvent

from .doc_factories import RegulationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="perda-admin", is_superuser=True, is_staff=True)
    client.force_login(user)
    client.user = user
    return client


def _filled(n):
    reg = RegulationFactory()
    sample_fill(regulation=reg, pasal_count=n, bulk=True)
    return reg


@pytest.mark.parametrize("pasal", [10, 300])
def test_editor_query_count_does_not_grow(admin_client, django_assert_max_num_queries, pasal):
    reg = _filled(pasal)
    with django_assert_max_num_queries(20):
        response = admin_client.get(reverse("perda:editor", args=[reg.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert f">Pasal {pasal}<" in body
    assert "BAB I" in body and "KETENTUAN PENUTUP" in body


def test_editor_adds_edits_and_shows_checks(admin_client):
    reg = _filled(4)
    url = reverse("perda:editor_action", args=[reg.pk])
    pasal2 = Provision.objects.live().filter(regulation=reg, kind="pasal").order_by("id")[1]
    r = admin_client.post(url, {"op": "add", "target": str(pasal2.uid), "kind": "after:pasal",
                                "text": "Pasal sisipan baru."})
    assert r.status_code == 302
    new = Provision.objects.get(regulation=reg, text="Pasal sisipan baru.")
    assert new.parent_id == pasal2.parent_id
    page = admin_client.get(reverse("perda:editor", args=[reg.pk])).content.decode()
    assert f'id="n-{new.uid}" data-kind="pasal" data-label="Pasal 3"' in page
    # A bad konsiderans is saved but reported by the checks panel.
    admin_client.post(url, {"op": "konsiderans_add", "text": "untuk itu perlu diatur"})
    page = admin_client.get(reverse("perda:editor", args=[reg.pk])).content.decode()
    assert "harus diawali dengan kata" in page
    assert AuditEvent.objects.filter(action="perda.konsiderans.add").exists()


def test_refused_input_reshows_with_typed_text(admin_client):
    reg = _filled(3)
    bab = Provision.objects.live().filter(regulation=reg, kind="bab").first()
    r = admin_client.post(reverse("perda:editor_action", args=[reg.pk]),
                          {"op": "add", "target": str(bab.uid), "kind": "child:ayat", "text": "Teks yang saya ketik",
                           "back": "node"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "tidak dapat ditempatkan" in body and "Teks yang saya ketik" in body
    assert not Provision.objects.filter(text="Teks yang saya ketik").exists()


def test_user_without_position_is_refused(client):
    reg = _filled(3)
    client.force_login(UserFactory(username="warga"))
    r = client.post(reverse("perda:editor_action", args=[reg.pk]), {"op": "konsiderans_add", "text": "bahwa x;"})
    assert r.status_code == 403
    assert not Konsiderans.objects.filter(text="bahwa x;").exists()
    assert AuditEvent.objects.filter(action="perda.editor.denied").exists()
    assert client.get(reverse("perda:editor", args=[reg.pk])).status_code == 403


def test_preview_compare_and_akn(admin_client):
    reg = _filled(5)
    version_freeze(regulation=reg, label="Pengajuan", actor=admin_client.user)
    p = Provision.objects.live().filter(regulation=reg, kind="pasal").order_by("id")[2]
    admin_client.post(reverse("perda:editor_action", args=[reg.pk]),
                      {"op": "edit", "target": str(p.uid), "text": "Teks pasal yang diubah.", "penjelasan": ""})
    page = admin_client.get(reverse("perda:preview", args=[reg.pk])).content.decode()
    assert "DENGAN RAHMAT TUHAN YANG MAHA ESA" in page and "Teks pasal yang diubah." in page
    red = admin_client.get(reverse("perda:compare", args=[reg.pk]) + "?a=1").content.decode()
    assert "diubah" in red and "<ins>" in red
    doc = admin_client.get(reverse("perda:compare", args=[reg.pk]) + "?a=1&tampilan=dokumen").content.decode()
    assert "redline-doc" in doc and f'data-uid="{p.uid}"' in doc
    akn = admin_client.get(reverse("perda:akn", args=[reg.pk]))
    assert akn.status_code == 200 and b"<akomaNtoso" in akn.content


def test_provision_page_edits_text_and_inserts_reference(admin_client):
    reg = _filled(6)
    pasals = list(Provision.objects.live().filter(regulation=reg, kind="pasal").order_by("id"))
    page = admin_client.get(reverse("perda:provision", args=[reg.pk, pasals[-1].uid]))
    assert page.status_code == 200 and "Sisipkan rujukan ke" in page.content.decode()
    r = admin_client.post(reverse("perda:editor_action", args=[reg.pk]), {
        "op": "ref", "target": str(pasals[-1].uid), "ref_target": str(pasals[1].uid), "back": "node"})
    assert r.status_code == 302
    preview = admin_client.get(reverse("perda:preview", args=[reg.pk])).content.decode()
    assert "sebagaimana dimaksud dalam <a class=\"ref\"" in preview and "Pasal 2</a>" in preview


def test_new_draft_with_naskah_akademik_upload_and_guarded_download(admin_client, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from perda.models import Regulation
    from tests.factories import OrgUnitFactory
    from workflows.models import OrgUnitKind

    unit = OrgUnitFactory(code="dinas-lh", kind=OrgUnitKind.PERANGKAT_DAERAH)
    data = {"kind": "perda", "evaluasi_kind": "", "title": "Pengelolaan Sampah", "pemrakarsa": unit.pk,
            "propemperda_year": "", "outside_propemperda_reason": "", "penjelasan_umum": ""}
    fake = SimpleUploadedFile("na.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    r = admin_client.post(reverse("perda:regulation_new"), {**data, "naskah_akademik": fake})
    body = r.content.decode()
    assert r.status_code == 400 and "alasan" in body and 'value="Pengelolaan Sampah"' in body
    assert not Regulation.objects.exists()
    fake.seek(0)
    r = admin_client.post(reverse("perda:regulation_new"), {**data, "propemperda_year": "2026", "naskah_akademik": fake})
    assert r.status_code == 400 and "PDF atau DOCX" in r.content.decode()
    assert not Regulation.objects.exists()
    pdf = SimpleUploadedFile("Naskah Akademik Sampah.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF")
    r = admin_client.post(reverse("perda:regulation_new"), {**data, "propemperda_year": "2026", "naskah_akademik": pdf})
    reg = Regulation.objects.get()
    assert r.status_code == 302 and reg.naskah_akademik_name == "Naskah Akademik Sampah.pdf"
    got = admin_client.get(reverse("perda:naskah_akademik", args=[reg.pk]))
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    client.force_login(UserFactory(username="tanpa-jabatan"))
    assert client.get(reverse("perda:naskah_akademik", args=[reg.pk])).status_code == 403


def test_edit_records_the_capacity_of_the_pemrakarsa(client):
    from tests.perda.formation_support import make_draft, make_people

    people = make_people()
    reg = make_draft(people, pasal_count=3)
    client.force_login(people.pemrakarsa)
    r = client.post(reverse("perda:editor_action", args=[reg.pk]), {"op": "konsiderans_add", "text": "bahwa uji;"})
    assert r.status_code == 302
    event = AuditEvent.objects.filter(action="perda.konsiderans.add").latest("id")
    assert event.actor_id == people.pemrakarsa.pk and event.capacity


def test_add_at_the_end_goes_into_the_last_bab_shown(admin_client):
    """"Tambah di akhir" puts a Pasal into the BAB shown just above it, not at the top level beside the BABs."""
    reg = _filled(3)
    last_bab = Provision.objects.live().filter(regulation=reg, kind="bab", parent=None).order_by("-order").first()
    page = admin_client.get(reverse("perda:editor", args=[reg.pk])).content.decode()
    assert "Pasal — di akhir BAB" in page
    r = admin_client.post(reverse("perda:editor_action", args=[reg.pk]),
                          {"op": "add", "where": "top", "kind": "pasal", "text": "Pasal penutup tambahan."})
    assert r.status_code == 302
    new = Provision.objects.get(regulation=reg, text="Pasal penutup tambahan.")
    assert new.parent_id == last_bab.pk
    page = admin_client.get(reverse("perda:editor", args=[reg.pk])).content.decode()
    assert "belum berisi Pasal" not in page and "setiap Pasal harus berada di dalam BAB" not in page
    # a BAB still goes to the top level
    admin_client.post(reverse("perda:editor_action", args=[reg.pk]),
                      {"op": "add", "where": "top", "kind": "bab", "heading": "LAMPIRAN BARU"})
    assert Provision.objects.get(regulation=reg, heading="LAMPIRAN BARU").parent_id is None


def test_saving_on_a_provision_page_returns_to_that_provision(admin_client):
    reg = _filled(3)
    pasal = Provision.objects.live().filter(regulation=reg, kind="pasal").order_by("id")[1]
    node_url = reverse("perda:provision", args=[reg.pk, pasal.uid])
    r = admin_client.post(reverse("perda:editor_action", args=[reg.pk]),
                          {"op": "edit", "target": str(pasal.uid), "back": "node", "text": "Teks baru."})
    assert r.status_code == 302 and r["Location"] == node_url
    r = admin_client.post(reverse("perda:editor_action", args=[reg.pk]),
                          {"op": "add", "target": str(pasal.uid), "back": "node", "kind": "child:ayat",
                           "text": "Ayat baru."})
    assert r["Location"] == node_url
    # the Pasal now has ayat and its own text: the check names it
    page = admin_client.get(reverse("perda:editor", args=[reg.pk])).content.decode()
    assert "memiliki ayat dan juga teks sendiri" in page
