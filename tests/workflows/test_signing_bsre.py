"""The BSrE signer against a local stand-in of the Esign Client Service: a signature that pyHanko validates,
and the service's error answers (wrong passphrase, expired certificate, service down) after which the document
stays unsigned, the official reads why in Indonesian, and signing again succeeds."""
from __future__ import annotations

import logging
import socket

import pytest
from django.urls import reverse

from tests.workflows import bsre_fake
from tests.workflows.signing_support import PASSPHRASE, TEST_KIND, install
from workflows.models import AuditEvent, Position, SignedDocument, User
from workflows.signing import democa
from workflows.signing.seed import demo_nik, issue_identity
from workflows.signing.validation import check_pdf


@pytest.fixture
def bsre(tangsel, settings, tmp_path, monkeypatch):
    ca = install(settings, tmp_path, monkeypatch)
    plh = User.objects.get(username="sekcam.setu")
    # The service holds the key; Pamong knows only the official's NIK.
    identity = issue_identity(user=plh, ca=ca, passphrase=PASSPHRASE)
    identity.pkcs12 = b""
    identity.save(update_fields=["pkcs12"])
    archive = democa.issue_official(ca, common_name="Demo Sekretaris Kecamatan Setu", organization="Pemerintah Kota Uji",
                                    passphrase=PASSPHRASE, nik=demo_nik(plh)).pkcs12
    service = bsre_fake.FakeService(holders={demo_nik(plh): bsre_fake.Holder(archive, PASSPHRASE)})
    with bsre_fake.Running(service) as running:
        settings.PAMONG_SIGNING_BACKEND = "bsre"
        settings.PAMONG_BSRE_BASE_URL = running.base_url
        settings.PAMONG_BSRE_USERNAME = bsre_fake.USERNAME
        settings.PAMONG_BSRE_PASSWORD = bsre_fake.PASSWORD
        yield {"service": service, "plh": plh, "camat": Position.objects.get(code="camat-kec-setu"),
               "url": reverse("document_sign", args=[TEST_KIND, Position.objects.get(code="camat-kec-setu").pk])}


def test_bsre_signs_with_nik_and_the_result_validates(bsre, client):
    client.force_login(bsre["plh"])
    answer = client.post(bsre["url"], {"passphrase": PASSPHRASE})
    assert answer.status_code == 302
    signed = SignedDocument.objects.get()
    assert signed.backend == "bsre" and signed.capacity_label == "Plh. Camat Setu"
    assert check_pdf(signed.file.read()).valid
    sent = bsre["service"].requests[-1]
    assert sent["nik"].decode() == demo_nik(bsre["plh"]) and sent["tampilan"] == b"visible"
    assert sent["imageTTD"].startswith(b"\x89PNG")  # the block with its QR code, drawn by Pamong


@pytest.mark.parametrize("breakage, expected", [
    ("passphrase", "Passphrase salah"),
    ("expired", "kedaluwarsa"),
    ("down", "tidak dapat dihubungi"),
])
def test_bsre_errors_leave_the_document_unsigned_and_signing_again_works(bsre, client, caplog, breakage, expected):
    caplog.set_level(logging.DEBUG)
    client.force_login(bsre["plh"])
    holder = bsre["service"].holders[demo_nik(bsre["plh"])]
    typed = PASSPHRASE
    if breakage == "passphrase":
        typed = PASSPHRASE + "-salah"
    elif breakage == "expired":
        holder.expired = True
    else:
        bsre["service"].down = True

    failed = client.post(bsre["url"], {"passphrase": typed})
    assert failed.status_code == 400
    assert expected in failed.content.decode()
    assert not SignedDocument.objects.exists()
    assert AuditEvent.objects.filter(action="document.sign_failed").count() == 1

    holder.expired = False
    bsre["service"].down = False
    retried = client.post(bsre["url"], {"passphrase": PASSPHRASE})
    assert retried.status_code == 302
    assert SignedDocument.objects.count() == 1
    assert PASSPHRASE not in caplog.text


def test_bsre_unreachable_is_reported_as_service_down(bsre, client, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.PAMONG_BSRE_BASE_URL = f"http://127.0.0.1:{port}"
    client.force_login(bsre["plh"])
    failed = client.post(bsre["url"], {"passphrase": PASSPHRASE})
    assert failed.status_code == 400
    assert "tidak dapat dihubungi" in failed.content.decode()
    assert not SignedDocument.objects.exists()


def test_bsre_unknown_nik_is_explained(bsre, client):
    bsre["service"].holders.clear()
    client.force_login(bsre["plh"])
    failed = client.post(bsre["url"], {"passphrase": PASSPHRASE})
    assert "belum terdaftar" in failed.content.decode()
    assert not SignedDocument.objects.exists()
