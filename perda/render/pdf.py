"""PDF of a regulation (Lampiran II: F4 paper, Bookman 12 pt) and of a redline, with WeasyPrint.

Uses ``workflows.pdf.render_pdf`` (the project's restricted url_fetcher) when it exists; otherwise a local
fetcher that serves only the project's own static files and refuses everything else.
"""
from __future__ import annotations

import functools
import mimetypes
from pathlib import Path
from urllib.parse import unquote
from typing import Any

from django.conf import settings

from .html import render_html

PERDA_STATIC = Path(__file__).resolve().parent.parent / "static"
CSS_PATH = PERDA_STATIC / "perda" / "regulation.css"
VIRTUAL_ROOT = "file:///pamong-static/"


def _static_roots() -> list[Path]:
    roots = [PERDA_STATIC]
    roots += [Path(p) for p in getattr(settings, "STATICFILES_DIRS", [])]
    return [r.resolve() for r in roots]


def _base_url() -> str:
    # The CSS lives at <static>/perda/regulation.css and refers to ../fonts/…; a virtual file:// root keeps
    # relative URLs resolvable, and the fetcher maps that root (only) to the project's static folders.
    return VIRTUAL_ROOT + "perda/render.html"


def resolve_static(url: str) -> Path:
    """The file under the project's static roots that ``url`` names, or ValueError."""
    if not url.startswith(VIRTUAL_ROOT):
        raise ValueError(f"refused to fetch {url!r}")
    rel = unquote(url[len(VIRTUAL_ROOT):].split("?", 1)[0].split("#", 1)[0])
    for root in _static_roots():
        path = (root / rel).resolve()
        if root in path.parents and path.is_file():
            return path
    raise ValueError(f"refused to fetch {url!r}")


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RestrictedFetcher(URLFetcher):
        """Serves only the project's own static files: no network, no other file."""

        def fetch(self, url, headers=None):
            path = resolve_static(url)
            mime, _enc = mimetypes.guess_type(str(path))
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime or "application/octet-stream"})

    return RestrictedFetcher


@functools.lru_cache(maxsize=1)
def restricted_fetcher():
    return _fetcher_class()(allowed_protocols=["file"])


@functools.lru_cache(maxsize=1)
def regulation_css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint with the restricted fetcher (the project helper when available)."""
    try:
        from workflows.pdf import render_pdf  # eng-a's helper
    except ImportError:  # pragma: no cover - until the shared helper lands
        render_pdf = None
    if render_pdf is not None:
        try:
            return render_pdf(html, base_url=_base_url(), url_fetcher=restricted_fetcher())
        except TypeError:
            pass
    from weasyprint import HTML

    return HTML(string=html, base_url=_base_url(), url_fetcher=restricted_fetcher()).write_pdf()


def snapshot_pdf(snapshot: dict[str, Any], *, draft: bool | None = None) -> bytes:
    return html_to_pdf(render_html(snapshot, draft=draft, css=regulation_css()))


def regulation_pdf(regulation) -> bytes:
    """The live draft as PDF."""
    from ..snapshot import snapshot_build

    return snapshot_pdf(snapshot_build(regulation))


def version_pdf(version) -> bytes:
    return snapshot_pdf(version.snapshot)
