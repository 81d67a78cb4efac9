"""Bad input keeps the user's files: a form shown again after an error keeps the photos and quote files that
passed their own checks (the user sees their names and need not upload them again, or can replace them)."""
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budget_requests.models import Photo, Quote, RepairRequest
from tests.budget_requests.support import tiny_image

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 200


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.BUDGET_DOCUMENTS_ON_EVENTS = False


def _data(w, amount, **extra):
    return {"org_unit": str(w.babakan.pk), "asset": w.pc_babakan.pk, "category": "hardware", "problem": "Rusak.",
            "amount": amount, "urgency": "normal", "payment_route": "UP", "envelope": w.env_setu.pk,
            "quotes-TOTAL_FORMS": "1", "quotes-INITIAL_FORMS": "0", "quotes-MIN_NUM_FORMS": "0",
            "quotes-MAX_NUM_FORMS": "10", "quotes-0-vendor_name": "CV A", "quotes-0-amount": "1.000.000",
            "save": "1", **extra}


def _kept(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, token in re.findall(r'<input type="hidden" name="([\w-]+)__kept" value="([\w-]+)"', html):
        found.setdefault(name, []).append(token)
    return found


def test_files_are_kept_when_the_form_is_shown_again(client, repair_world, settings):
    w = repair_world
    client.force_login(w.operator_babakan)
    photo = tiny_image("JPEG")
    first = client.post(reverse("budget_requests:request_new"), _data(w, "satu juta", **{
        "photos": [SimpleUploadedFile("rusak.jpg", photo)],
        "quotes-0-file": SimpleUploadedFile("penawaran.pdf", PDF)}))
    assert first.status_code == 400
    html = first.content.decode()
    assert "Berkas tersimpan: rusak.jpg" in html and "Berkas tersimpan: penawaran.pdf" in html
    kept = _kept(html)
    assert set(kept) == {"photos", "quotes-0-file"}
    assert not RepairRequest.objects.exists()

    second = client.post(reverse("budget_requests:request_new"), _data(w, "1.000.000", **{
        "photos__kept": kept["photos"], "quotes-0-file__kept": kept["quotes-0-file"]}))
    assert second.status_code == 302, second.content.decode()[:2000]
    stored = Photo.objects.get()
    assert stored.file.read() == photo and stored.size == len(photo)
    assert Quote.objects.get().file.read() == PDF
    pending = Path(settings.MEDIA_ROOT) / "pending"
    assert not pending.exists() or not any(p.is_file() for p in pending.rglob("*"))  # cleaned up


def test_a_new_file_replaces_the_kept_one(client, repair_world):
    w = repair_world
    client.force_login(w.operator_babakan)
    first = client.post(reverse("budget_requests:request_new"), _data(w, "x", photos=[
        SimpleUploadedFile("lama.jpg", tiny_image("JPEG"))]))
    kept = _kept(first.content.decode())
    newer = tiny_image("PNG")
    second = client.post(reverse("budget_requests:request_new"), _data(w, "1.000.000", **{
        "photos__kept": kept["photos"], "photos": [SimpleUploadedFile("baru.png", newer)]}))
    assert second.status_code == 302
    assert [p.file.read() for p in Photo.objects.all()] == [newer]


def test_a_file_that_failed_its_own_check_is_not_kept(client, repair_world):
    w = repair_world
    client.force_login(w.operator_babakan)
    response = client.post(reverse("budget_requests:request_new"), _data(w, "x", photos=[
        SimpleUploadedFile("bukan-foto.jpg", PDF)]))
    assert response.status_code == 400
    assert "photos" not in _kept(response.content.decode())


def test_another_session_cannot_use_the_token(client, repair_world):
    from django.test import Client

    w = repair_world
    client.force_login(w.operator_babakan)
    first = client.post(reverse("budget_requests:request_new"), _data(w, "x", photos=[
        SimpleUploadedFile("rahasia.jpg", tiny_image("JPEG"))]))
    token = _kept(first.content.decode())["photos"]
    other = Client()
    other.force_login(w.operator_babakan)  # the same person in another browser: a different session
    response = other.post(reverse("budget_requests:request_new"), _data(w, "1.000.000", photos__kept=token))
    assert response.status_code == 302
    assert not Photo.objects.exists()


def test_asset_csv_is_kept_when_its_rows_name_a_unit_not_yet_there(client, repair_world, settings):
    from budget_requests.models import Asset
    from tests.factories import OrgUnitFactory
    from workflows.models import OrgUnitKind

    w = repair_world
    client.force_login(w.kadis)
    csv = ("tag,kind,description,location,org_unit,owner_authority,technical_owner\n"
           "PC-BARU-1,pc,PC pelayanan,Kantor,kel-baru,kota,diskominfo\n").encode()
    first = client.post(reverse("budget_requests:asset_import"),
                        {"file": SimpleUploadedFile("aset.csv", csv, content_type="text/csv")})
    assert first.status_code == 400
    html = first.content.decode()
    assert "Berkas tersimpan: aset.csv" in html and "tidak ditemukan" in html
    kept = _kept(html)["file"]

    OrgUnitFactory(code="kel-baru", name="Kelurahan Baru", kind=OrgUnitKind.KELURAHAN, parent=w.babakan.parent)
    second = client.post(reverse("budget_requests:asset_import"), {"file__kept": kept})
    assert second.status_code == 302, second.content.decode()[:2000]
    assert Asset.objects.get(tag="PC-BARU-1").org_unit.code == "kel-baru"
    pending = Path(settings.MEDIA_ROOT) / "pending"
    assert not pending.exists() or not any(p.is_file() for p in pending.rglob("*"))


def test_an_empty_asset_form_keeps_nothing(client, repair_world):
    client.force_login(repair_world.kadis)
    response = client.post(reverse("budget_requests:asset_import"), {})
    assert response.status_code == 400 and "__kept" not in response.content.decode()
