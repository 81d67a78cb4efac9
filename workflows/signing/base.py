"""What every signer offers: sign a PDF for one official, with a visible signature block.

Two implementations sit behind this interface (``PAMONG_SIGNING_BACKEND``):

* ``pkcs12`` — pyHanko with a PKCS#12 archive per official (``workflows.signing.pkcs12``), for ``make run`` and
  the tests, with the demo CA that ``seed_demo`` creates;
* ``bsre`` — the Esign Client Service of BSrE (BSSN) that a region installs on its own premises
  (``workflows.signing.bsre``).

The passphrase is passed through, used once and dropped: signers never store or log it, and a failure's
message never repeats it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext_lazy as _l


@dataclass(frozen=True)
class SignatureBlock:
    """What the visible signature block shows, and where its QR code points."""

    signer_name: str
    capacity_label: str  # "Plh. Camat Setu"
    verify_url: str  # the public verification page of this signature
    reason: str
    location: str


@dataclass(frozen=True)
class SignerIdentity:
    """Who signs: the official's NIK (BSrE) and, for the demo signer, their PKCS#12 archive."""

    nik: str
    pkcs12: bytes | None = None


class SigningFailed(Exception):
    """A signature was not made. ``code`` is machine-readable, ``message`` is for the user (Indonesian);
    ``transient`` says whether trying again later may help (the service was down) or the user must change
    something first (the passphrase, an expired certificate)."""

    MESSAGES = {
        "wrong_passphrase": _l("Passphrase salah. Periksa kembali passphrase sertifikat elektronik Anda lalu coba "
                               "lagi."),
        "certificate_expired": _l("Sertifikat elektronik Anda sudah kedaluwarsa atau tidak aktif. Hubungi "
                                  "koordinator TTE untuk memperbaruinya."),
        "not_registered": _l("NIK Anda belum terdaftar sebagai pemilik sertifikat elektronik. Hubungi koordinator "
                             "TTE."),
        "no_certificate": _l("Anda belum memiliki sertifikat elektronik untuk tanda tangan."),
        "service_unavailable": _l("Layanan tanda tangan elektronik sedang tidak dapat dihubungi. Dokumen belum "
                                  "ditandatangani; silakan coba lagi beberapa saat lagi."),
        "service_error": _l("Layanan tanda tangan elektronik menolak permintaan. Dokumen belum ditandatangani; "
                            "silakan coba lagi atau hubungi koordinator TTE."),
        "invalid_result": _l("Hasil tanda tangan tidak lolos verifikasi. Dokumen belum ditandatangani; silakan "
                             "coba lagi."),
    }
    TRANSIENT = frozenset({"service_unavailable", "service_error", "invalid_result"})

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail  # for the log and the audit trail; never the passphrase
        super().__init__(f"{code}: {detail}" if detail else code)

    @property
    def message(self) -> str:
        return str(self.MESSAGES.get(self.code, self.MESSAGES["service_error"]))

    @property
    def transient(self) -> bool:
        return self.code in self.TRANSIENT


class Signer(Protocol):
    """Signs ``pdf`` as a PAdES signature of ``identity`` with a visible ``block``; returns the signed PDF."""

    name: str

    def sign(self, *, pdf: bytes, identity: SignerIdentity, passphrase: str, block: SignatureBlock) -> bytes: ...
