"""A repair request's letters signed by their officials: the decision letter by the lurah who decided, the SPP
by the bendahara who prepared it. A signed decision letter is final: asking for it again returns the signed
document instead of rendering it anew, and downloads serve the signed PDF."""
from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from budget_requests.pdf import KIND_DECISION, KIND_SPP, request_document
from budget_requests.services import payment_spp_submit, request_approve
from budget_requests.signing import signing_key
from tests.budget_requests.support import new_request
from tests.workflows.signing_support import PASSPHRASE, install
from workflows.acting import local_date
from workflows.models import GeneratedDocument, SignedDocument
from workflows.services.documents import document_latest, document_request
from workflows.services.signing import SigningError, document_sign
from workflows.signing.seed import issue_identity
from workflows.signing.validation import check_pdf


@pytest.fixture
def approved(repair_world, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    w = repair_world
    ca = install(settings, tmp_path, monkeypatch)
    for user in (w.lurah_babakan, w.bendahara_setu):
        issue_identity(user=user, ca=ca, passphrase=PASSPHRASE)
    r = new_request(w, amount=1_500_000, payment_route="LS")
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(request_obj=r, actor=w.lurah_babakan)
    return r


def test_lurah_signs_the_decision_letter_which_is_then_final(client, repair_world, approved):
    w, r = repair_world, approved
    letter = document_latest(obj=r, kind=KIND_DECISION)
    url = reverse("budget_requests:request_detail", args=[r.pk])
    client.force_login(w.bendahara_setu)
    assert reverse("document_sign", args=[signing_key(KIND_DECISION), r.pk]) not in client.get(url).content.decode()
    client.force_login(w.lurah_babakan)
    assert reverse("document_sign", args=[signing_key(KIND_DECISION), r.pk]) in client.get(url).content.decode()

    signed = document_sign(kind_key=signing_key(KIND_DECISION), obj=r, actor=w.lurah_babakan, passphrase=PASSPHRASE)
    assert signed.generated_document_id == letter.pk and signed.capacity_label == "Lurah Babakan"
    assert check_pdf(signed.file.read()).valid

    # Re-rendering is refused: even different content for the same letter answers the signed document.
    rows = GeneratedDocument.objects.count()
    again = document_request(obj=r, kind=KIND_DECISION, renderer="budget_requests.pdf.forwarding_letter", actor=None)
    assert again.pk == letter.pk and GeneratedDocument.objects.count() == rows
    assert request_document(r, KIND_DECISION).pk == letter.pk

    download = client.get(reverse("document_download", args=[letter.pk]))
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == signed.sha256
    assert 'data-signed' in client.get(url).content.decode()


def test_the_spp_is_signed_by_the_bendahara_not_by_the_lurah(repair_world, approved, django_capture_on_commit_callbacks):
    w, r = repair_world, approved
    with django_capture_on_commit_callbacks(execute=True):
        payment_spp_submit(request_obj=r, actor=w.bendahara_setu, number="SPP-LS/0007", issued_on=local_date(),
                           payee_name="CV Maju Jaya", payee_npwp="01.234.567.8-411.000", bank_name="Bank BJB",
                           bank_account="0012345678", pph=30_000, pph_article="PPh 23")
    from workflows.policy import Denied

    with pytest.raises(Denied):
        document_sign(kind_key=signing_key(KIND_SPP), obj=r, actor=w.lurah_babakan, passphrase=PASSPHRASE)
    signed = document_sign(kind_key=signing_key(KIND_SPP), obj=r, actor=w.bendahara_setu, passphrase=PASSPHRASE)
    assert signed.final is False and "Bendahara" in signed.capacity_label
    with pytest.raises(SigningError):
        document_sign(kind_key=signing_key(KIND_SPP), obj=r, actor=w.bendahara_setu, passphrase=PASSPHRASE)
    assert SignedDocument.objects.count() == 1
