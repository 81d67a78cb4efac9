"""Authentication of a complaint system: a bearer token per source and an HMAC-SHA256 signature of the body.

The token identifies the source (only its SHA-256 digest is stored); the signature proves the body was sent by
whoever holds that source's secret and was not changed on the way. Both comparisons are constant-time. The
same secret signs the status updates Pamong sends back, so the source can check them the same way.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Pamong-Signature"
SIGNATURE_PREFIX = "sha256="


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def sign(secret: str, body: bytes) -> str:
    """The header value for ``body``: ``sha256=<hex HMAC-SHA256 of the raw body>``."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, header: str) -> bool:
    """Whether ``header`` is the signature of ``body`` under ``secret`` (constant-time comparison)."""
    return hmac.compare_digest(sign(secret, body).encode("ascii"), (header or "").strip().encode("utf-8"))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_secret() -> str:
    return secrets.token_hex(32)
