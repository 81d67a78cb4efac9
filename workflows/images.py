"""Pillow's decompression-bomb limit for every image the project opens (uploads, documents).

``PAMONG_IMAGE_MAX_PIXELS`` (default 50 million: a 50-megapixel phone photo) is set as Pillow's
``Image.MAX_IMAGE_PIXELS`` when the app starts; upload checks refuse an image above it with an Indonesian
message (Pillow itself only warns up to twice the limit).
"""
from __future__ import annotations

from django.conf import settings

DEFAULT_IMAGE_MAX_PIXELS = 50_000_000


def image_max_pixels() -> int:
    return int(getattr(settings, "PAMONG_IMAGE_MAX_PIXELS", DEFAULT_IMAGE_MAX_PIXELS) or DEFAULT_IMAGE_MAX_PIXELS)


def apply_pillow_limit(**kwargs) -> None:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = image_max_pixels()
