"""Images are opened with Pillow's decompression-bomb limit (``PAMONG_IMAGE_MAX_PIXELS``) and refused above it in
Indonesian: a header declaring 50000×50000 pixels, and a real image over the limit, are never stored."""
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from budget_requests.models import Photo, Quote
from budget_requests.services import photo_add, quote_add
from budget_requests.services.errors import RequestError
from tests.budget_requests.support import new_request, tiny_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes that declares ``width`` × ``height`` pixels (no image data)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IEND", b""))


def real_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")  # one bit per pixel: compresses to almost nothing
    return out.getvalue()


def test_pillow_runs_with_the_stated_limit(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.PAMONG_IMAGE_MAX_PIXELS == 50_000_000
    settings.PAMONG_IMAGE_MAX_PIXELS = 1_000_000
    assert Image.MAX_IMAGE_PIXELS == 1_000_000


def test_a_50000_by_50000_png_header_is_refused_in_indonesian(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000, submit=False)
    bomb = png_header_only(50_000, 50_000)
    assert len(bomb) < 100
    with pytest.raises(RequestError) as exc:
        photo_add(request_obj=r, actor=w.operator_babakan, file=SimpleUploadedFile("bom.png", bomb))
    assert exc.value.code == "image_too_many_pixels"
    assert "50.000 × 50.000" in exc.value.message and "maksimal 50.000.000 piksel" in exc.value.message
    assert not Photo.objects.exists()


def test_a_real_121_megapixel_image_is_refused(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000, submit=False)
    bomb = real_png(11_000, 11_000)
    assert len(bomb) < 100_000  # a small file…
    with pytest.raises(RequestError) as exc:  # …that would decode to 121 million pixels
        photo_add(request_obj=r, actor=w.operator_babakan, file=SimpleUploadedFile("bom.png", bomb))
    assert exc.value.code == "image_too_many_pixels"
    with pytest.raises(RequestError):
        quote_add(request_obj=r, actor=w.operator_babakan, vendor_name="CV X", amount=1_000_000,
                  file=SimpleUploadedFile("penawaran.png", bomb))
    assert not Photo.objects.exists() and not Quote.objects.filter(vendor_name="CV X").exists()


def test_the_limit_is_a_setting(repair_world, settings):
    w = repair_world
    r = new_request(w, amount=1_000_000, submit=False)
    settings.PAMONG_IMAGE_MAX_PIXELS = 10_000
    with pytest.raises(RequestError) as exc:
        photo_add(request_obj=r, actor=w.operator_babakan, file=SimpleUploadedFile("f.jpg",
                                                                                  tiny_image("JPEG", (101, 100))))
    assert exc.value.code == "image_too_many_pixels"
    photo = photo_add(request_obj=r, actor=w.operator_babakan, file=SimpleUploadedFile("f.jpg",
                                                                                      tiny_image("JPEG", (100, 100))))
    assert photo.pk


def test_an_unreadable_image_is_refused(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000, submit=False)
    with pytest.raises(RequestError) as exc:
        photo_add(request_obj=r, actor=w.operator_babakan,
                  file=SimpleUploadedFile("f.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200))
    assert exc.value.code == "bad_image"


def test_the_upload_page_shows_the_refusal(client, repair_world):
    from django.urls import reverse

    w = repair_world
    client.force_login(w.operator_babakan)
    response = client.post(reverse("budget_requests:request_new"), {
        "org_unit": str(w.babakan.pk), "asset": w.pc_babakan.pk, "category": "hardware", "problem": "Rusak.",
        "amount": "1.000.000", "urgency": "normal", "payment_route": "UP", "envelope": w.env_setu.pk,
        "quotes-TOTAL_FORMS": "1", "quotes-INITIAL_FORMS": "0", "quotes-MIN_NUM_FORMS": "0",
        "quotes-MAX_NUM_FORMS": "10", "quotes-0-vendor_name": "CV A", "quotes-0-amount": "1.000.000",
        "photos": [SimpleUploadedFile("bom.png", png_header_only(50_000, 50_000))],
    })
    assert response.status_code == 400
    assert "terlalu besar dalam piksel" in response.content.decode()
    assert not Photo.objects.exists()
