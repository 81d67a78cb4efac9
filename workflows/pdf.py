"""Turning HTML into PDF with WeasyPrint, fetching nothing but the project's own static files.

Security (DESIGN.md §6): the fetcher serves

* ``data:`` URIs (embedded images, fonts);
* ``file://`` URLs whose real path (symlinks resolved) lies inside a static directory of the project — the
  repository's ``static/`` (``STATICFILES_DIRS``) and every installed app's ``static/`` folder;
* static URLs such as ``/static/pdf/base.css`` (what ``{% static %}`` produces), looked up with Django's
  staticfiles finders;

and refuses everything else: other local files, ``http(s)://``, ``ftp://``. A refused resource is left out
of the PDF (WeasyPrint logs a warning) and the rendering goes on.

Templates for PDFs link the shared stylesheet with ``{% static 'pdf/base.css' %}`` and put
``class="f4"`` (regulations: F4, 215 × 330 mm) or ``class="a4"`` on ``<body>``.
"""
from __future__ import annotations

import logging
import mimetypes
import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

logger = logging.getLogger(__name__)


class FetchRefused(ValueError):
    """A resource the PDF renderer may not load."""


@lru_cache(maxsize=1)
def static_roots() -> tuple[Path, ...]:
    """The real paths of the directories the renderer may read from."""
    roots: list[Path] = []
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        roots.append(Path(entry[1] if isinstance(entry, (list, tuple)) else entry))
    for app_config in apps.get_app_configs():
        candidate = Path(app_config.path) / "static"
        if candidate.is_dir():
            roots.append(candidate)
    return tuple(Path(os.path.realpath(root)) for root in roots)


def _inside_roots(path: Path) -> bool:
    real = Path(os.path.realpath(path))
    return any(real == root or root in real.parents for root in static_roots()) and real.is_file()


def _static_prefix() -> str:
    prefix = urlsplit(settings.STATIC_URL).path or "/static/"
    return prefix if prefix.startswith("/") else "/" + prefix


def resolve_static(url: str) -> Path:
    """The local file a URL may be served from, or ``FetchRefused``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme != "file":
        raise FetchRefused(f"refused {scheme or 'relative'} URL in PDF: {url[:200]}")
    path = Path(url2pathname(unquote(parts.path)))
    if _inside_roots(path):
        return path
    # "/static/pdf/base.css" resolved against a file: base URL lands on "file:///static/pdf/base.css".
    prefix = _static_prefix()
    if parts.path.startswith(prefix):
        relative = unquote(parts.path[len(prefix):])
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            found = None
        if found and _inside_roots(Path(found)):
            return Path(found)
    raise FetchRefused(f"refused local file outside the static folders in PDF: {parts.path[:200]}")


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        """WeasyPrint fetcher that serves only ``data:`` URIs and the project's static files."""

        def fetch(self, url, headers=None):
            if url.lower().startswith("data:"):
                return super().fetch(url, headers)
            try:
                path = resolve_static(url)
            except FetchRefused:
                logger.warning("PDF renderer refused to fetch %s", url[:200])
                raise
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyURLFetcher


def static_only_fetcher():
    """A fresh restricted fetcher (for callers that build ``weasyprint.HTML`` / ``CSS`` themselves)."""
    return _fetcher_class()(timeout=5, allow_redirects=False)


def default_base_url() -> str:
    """``file://`` URL of the project's ``static/`` folder: relative links resolve into it."""
    root = Path(settings.BASE_DIR) / "static"
    return root.as_uri() + "/"


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render an HTML string to PDF bytes with the restricted fetcher.

    ``base_url`` defaults to the project's ``static/`` folder, so ``pdf/base.css`` and ``/static/pdf/base.css``
    both find the shared stylesheet. User text must already be escaped (Django templates do it).
    """
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url or default_base_url(), url_fetcher=static_only_fetcher())
    return document.write_pdf()
