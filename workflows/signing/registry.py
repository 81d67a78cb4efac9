"""What may be signed: one descriptor per kind of document, registered by the app that owns it.

``workflows`` knows nothing of regulations or repair requests; each app describes its signable documents
(``register`` in its ``AppConfig.ready``) and the signing service, views and verification page read only the
descriptor. Adding a signable document is a new descriptor plus tests.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.db import models


@dataclass(frozen=True)
class SourcePdf:
    """The unsigned PDF to sign, and the generated document it came from (when it is one)."""

    pdf: bytes
    sha256: str
    generated_document: Any = None  # workflows.models.GeneratedDocument | None


@dataclass(frozen=True)
class SignableKind:
    key: str  # "<app>.<document>", stored on each signature
    label: str  # what the document is, in Indonesian (gettext_lazy)
    model: type[models.Model]
    source: Callable[[models.Model], SourcePdf | None]  # None: no PDF to sign yet
    signer_position: Callable[[models.Model], Any]  # the Position whose document it is, or None
    title: Callable[[models.Model], str]
    metadata: Callable[[models.Model], list[tuple[str, str]]]  # shown on the public verification page
    back_url: Callable[[models.Model], str]  # where the signer returns after signing
    reason: str  # the signature's reason ("Penetapan", "Keputusan", ...), may be lazy
    # Whether a signature freezes the document for good (a later render of the same object and kind is
    # refused), or a later step may add content in a new version that its own official signs (SPP → SPM).
    final: bool = True
    filename: Callable[[models.Model], str] | None = None


_KINDS: dict[str, SignableKind] = {}


def register(kind: SignableKind) -> None:
    _KINDS[kind.key] = kind


def get_kind(key: str) -> SignableKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"no signable document kind {key!r}") from None


def kinds() -> list[SignableKind]:
    return list(_KINDS.values())
