"""Who is asking: the client's address as seen behind the project's reverse proxies.

One function for every place that counts or records a visitor's address (login throttling, the audit trail's
origin, public-comment throttling).
"""
from __future__ import annotations

from django.conf import settings


def trusted_proxy_count() -> int:
    """How many reverse proxies in front of the app append to X-Forwarded-For (``PAMONG_TRUSTED_PROXY_COUNT``)."""
    try:
        return max(0, int(getattr(settings, "PAMONG_TRUSTED_PROXY_COUNT", 0) or 0))
    except (TypeError, ValueError):
        return 0


def client_address(request) -> str:
    """The client's address. With N trusted proxies (each appending the address it saw to X-Forwarded-For) it
    is the Nth entry from the right of that header; entries further left are whatever the client sent and are
    ignored. With no trusted proxy (the default), or a header shorter than N, it is ``REMOTE_ADDR``: the
    header is never believed then."""
    meta = getattr(request, "META", None) or {}
    hops = trusted_proxy_count()
    if hops > 0:
        chain = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops][:64]
    return meta.get("REMOTE_ADDR", "") or ""
