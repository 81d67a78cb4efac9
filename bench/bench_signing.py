"""Electronic signatures: what signing and validating one document costs, next to rendering it.

A three-page A4 letter is rendered once with WeasyPrint (the baseline: the PDF every signature starts from),
then signed 30 times with the PKCS#12 signer (pyHanko, ECDSA P-256, visible block with QR code) and validated
30 times with pyHanko against the demo CA; medians in milliseconds.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

ROUNDS = 30


def _median_ms(fn, rounds: int = ROUNDS) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(timings), 2)


def run() -> list[dict]:
    from django.conf import settings

    from workflows.pdf import render_pdf
    from workflows.signing import SignatureBlock, SignerIdentity, democa
    from workflows.signing.pkcs12 import Pkcs12Signer
    from workflows.signing.validation import check_pdf

    folder = Path(tempfile.mkdtemp(prefix="pamong-bench-signing-"))
    ca = democa.create_ca(organization="Pemerintah Kota Bench")
    democa.save_ca(ca, folder)
    settings.PAMONG_SIGNING_TRUST_ROOTS = [str(folder / democa.CA_CERT_FILE)]
    archive = democa.issue_official(ca, common_name="Pejabat Bench", organization="Pemerintah Kota Bench",
                                    passphrase="bench", nik="3674000000000001").pkcs12
    paragraphs = "".join(f"<p>Paragraf {i}: isi surat keputusan untuk pengukuran tanda tangan.</p>" for i in range(120))
    html = f"<html><body class='a4'><h1>SURAT KEPUTUSAN</h1>{paragraphs}</body></html>"
    pdf = render_pdf(html)
    render_ms = _median_ms(lambda: render_pdf(html), rounds=5)
    block = SignatureBlock(signer_name="Pejabat Bench", capacity_label="Plh. Camat Setu",
                           verify_url="http://127.0.0.1:8000/publik/verifikasi/00000000-0000-4000-8000-000000000000",
                           reason="Bench", location="Tangerang Selatan")
    signer = Pkcs12Signer()
    identity = SignerIdentity(nik="3674000000000001", pkcs12=archive)
    signed = signer.sign(pdf=pdf, identity=identity, passphrase="bench", block=block)
    assert check_pdf(signed).valid
    sign_ms = _median_ms(lambda: signer.sign(pdf=pdf, identity=identity, passphrase="bench", block=block))
    validate_ms = _median_ms(lambda: check_pdf(signed))
    return [
        {"name": "tte_sign_pkcs12_ms", "value": sign_ms, "unit": "ms (median, 3-page A4 PDF)",
         "baseline_name": "tte_render_same_pdf_ms", "baseline_value": render_ms, "ratio": None},
        {"name": "tte_validate_ms", "value": validate_ms, "unit": "ms (median, pyHanko against the demo CA)",
         "baseline_name": "tte_render_same_pdf_ms", "baseline_value": render_ms, "ratio": None},
    ]
