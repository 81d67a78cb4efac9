"""A Perda form shown again after an error keeps the file the user chose (naskah akademik, a stage's attachment,
a withdrawal's attachment): the page names it, the next POST uses it without choosing it again, and a file that
failed its own check is not kept."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from perda.models import Formation, Regulation, StageRecord
from perda.services import formation as fsvc
from tests.budget_requests.test_kept_uploads import _kept
from tests.factories import OrgUnitFactory
from workflows.models import OrgUnitKind

from .formation_support import make_draft, people  # noqa: F401

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _nothing_pending(settings) -> bool:
    pending = Path(settings.MEDIA_ROOT) / "pending"
    return not pending.exists() or not any(p.is_file() for p in pending.rglob("*"))


def _meta(unit, **extra):
    return {"kind": "perda", "evaluasi_kind": "", "title": "Pengelolaan Sampah", "pemrakarsa": unit.pk,
            "propemperda_year": "", "outside_propemperda_reason": "", "penjelasan_umum": "", **extra}


def test_new_draft_keeps_its_naskah_akademik(admin_client, settings):
    unit = OrgUnitFactory(code="dinas-lh", kind=OrgUnitKind.PERANGKAT_DAERAH)
    first = admin_client.post(reverse("perda:regulation_new"),
                              _meta(unit, naskah_akademik=SimpleUploadedFile("Naskah Sampah.pdf", PDF)))
    html = first.content.decode()
    assert first.status_code == 400 and "Berkas tersimpan: Naskah Sampah.pdf" in html
    assert not Regulation.objects.exists()
    second = admin_client.post(reverse("perda:regulation_new"),
                               _meta(unit, propemperda_year="2026", naskah_akademik__kept=_kept(html)["naskah_akademik"]))
    assert second.status_code == 302, second.content.decode()[:2000]
    reg = Regulation.objects.get()
    assert reg.naskah_akademik_name == "Naskah Sampah.pdf" and reg.naskah_akademik.read() == PDF
    assert _nothing_pending(settings)


def test_a_refused_naskah_akademik_is_not_kept(admin_client):
    unit = OrgUnitFactory(code="dinas-lh", kind=OrgUnitKind.PERANGKAT_DAERAH)
    r = admin_client.post(reverse("perda:regulation_new"),
                          _meta(unit, naskah_akademik=SimpleUploadedFile("na.pdf", b"MZ\x90\x00 not a pdf")))
    html = r.content.decode()
    assert r.status_code == 400 and "PDF atau DOCX" in html and "__kept" not in html


def test_draft_data_form_keeps_its_naskah_akademik(admin_client, people):
    reg = make_draft(people)
    url = reverse("perda:regulation_meta", args=[reg.pk])
    data = _meta(people.diskominfo, title="", propemperda_year="2026")
    first = admin_client.post(url, {**data, "naskah_akademik": SimpleUploadedFile("NA baru.pdf", PDF)})
    html = first.content.decode()
    assert first.status_code == 400 and "Berkas tersimpan: NA baru.pdf" in html
    second = admin_client.post(url, {**data, "title": "Kota Cerdas",
                                     "naskah_akademik__kept": _kept(html)["naskah_akademik"]})
    assert second.status_code == 302, second.content.decode()[:2000]
    reg.refresh_from_db()
    assert reg.naskah_akademik_name == "NA baru.pdf" and reg.naskah_akademik.read() == PDF


def _in_harmonisasi(people) -> Formation:
    f = fsvc.formation_start(regulation=make_draft(people), actor=people.kabag)
    fsvc.formation_start_drafting(formation=f, actor=people.kabag)
    fsvc.formation_submit(formation=f, actor=people.pemrakarsa)
    return Formation.objects.get(pk=f.pk)


def test_stage_record_keeps_its_attachment(client, people, settings):
    f = _in_harmonisasi(people)
    url = reverse("perda:formation_action", args=[f.regulation_id, "catat"])
    client.force_login(people.kabag)
    first = client.post(url, {"outcome": "selesai", "received_on": "", "document_number": "BA-7",
                              "attachment": SimpleUploadedFile("ba-harmonisasi.pdf", PDF)})
    html = first.content.decode()
    assert first.status_code == 400 and "Berkas tersimpan: ba-harmonisasi.pdf" in html
    assert not StageRecord.objects.filter(formation=f, document_number="BA-7").exists()
    second = client.post(url, {"outcome": "selesai", "received_on": f.stage_since.isoformat(),
                               "document_number": "BA-7", "attachment__kept": _kept(html)["attachment"]})
    assert second.status_code == 302, second.content.decode()[:2000]
    record = StageRecord.objects.get(formation=f, document_number="BA-7")
    assert record.attachment_name == "ba-harmonisasi.pdf" and record.attachment.read() == PDF
    assert _nothing_pending(settings)


def test_a_refused_stage_attachment_is_named_on_its_field_and_not_kept(client, people):
    f = _in_harmonisasi(people)
    client.force_login(people.kabag)
    r = client.post(reverse("perda:formation_action", args=[f.regulation_id, "catat"]),
                    {"outcome": "selesai", "received_on": "", "attachment": SimpleUploadedFile("x.pdf", b"bukan")})
    html = r.content.decode()
    assert r.status_code == 400 and "Lampiran harus berupa PDF" in html and "__kept" not in html


def test_withdrawal_keeps_its_attachment(client, people):
    f = _in_harmonisasi(people)
    url = reverse("perda:formation_action", args=[f.regulation_id, "tarik"])
    client.force_login(people.kabag)
    first = client.post(url, {"reason": "", "attachment": SimpleUploadedFile("surat-penarikan.pdf", PDF)})
    html = first.content.decode()
    assert first.status_code == 400 and "Berkas tersimpan: surat-penarikan.pdf" in html
    second = client.post(url, {"reason": "Materi digabung ke rancangan lain.",
                               "attachment__kept": _kept(html)["attachment"]})
    assert second.status_code == 302, second.content.decode()[:2000]
    assert Formation.objects.get(pk=f.pk).stage == "ditarik"
    record = StageRecord.objects.filter(formation=f).order_by("-pk").first()
    assert record.attachment_name == "surat-penarikan.pdf" and record.attachment.read() == PDF
