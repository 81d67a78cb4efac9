"""The BSrE signer: the Esign Client Service that a region installs on its own premises (BSrE, BSSN).

The service's API (version 1 of BSrE's technical guide for the Esign Client Service), under
``PAMONG_BSRE_BASE_URL`` with HTTP Basic credentials (``PAMONG_BSRE_USERNAME`` / ``PAMONG_BSRE_PASSWORD``):

* ``POST /api/sign/pdf`` — multipart: ``file`` (the PDF), ``nik``, ``passphrase``, ``tampilan`` (``visible`` /
  ``invisible``), ``image`` (``true`` to stamp ``imageTTD``), ``imageTTD`` (PNG), ``page``, ``xAxis``, ``yAxis``,
  ``width``, ``height``, ``reason``, ``location``. Answers the signed PDF with its id in the ``id_dokumen``
  header, or a JSON error ``{"error": "...", "status_code": N}`` (2031: wrong passphrase, 2011: NIK not
  registered; an expired or revoked certificate is reported in the message);
* ``GET /api/sign/download/<id_dokumen>`` — the signed PDF;
* ``POST /api/sign/verify`` — multipart ``signed_file``: a JSON report whose ``summary`` is ``VALID`` when every
  signature checks out.

The meaning of ``xAxis``/``yAxis`` (PDF points from the bottom-left corner here) and the status code of an
expired certificate are to be confirmed against the version a region installs. The passphrase goes into the
request body only; it is never logged, and no error message repeats the request.
"""
from __future__ import annotations

import logging

from django.conf import settings

from .appearance import block_lines, placement_in
from .base import SignatureBlock, SignerIdentity, SigningFailed
from .block_image import block_png

logger = logging.getLogger(__name__)

WRONG_PASSPHRASE = 2031
NOT_REGISTERED = 2011
EXPIRED_WORDS = ("kadaluarsa", "kedaluwarsa", "expired", "revoke", "dicabut", "tidak aktif", "not active")


def _classify(status: int, body: bytes) -> SigningFailed:
    """Turn an error answer of the service into a failure the user can act on."""
    import json

    try:
        payload = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    code = payload.get("status_code")
    text = str(payload.get("error") or payload.get("message") or "")[:300]
    detail = f"HTTP {status}, status_code {code}: {text}"
    if status >= 500:
        return SigningFailed("service_unavailable" if status in (502, 503, 504) else "service_error", detail)
    if code == WRONG_PASSPHRASE or "passphrase" in text.lower():
        return SigningFailed("wrong_passphrase", detail)
    if code == NOT_REGISTERED:
        return SigningFailed("not_registered", detail)
    if any(word in text.lower() for word in EXPIRED_WORDS):
        return SigningFailed("certificate_expired", detail)
    return SigningFailed("service_error", detail)


class BsreSigner:
    name = "bsre"

    def __init__(self, *, base_url: str | None = None, username: str | None = None, password: str | None = None,
                 timeout: float | None = None):
        self.base_url = (base_url or settings.PAMONG_BSRE_BASE_URL).rstrip("/")
        self.auth = (username if username is not None else settings.PAMONG_BSRE_USERNAME,
                     password if password is not None else settings.PAMONG_BSRE_PASSWORD)
        self.timeout = timeout or settings.PAMONG_BSRE_TIMEOUT_SECONDS

    def _call(self, method: str, path: str, **kwargs):
        import requests

        try:
            response = requests.request(method, f"{self.base_url}{path}", auth=self.auth, timeout=self.timeout,
                                        allow_redirects=False, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise SigningFailed("service_unavailable", f"{method} {path}: {type(exc).__name__}") from None
        except requests.RequestException as exc:
            raise SigningFailed("service_error", f"{method} {path}: {type(exc).__name__}") from None
        if response.status_code != 200:
            raise _classify(response.status_code, response.content)
        return response

    def sign(self, *, pdf: bytes, identity: SignerIdentity, passphrase: str, block: SignatureBlock) -> bytes:
        import io

        from pyhanko.pdf_utils.reader import PdfFileReader

        if not identity.nik:
            raise SigningFailed("not_registered", "no NIK recorded for the signer")
        where = placement_in(PdfFileReader(io.BytesIO(pdf), strict=False))
        x1, y1, x2, y2 = where.box
        lines = block_lines(block)
        data = {
            "nik": identity.nik, "passphrase": passphrase, "tampilan": "visible", "image": "true",
            "page": str(where.page + 1), "xAxis": str(x1), "yAxis": str(y1), "width": str(x2 - x1),
            "height": str(y2 - y1), "reason": block.reason, "location": block.location,
        }
        files = {"file": ("dokumen.pdf", pdf, "application/pdf"),
                 "imageTTD": ("spesimen.png", block_png(lines, block.verify_url), "image/png")}
        response = self._call("POST", "/api/sign/pdf", data=data, files=files)
        document_id = response.headers.get("id_dokumen", "")
        if not document_id:
            raise SigningFailed("invalid_result", "the service answered without id_dokumen")
        signed = self._call("GET", f"/api/sign/download/{document_id}").content
        if not signed.startswith(b"%PDF-"):
            raise SigningFailed("invalid_result", f"download of {document_id} is not a PDF")
        self.verify(signed)
        return signed

    def verify(self, pdf: bytes) -> dict:
        """The service's own verdict on a signed PDF; ``invalid_result`` unless it is ``VALID``."""
        report = self._call("POST", "/api/sign/verify",
                            files={"signed_file": ("dokumen.pdf", pdf, "application/pdf")}).json()
        summary = str(report.get("summary", "")).upper() if isinstance(report, dict) else ""
        if summary != "VALID":
            raise SigningFailed("invalid_result", f"verify summary {summary or 'missing'}")
        return report
