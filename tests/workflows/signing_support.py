"""Shared set-up of the signing tests: a demo CA in a temporary folder as the only trust root, a signable
kind backed by a small rendered PDF, and signing identities for the officials of Kecamatan Setu."""
from __future__ import annotations

import hashlib
from functools import lru_cache

from workflows.models import Position
from workflows.signing import democa
from workflows.signing.registry import SignableKind, SourcePdf

TEST_KIND = "tests.surat"
PASSPHRASE = "Kunci-Rahasia-7391"


@lru_cache(maxsize=1)
def unsigned_pdf() -> bytes:
    from workflows.pdf import render_pdf

    return render_pdf("<html><body class='a4'><h1>SURAT UJI</h1><p>Isi surat uji tanda tangan.</p></body></html>")


def test_kind() -> SignableKind:
    def source(position: Position) -> SourcePdf:
        data = unsigned_pdf()
        return SourcePdf(pdf=data, sha256=hashlib.sha256(data).hexdigest())

    return SignableKind(
        key=TEST_KIND, label="Surat uji", model=Position, source=source, signer_position=lambda position: position,
        title=lambda position: f"Surat uji {position.title}", metadata=lambda position: [("Nomor", "UJI/1")],
        back_url=lambda position: "/", reason="Uji",
    )


def install(settings, tmp_path, monkeypatch) -> democa.DemoCA:
    """Point the signing settings at a fresh demo CA and register the test kind; returns the CA."""
    from workflows.signing import registry

    settings.PAMONG_SIGNING_DIR = tmp_path / "signing"
    settings.PAMONG_SIGNING_TRUST_ROOTS = [str(tmp_path / "signing" / democa.CA_CERT_FILE)]
    settings.PAMONG_SIGNING_BACKEND = "pkcs12"
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setitem(registry._KINDS, TEST_KIND, test_kind())
    return democa.load_or_create_ca(settings.PAMONG_SIGNING_DIR, organization="Pemerintah Kota Uji")
