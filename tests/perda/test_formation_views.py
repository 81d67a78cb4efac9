"""The formation page's forms, driven over HTTP from perencanaan to the JDIH listing, as each position."""
from __future__ import annotations


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from perda.models import Formation, Regulation

from .formation_support import make_draft, people  # noqa: F401
from .test_formation import PDF

pytestmark = pytest.mark.django_db


def act(client, user, reg, action, data=None, status=302):
    client.force_login(user)
    r = client.post(reverse("perda:formation_action", args=[reg.pk, action]), data or {})
    assert r.status_code == status, r.content.decode()[:2000]
    return r


def test_whole_perda_path_through_the_pages(client, people, monkeypatch):
    monkeypatch.setattr("perda.services.enactment.render_version_pdf", lambda version: PDF)
    reg = make_draft(people, title="Ruang Terbuka Hijau Digital")
    today = timezone.localdate()
    d = today.isoformat()
    client.force_login(people.pemrakarsa)
    assert client.post(reverse("perda:formation_start", args=[reg.pk])).status_code == 302
    act(client, people.kabag, reg, "mulai-penyusunan")
    act(client, people.pemrakarsa, reg, "ajukan", {"note": "Lengkap"})
    ba = SimpleUploadedFile("ba.pdf", PDF, content_type="application/pdf")
    act(client, people.perancang, reg, "catat", {"outcome": "selesai", "received_on": d, "document_number": "BA-1",
                                                 "attachment": ba})
    act(client, people.kabag, reg, "catat", {"outcome": "selesai", "received_on": d})  # pembahasan I
    act(client, people.kabag, reg, "catat", {"outcome": "sesuai", "received_on": d, "document_number": "F-1"})
    # persetujuan bersama needs the DPRD decision number: the form comes back with the message
    r = act(client, people.kabag, reg, "catat", {"outcome": "disetujui", "received_on": d}, status=400)
    assert "Nomor dokumen wajib diisi" in r.content.decode()
    act(client, people.kabag, reg, "catat", {"outcome": "disetujui", "received_on": d, "document_number": "K-9"})
    act(client, people.kabag, reg, "catat", {"outcome": "diterima", "received_on": d})
    page = client.get(reverse("perda:formation_detail", args=[reg.pk])).content.decode()
    assert 'value="dikirim"' in page and 'value="diterbitkan"' not in page  # noreg: first sent, then issued
    assert 'data-deadline="noreg-penyampaian"' in page and 'data-deadline="penetapan"' in page
    act(client, people.kabag, reg, "catat", {"outcome": "dikirim", "received_on": d})
    act(client, people.kabag, reg, "catat", {"outcome": "diterbitkan", "received_on": d, "document_number": "3-77/2026"})
    # only the Wali Kota signs
    act(client, people.kabag, reg, "tetapkan", {"on": d}, status=403)
    # the Wali Kota first reads the text being signed, then confirms it
    client.force_login(people.walikota)
    confirm = client.get(reverse("perda:enact_confirm", args=[reg.pk]))
    assert confirm.status_code == 200
    digest = confirm.context["digest"]
    assert "data-enact-text" in confirm.content.decode() and digest in confirm.content.decode()
    r = act(client, people.walikota, reg, "tetapkan", {"on": d, "text_sha256": digest}, status=400)  # not confirmed
    assert "Centang pernyataan" in r.content.decode()
    assert Formation.objects.get(regulation=reg).stage == "penetapan"
    act(client, people.walikota, reg, "tetapkan", {"on": d, "text_sha256": digest, "confirm": "on"})
    act(client, people.sekda, reg, "undangkan", {"on": d})
    from perda.services.enactment import enacted_pdf_freeze

    page = client.get(reverse("perda:formation_detail", args=[reg.pk])).content.decode()
    assert "data-pdf-pending" in page  # the frozen PDF is rendered after commit by a Celery task
    act(client, people.kabag, reg, "publikasikan")  # refused until the PDF exists: message, no change
    assert Formation.objects.get(regulation=reg).stage == "penyebarluasan"
    enacted_pdf_freeze(regulation_id=reg.pk)
    # Permenkumham 8/2019 metadata: publication is refused, naming what is missing, until Bagian Hukum fills it
    page = client.get(reverse("perda:formation_detail", args=[reg.pk])).content.decode()
    assert "data-metadata-missing" in page and 'value="Tangerang Selatan (Kota)"' in page  # suggested TEU
    r = client.post(reverse("perda:formation_action", args=[reg.pk, "publikasikan"]), follow=True)
    assert "Metadata dokumen hukum belum lengkap" in r.content.decode() and "Subjek" in r.content.decode()
    assert Formation.objects.get(regulation=reg).stage == "penyebarluasan"
    metadata = {"teu_badan": "Tangerang Selatan (Kota)", "tempat_terbit": "Tangerang Selatan", "penerbit": "",
                "sumber": "LD 2026 (1) : 4 hlm.", "subjek": "RUANG TERBUKA HIJAU - TEKNOLOGI INFORMASI",
                "bahasa": "Indonesia", "bidang_hukum": "", "lokasi": "Bagian Hukum Setda", "abstrak": ""}
    act(client, people.kabag, reg, "metadata", metadata)
    r = client.post(reverse("perda:formation_action", args=[reg.pk, "publikasikan"]), follow=True)
    assert "lengkapi dahulu: Bidang hukum." in r.content.decode()  # the one field still missing, named
    assert Formation.objects.get(regulation=reg).stage == "penyebarluasan"
    page = client.get(reverse("perda:formation_detail", args=[reg.pk])).content.decode()
    assert 'data-missing="bidang_hukum"' in page and "data-to-confirm" in page  # its basis, to be confirmed
    r = act(client, people.kabag, reg, "metadata", {**metadata, "subjek": "X" * 301}, status=400)
    assert "X" * 301 in r.content.decode()  # bad input: the page again, what was typed kept
    assert Regulation.objects.get(pk=reg.pk).subjek == metadata["subjek"]
    r = act(client, people.pemrakarsa, reg, "metadata", {**metadata, "bidang_hukum": "Hukum Tata Ruang"}, status=403)
    act(client, people.kabag, reg, "metadata", {**metadata, "bidang_hukum": "Hukum Tata Ruang"})
    act(client, people.kabag, reg, "publikasikan")
    f = Formation.objects.get(regulation=reg)
    assert f.stage == "selesai"
    reg.refresh_from_db()
    assert reg.noreg == "3-77/2026" and reg.number == 1 and reg.enacted_on == today
    page = client.get(reverse("perda:formation_detail", args=[reg.pk])).content.decode()
    assert "SHA-256 " + reg.enacted_pdf_sha256 in page
    assert "BA-1" in page and "K-9" in page
    record = f.records.get(document_number="BA-1")
    r = client.get(reverse("perda:record_attachment", args=[reg.pk, record.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    client.logout()
    assert "Ruang Terbuka Hijau Digital" in client.get(reverse("perda:jdih_list")).content.decode()


def test_refusals_are_403_and_audited(client, people):
    from workflows.models import AuditEvent

    reg = make_draft(people)
    client.force_login(people.kabag)
    client.post(reverse("perda:formation_start", args=[reg.pk]))
    act(client, people.walikota, reg, "mulai-penyusunan", status=403)
    assert AuditEvent.objects.filter(action="formation.mulai-penyusunan.denied").exists()
    client.force_login(people.outsider)  # no position at all
    assert client.get(reverse("perda:formation_list")).status_code == 403
    assert client.get(reverse("perda:formation_detail", args=[reg.pk])).status_code == 403


def test_enact_refuses_a_text_changed_since_it_was_shown(client, people, monkeypatch):
    """The digest of the text shown travels with the form: a different text is not signed unseen."""
    from perda.services import enactment, formation as svc

    reg = make_draft(people, title="Naskah Berubah")
    today = timezone.localdate()
    formation = svc.formation_start(regulation=reg, actor=people.pemrakarsa)
    Formation.objects.filter(pk=formation.pk).update(stage="penetapan", stage_since=today)
    client.force_login(people.walikota)
    r = client.post(reverse("perda:formation_action", args=[reg.pk, "tetapkan"]),
                    {"on": today.isoformat(), "text_sha256": "0" * 64, "confirm": "on"})
    assert r.status_code == 400
    assert "Naskah berubah sejak ditampilkan" in r.content.decode()
    assert 'name="confirm"' in r.content.decode()  # asked again, on the current text
    assert Formation.objects.get(regulation=reg).stage == "penetapan"
    assert r.context["form"]["text_sha256"].value() == r.context["digest"]
    client.force_login(people.kabag)
    assert client.get(reverse("perda:enact_confirm", args=[reg.pk])).status_code == 403


def test_formation_list_also_shows_drafts_not_yet_in_formation(client, people):
    from perda.services import formation as svc

    waiting = make_draft(people, title="Masih Disusun")
    started = make_draft(people, title="Sudah Dibentuk")
    svc.formation_start(regulation=started, actor=people.pemrakarsa)
    client.force_login(people.perancang)
    page = client.get(reverse("perda:formation_list")).content.decode()
    drafts = page.split("data-drafts-outside")[1]
    assert f'data-draft="{waiting.pk}"' in drafts and "Masih Disusun" in drafts
    assert f'data-draft="{started.pk}"' not in drafts
    assert f'data-formation="{started.pk}"' in page
    assert reverse("perda:regulation_list") in drafts
    home = client.get("/").content.decode()  # the perancang's home and menu link to the drafts
    assert f'href="{reverse("perda:regulation_list")}"' in home
