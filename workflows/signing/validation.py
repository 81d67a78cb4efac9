"""Checking the signatures of a PDF with pyHanko against the trust roots of the settings.

``PAMONG_SIGNING_TRUST_ROOTS`` lists certificate files (PEM or DER): the demo CA in development and tests, the
BSrE root and intermediate certificates in production. Revocation data is fetched from the network only when
``PAMONG_SIGNING_ALLOW_FETCHING`` is on (production with BSrE's OCSP/CRL reachable).
"""
from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignatureCheck:
    field_name: str
    signer_name: str
    signer_subject: str
    signing_time: dt.datetime | None
    intact: bool  # the signed bytes hash to the value that was signed
    valid: bool  # the cryptographic signature over that hash is sound
    trusted: bool  # the signer's certificate chains up to a configured trust root
    covers_whole_file: bool  # nothing was appended after this signature
    bottom_line: bool  # pyHanko's overall judgement

    @property
    def ok(self) -> bool:
        return self.bottom_line and self.covers_whole_file


@dataclass(frozen=True)
class PdfCheck:
    readable: bool
    signatures: list[SignatureCheck] = field(default_factory=list)
    error: str = ""

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def intact(self) -> bool:
        return self.readable and self.signed and all(s.intact and s.valid for s in self.signatures)

    @property
    def valid(self) -> bool:
        """Every signature sound and trusted, and the last one covers the whole file."""
        return self.intact and all(s.bottom_line for s in self.signatures) and self.signatures[-1].covers_whole_file


def _load_root(path: Path):
    from asn1crypto import pem, x509

    data = path.read_bytes()
    if pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


def trust_roots() -> list:
    roots = []
    for name in settings.PAMONG_SIGNING_TRUST_ROOTS:
        path = Path(name)
        if not path.is_file():
            logger.warning("signing trust root %s does not exist", path)
            continue
        roots.extend(_load_root(path))
    return roots


def _validation_context():
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=trust_roots(), allow_fetching=settings.PAMONG_SIGNING_ALLOW_FETCHING)


def _subject_name(cert) -> tuple[str, str]:
    subject = cert.subject
    return subject.native.get("common_name", "") or "", subject.human_friendly


def check_pdf(pdf: bytes) -> PdfCheck:
    """Validate every signature of ``pdf``. An unreadable or malformed file is reported, never raised."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # noqa: BLE001 - any parse error means "not a readable PDF"
        return PdfCheck(readable=False, error=f"{type(exc).__name__}: {exc}"[:500])
    checks = []
    for sig in embedded:
        try:
            status = validate_pdf_signature(sig, _validation_context())
        except Exception as exc:  # noqa: BLE001 - whatever pyHanko raises, a damaged signature is not valid
            # A signature whose structure was damaged (a byte changed inside it) cannot even be evaluated.
            checks.append(SignatureCheck(field_name=sig.field_name or "", signer_name="", signer_subject="",
                                         signing_time=None, intact=False, valid=False, trusted=False,
                                         covers_whole_file=False, bottom_line=False))
            logger.info("signature %s could not be evaluated: %s", sig.field_name, exc)
            continue
        common_name, subject = _subject_name(status.signing_cert)
        checks.append(SignatureCheck(
            field_name=sig.field_name or "", signer_name=common_name, signer_subject=subject,
            signing_time=status.signer_reported_dt, intact=bool(status.intact), valid=bool(status.valid),
            trusted=bool(status.trusted), covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            bottom_line=bool(status.bottom_line),
        ))
    return PdfCheck(readable=True, signatures=checks)
