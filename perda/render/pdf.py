"""PDF of a regulation (Lampiran II: F4 paper, Bookman 12 pt) and of a redline, with WeasyPrint through
``workflows.pdf.render_pdf`` (its fetcher serves only the project's static files: no network, no other file).

The stylesheet ``perda/static/perda/regulation.css`` is inlined; its ``../fonts/urw-bookman/…`` URLs resolve
against a base URL inside the project's ``static/`` folder, where the shipped URW Bookman files live.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from django.conf import settings

from .html import render_html

CSS_PATH = Path(__file__).resolve().parent.parent / "static" / "perda" / "regulation.css"


def base_url() -> str:
    return (Path(settings.BASE_DIR) / "static" / "perda" / "document.html").as_uri()


@functools.lru_cache(maxsize=1)
def regulation_css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def html_to_pdf(html: str) -> bytes:
    from workflows.pdf import render_pdf

    return render_pdf(html, base_url=base_url())


def snapshot_pdf(snapshot: dict[str, Any], *, draft: bool | None = None) -> bytes:
    """``draft`` None: watermark "RANCANGAN" unless the snapshot carries the enactment number and date."""
    return html_to_pdf(render_html(snapshot, draft=draft, css=regulation_css()))


def cached_snapshot_pdf(snapshot: dict[str, Any], *, draft: bool | None = None, timeout: int = 3600) -> bytes:
    """``snapshot_pdf`` memoised in the Django cache by the SHA-256 of the exact HTML (same text, same PDF):
    pages that offer a PDF of a frozen version or an unchanged draft answer from the cache."""
    import hashlib

    from django.core.cache import cache

    html = render_html(snapshot, draft=draft, css=regulation_css())
    key = "perda-pdf-" + hashlib.sha256(html.encode("utf-8")).hexdigest()
    data = cache.get(key)
    if data is None:
        data = html_to_pdf(html)
        cache.set(key, data, timeout)
    return data


def regulation_pdf(regulation) -> bytes:
    """The live draft as PDF."""
    from ..snapshot import snapshot_build

    return snapshot_pdf(snapshot_build(regulation))


def version_pdf(version) -> bytes:
    return snapshot_pdf(version.snapshot)
