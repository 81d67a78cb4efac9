"""A small stand-in for BSrE's Esign Client Service, served on a local port for the BSrE signer's tests.

It implements the documented endpoints — ``POST /api/sign/pdf`` (answers the signed PDF with ``id_dokumen``),
``GET /api/sign/download/<id>``, ``POST /api/sign/verify`` — behind HTTP Basic credentials, and their error
answers: a wrong passphrase (status_code 2031), an unknown NIK (2011), an expired certificate, and a service
that is down (503). It signs with pyHanko and a certificate of the test CA held for each NIK, as the real
service holds the official's key.
"""
from __future__ import annotations

import base64
import datetime as dt
import io
import json
import threading
import uuid
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

USERNAME, PASSWORD = "esign", "rahasia-layanan"


@dataclass
class Holder:
    pkcs12: bytes
    passphrase: str
    expired: bool = False


@dataclass
class FakeService:
    holders: dict[str, Holder] = field(default_factory=dict)
    documents: dict[str, bytes] = field(default_factory=dict)
    down: bool = False
    requests: list[dict] = field(default_factory=list)  # what each sign request carried (no passphrase kept)


def _form(handler) -> dict[str, bytes]:
    length = int(handler.headers.get("Content-Length", 0))
    body = handler.rfile.read(length)
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + handler.headers["Content-Type"].encode() + b"\r\n\r\n" + body)
    fields = {}
    for part in message.iter_parts():
        fields[part.get_param("name", header="content-disposition")] = part.get_payload(decode=True)
    return fields


def _sign(pdf: bytes, holder: Holder) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12_data(holder.pkcs12, other_certs=[],
                                                   passphrase=holder.passphrase.encode())
    out = io.BytesIO()
    meta = signers.PdfSignatureMetadata(field_name="BSrE-1", subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256")
    signers.PdfSigner(meta, signer=signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out)
    return out.getvalue()


def make_handler(service: FakeService):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output quiet
            pass

        def _answer(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: int, message: str, code: int | None = None):
            payload = {"error": message}
            if code is not None:
                payload["status_code"] = code
            self._answer(status, json.dumps(payload).encode(), "application/json")

        def _authorised(self) -> bool:
            expected = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
            if service.down:
                self._error(503, "Service Unavailable")
                return False
            if self.headers.get("Authorization") != expected:
                self._error(401, "Unauthorized")
                return False
            return True

        def do_POST(self):
            if not self._authorised():
                return
            form = _form(self)
            if self.path == "/api/sign/pdf":
                nik = form.get("nik", b"").decode()
                service.requests.append({k: v for k, v in form.items() if k != "passphrase"})
                holder = service.holders.get(nik)
                if holder is None:
                    return self._error(400, "User tidak terdaftar", 2011)
                if holder.expired:
                    return self._error(400, "Sertifikat user sudah kadaluarsa", 2051)
                if form.get("passphrase", b"").decode() != holder.passphrase:
                    return self._error(400, "Passphrase anda salah", 2031)
                signed = _sign(form["file"], holder)
                document_id = uuid.uuid4().hex
                service.documents[document_id] = signed
                return self._answer(200, signed, "application/pdf", {"id_dokumen": document_id})
            if self.path == "/api/sign/verify":
                from workflows.signing.validation import check_pdf

                check = check_pdf(form.get("signed_file", b""))
                report = {"nama_dokumen": "dokumen.pdf", "jumlah_signature": len(check.signatures),
                          "summary": "VALID" if check.valid else "NOT_VALID",
                          "notes": "Dokumen valid" if check.valid else "Dokumen tidak valid",
                          "checked_at": dt.datetime.now(dt.timezone.utc).isoformat()}
                return self._answer(200, json.dumps(report).encode(), "application/json")
            self._error(404, "Not Found")

        def do_GET(self):
            if not self._authorised():
                return
            prefix = "/api/sign/download/"
            if self.path.startswith(prefix) and self.path[len(prefix):] in service.documents:
                return self._answer(200, service.documents[self.path[len(prefix):]], "application/pdf")
            self._error(404, "Dokumen tidak ditemukan")

    return Handler


class Running:
    def __init__(self, service: FakeService):
        self.service = service
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(service))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
