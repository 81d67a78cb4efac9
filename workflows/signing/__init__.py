"""Electronic signatures (TTE): PAdES signatures with a visible block, and their public verification.

``get_signer()`` returns the signer the settings choose (``PAMONG_SIGNING_BACKEND``: ``pkcs12`` or ``bsre``);
``workflows.signing.registry`` holds what each app lets be signed; ``workflows.services.signing`` signs.
"""
from __future__ import annotations

from django.conf import settings

from .base import SignatureBlock, Signer, SignerIdentity, SigningFailed

__all__ = ["SignatureBlock", "Signer", "SignerIdentity", "SigningFailed", "get_signer"]


def get_signer() -> Signer:
    backend = settings.PAMONG_SIGNING_BACKEND
    if backend == "bsre":
        from .bsre import BsreSigner

        return BsreSigner()
    if backend == "pkcs12":
        from .pkcs12 import Pkcs12Signer

        return Pkcs12Signer()
    raise ValueError(f"unknown PAMONG_SIGNING_BACKEND {backend!r}")
