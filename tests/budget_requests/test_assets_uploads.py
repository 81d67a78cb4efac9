"""Asset register CSV import (all-or-nothing) and upload checks (type from content, size)."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from budget_requests.models import Asset, Photo
from budget_requests.services import asset_import_csv, photo_add, quote_add
from budget_requests.services.errors import RequestError
from tests.budget_requests.support import new_request, tiny_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")

JPEG = tiny_image("JPEG")
PNG = tiny_image("PNG")
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 200

GOOD_CSV = """tag;kind;description;location;org_unit;owner_authority;technical_owner
TI-BBK-101;pc;PC pelayanan 1;Loket 1;kel-babakan;kota;diskominfo
TI-BBK-102;printer;Printer loket;Loket 1;kel-babakan;;diskominfo
CCTV-JLN-7;cctv;CCTV simpang Jl. Raya Serpong;Jl. Raya Serpong;kel-babakan;provinsi;
TI-BBK-001;pc;PC lama (diperbarui);Ruang lurah;kel-babakan;kota;diskominfo
"""


def test_csv_import_creates_and_updates(repair_world):
    w = repair_world
    result = asset_import_csv(file=io.BytesIO(GOOD_CSV.encode()), actor=w.admin)
    assert result.ok and (result.created, result.updated) == (3, 1)
    assert Asset.objects.get(tag="CCTV-JLN-7").is_province_owned
    assert Asset.objects.get(tag="TI-BBK-102").owner_authority == "kota"
    assert Asset.objects.get(tag="TI-BBK-001").description == "PC lama (diperbarui)"


def test_csv_import_with_a_bad_row_writes_nothing_and_says_why_per_row(repair_world):
    w = repair_world
    bad = GOOD_CSV + "TI-X-1;toaster;Pemanggang;Dapur;kel-tidak-ada;kabupaten;\n;pc;;;kel-babakan;kota;\n"
    before = Asset.objects.count()
    result = asset_import_csv(file=io.BytesIO(bad.encode()), actor=w.admin)
    assert not result.ok
    assert [n for n, _ in result.errors] == [6, 7]
    msg = result.errors[0][1]
    assert "jenis 'toaster' tidak dikenal" in msg and "unit 'kel-tidak-ada' tidak ditemukan" in msg
    assert "pemilik 'kabupaten'" in msg
    assert "nomor aset kosong" in result.errors[1][1] and "uraian kosong" in result.errors[1][1]
    assert Asset.objects.count() == before
    assert not Asset.objects.filter(tag="TI-BBK-101").exists()


def test_csv_without_required_columns(repair_world):
    result = asset_import_csv(file=io.BytesIO(b"tag,kind\nA,pc\n"), actor=repair_world.admin)
    assert result.errors == [(1, "Kolom wajib tidak ada: description, org_unit.")]


def test_photo_type_is_sniffed_from_content(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000, submit=False)
    photo = photo_add(request_obj=r, actor=w.operator_babakan, file=SimpleUploadedFile("rusak.jpg", JPEG))
    assert (photo.content_type, photo.size) == ("image/jpeg", len(JPEG))
    photo_add(request_obj=r, actor=w.operator_babakan, file=SimpleUploadedFile("foto.bin", PNG))
    with pytest.raises(RequestError) as exc:
        photo_add(request_obj=r, actor=w.operator_babakan, file=SimpleUploadedFile("surat.jpg", PDF))
    assert exc.value.code == "bad_file_type"
    assert "PDF" in exc.value.message and "JPEG" in exc.value.message
    assert Photo.objects.filter(request=r).count() == 2


@override_settings(BUDGET_PHOTO_MAX_BYTES=100)
def test_oversized_photo_is_refused(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000, submit=False)
    with pytest.raises(RequestError) as exc:
        photo_add(request_obj=r, actor=w.operator_babakan, file=SimpleUploadedFile("besar.jpg", JPEG))
    assert exc.value.code == "file_too_large"
    assert "terlalu besar" in exc.value.message
    assert not Photo.objects.filter(request=r).exists()


def test_quote_file_may_be_pdf_but_not_anything(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000, submit=False)
    q = quote_add(request_obj=r, actor=w.operator_babakan, vendor_name="PT Sinar", amount=900_000,
                  file=SimpleUploadedFile("penawaran.pdf", PDF))
    assert q.file.name.endswith(".pdf")
    with pytest.raises(RequestError):
        quote_add(request_obj=r, actor=w.operator_babakan, vendor_name="PT Sinar", amount=900_000,
                  file=SimpleUploadedFile("penawaran.pdf", b"MZ\x90\x00 not a pdf"))
    with pytest.raises(RequestError) as exc:
        quote_add(request_obj=r, actor=w.operator_babakan, vendor_name="PT Sinar", amount=-1)
    assert exc.value.code == "amount_not_positive"
