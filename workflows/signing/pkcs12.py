"""The PKCS#12 signer: pyHanko signs with the official's own archive, opened with the passphrase they type.

Used by ``make run`` and the tests with the demo CA of ``workflows.signing.democa``; a region without the BSrE
service could also give its officials archives from another CA and list that CA in the trust roots.
"""
from __future__ import annotations

import datetime as dt
import io
import uuid

from .appearance import block_lines, placement_in
from .base import SignatureBlock, SignerIdentity, SigningFailed

FIELD_PREFIX = "TTE"


def _stamp_style():
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import QRStampStyle

    template = "\n".join(f"%(line{i})s" for i in range(5))  # the five lines of appearance.block_lines
    return QRStampStyle(stamp_text=template, border_width=0, text_box_style=TextBoxStyle(font_size=6))


def _open_archive(identity: SignerIdentity, passphrase: str):
    from pyhanko.sign.signers import SimpleSigner

    if not identity.pkcs12:
        raise SigningFailed("no_certificate")
    try:
        # The passphrase is dropped with this frame; pyHanko's own error says nothing about it.
        return SimpleSigner.load_pkcs12_data(identity.pkcs12, other_certs=[], passphrase=passphrase.encode("utf-8"))
    except ValueError:
        raise SigningFailed("wrong_passphrase") from None


class Pkcs12Signer:
    name = "pkcs12"

    def sign(self, *, pdf: bytes, identity: SignerIdentity, passphrase: str, block: SignatureBlock) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields
        from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

        signer = _open_archive(identity, passphrase)
        not_after = signer.signing_cert.not_valid_after
        if not_after < dt.datetime.now(dt.timezone.utc):
            raise SigningFailed("certificate_expired", f"certificate expired on {not_after.isoformat()}")
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        where = placement_in(writer)
        field_name = f"{FIELD_PREFIX}-{uuid.uuid4().hex[:12]}"  # unique even on a PDF that already has fields
        meta = PdfSignatureMetadata(
            field_name=field_name, reason=block.reason, location=block.location, name=block.signer_name,
            md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        )
        spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=where.page, box=where.box)
        lines = block_lines(block)
        params = {"url": block.verify_url, **{f"line{i}": text for i, text in enumerate(lines)}}
        out = io.BytesIO()
        PdfSigner(meta, signer=signer, stamp_style=_stamp_style(), new_field_spec=spec).sign_pdf(
            writer, output=out, appearance_text_params=params,
        )
        return out.getvalue()
