"""Upload checks: the type is sniffed from the first bytes (never trusted from the name or the browser), the size
is limited (``BUDGET_PHOTO_MAX_BYTES``, ``BUDGET_QUOTE_MAX_BYTES``), and an image is opened with Pillow under
the pixel limit ``PAMONG_IMAGE_MAX_PIXELS`` (a small file can declare billions of pixels: a decompression bomb)."""
from __future__ import annotations

import warnings

from django.conf import settings
from django.utils.translation import gettext as _

from ..money import rupiah
from .errors import RequestError

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
QUOTE_TYPES = PHOTO_TYPES + ("application/pdf",)
DEFAULT_PHOTO_MAX = 5 * 1024 * 1024
DEFAULT_QUOTE_MAX = 10 * 1024 * 1024


def sniff(head: bytes) -> str | None:
    """The content type from magic bytes, or None when unknown."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _read_head(file) -> bytes:
    pos = file.tell() if hasattr(file, "tell") else 0
    head = file.read(16)
    file.seek(pos)
    return head or b""


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        pos = file.tell()
        file.seek(0, 2)
        size = file.tell()
        file.seek(pos)
    return int(size)


def _check(file, *, allowed: tuple[str, ...], max_bytes: int, field: str, what: str) -> tuple[str, int]:
    size = _size(file)
    if size == 0:
        raise RequestError("empty_file", _("Berkas %(what)s kosong.") % {"what": what}, field)
    if size > max_bytes:
        raise RequestError("file_too_large", _("Berkas %(what)s terlalu besar (%(size)s bita; maksimal %(max)s bita).")
                           % {"what": what, "size": rupiah(size), "max": rupiah(max_bytes)}, field)
    kind = sniff(_read_head(file))
    if kind not in allowed:
        found = {"application/pdf": "PDF"}.get(kind or "", _("tidak dikenal"))
        names = ", ".join(t.split("/")[1].upper() for t in allowed)
        raise RequestError("bad_file_type", _("Berkas %(what)s harus berupa %(names)s; isi berkas ini %(found)s "
                                               "(nama berkas tidak menentukan jenisnya).")
                           % {"what": what, "names": names, "found": found}, field)
    if kind.startswith("image/"):
        _check_image(file, field=field, what=what)
    return kind, size


def _check_image(file, *, field: str, what: str) -> None:
    """Open the image with Pillow's decompression-bomb limit (``workflows.images``) and refuse one above it, or
    one Pillow cannot read, with an Indonesian message."""
    from PIL import Image, UnidentifiedImageError

    from workflows.images import image_max_pixels

    limit = image_max_pixels()
    pos = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height = image.size
                if width * height > limit:
                    raise Image.DecompressionBombError(f"{width}x{height}")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RequestError("image_too_many_pixels", _(
            "Gambar %(what)s terlalu besar dalam piksel (%(pixels)s); maksimal %(max)s piksel. Perkecil gambar "
            "lalu unggah lagi.") % {"what": what, "pixels": _pixels(file), "max": rupiah(limit)}, field) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise RequestError("bad_image", _("Berkas %(what)s rusak atau tidak dapat dibaca sebagai gambar.")
                           % {"what": what}, field) from None
    finally:
        file.seek(pos)


def _pixels(file) -> str:
    """ "50.000 × 50.000" from the image header alone, for the message ("?" when unreadable)."""
    from PIL import Image

    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            previous, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
            try:
                with Image.open(file) as image:
                    return "%s × %s" % (rupiah(image.size[0]), rupiah(image.size[1]))
            finally:
                Image.MAX_IMAGE_PIXELS = previous
    except Exception:  # noqa: BLE001 - only for the message
        return "?"


def clean_photo(file) -> tuple[str, int]:
    return _check(file, allowed=PHOTO_TYPES, field="photos", what=_("foto"),
                  max_bytes=int(getattr(settings, "BUDGET_PHOTO_MAX_BYTES", DEFAULT_PHOTO_MAX)))


def clean_quote_file(file):
    _check(file, allowed=QUOTE_TYPES, field="quotes", what=_("penawaran"),
           max_bytes=int(getattr(settings, "BUDGET_QUOTE_MAX_BYTES", DEFAULT_QUOTE_MAX)))
    return file
