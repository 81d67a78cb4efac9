"""Electronic signatures with the PKCS#12 signer: authority, the Plh capacity in the block, pyHanko validation,
the public verification page (intact and tampered copies), failures that leave the document unsigned, and a
passphrase that is never kept anywhere."""
from __future__ import annotations

import datetime as dt
import io
import json
import logging
import subprocess

import pytest
from django.core import serializers
from django.urls import reverse

from tests.workflows.signing_support import PASSPHRASE, TEST_KIND, install, unsigned_pdf
from workflows.models import AuditEvent, Position, SignedDocument, SigningIdentity, User
from workflows.policy import Denied
from workflows.services.signing import SigningError, document_sign
from workflows.signing.seed import issue_identity
from workflows.signing.validation import check_pdf


@pytest.fixture
def world(tangsel, settings, tmp_path, monkeypatch):
    ca = install(settings, tmp_path, monkeypatch)
    camat = Position.objects.get(code="camat-kec-setu")
    plh = User.objects.get(username="sekcam.setu")
    issue_identity(user=plh, ca=ca, passphrase=PASSPHRASE)
    issue_identity(user=User.objects.get(username="camat.setu"), ca=ca, passphrase=PASSPHRASE)
    return {"ca": ca, "camat": camat, "plh": plh}


def _page_text(pdf: bytes) -> str:
    """The text poppler draws, signature block included (it renders the widgets' appearance streams)."""
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_plh_signs_and_pyhanko_validates(world):
    signed = document_sign(kind_key=TEST_KIND, obj=world["camat"], actor=world["plh"], passphrase=PASSPHRASE)

    assert signed.capacity_label == "Plh. Camat Setu"
    data = signed.file.read()
    check = check_pdf(data)
    assert check.valid and check.signatures[0].trusted and check.signatures[0].intact
    text = _page_text(data)
    assert "Plh. Camat Setu" in text and "Demo Sekretaris Kecamatan Setu" in text
    event = AuditEvent.objects.get(action="document.sign")
    assert event.after["sha256"] == signed.sha256 and event.capacity == "Plh. Camat Setu"
    assert event.after["unsigned_sha256"] == signed.unsigned_sha256


def test_only_whoever_acts_for_the_position_signs(world):
    # The camat is on leave while the Plh is in force: authority follows the position, not the person.
    with pytest.raises(Denied):
        document_sign(kind_key=TEST_KIND, obj=world["camat"], actor=User.objects.get(username="camat.setu"),
                      passphrase=PASSPHRASE)
    assert not SignedDocument.objects.exists()


def test_signing_twice_is_refused(world):
    document_sign(kind_key=TEST_KIND, obj=world["camat"], actor=world["plh"], passphrase=PASSPHRASE)
    with pytest.raises(SigningError) as refused:
        document_sign(kind_key=TEST_KIND, obj=world["camat"], actor=world["plh"], passphrase=PASSPHRASE)
    assert refused.value.code == "already_signed"
    assert SignedDocument.objects.count() == 1


def test_wrong_passphrase_leaves_the_document_unsigned_and_may_be_retried(world):
    with pytest.raises(SigningError) as failed:
        document_sign(kind_key=TEST_KIND, obj=world["camat"], actor=world["plh"], passphrase="salah-ketik")
    assert failed.value.code == "wrong_passphrase"
    assert "Passphrase salah" in failed.value.message
    assert not SignedDocument.objects.exists()
    assert AuditEvent.objects.get(action="document.sign_failed").after["code"] == "wrong_passphrase"

    signed = document_sign(kind_key=TEST_KIND, obj=world["camat"], actor=world["plh"], passphrase=PASSPHRASE)
    assert check_pdf(signed.file.read()).valid


def test_expired_certificate_is_refused_in_indonesian(world):
    three_years_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3 * 365)
    issue_identity(user=world["plh"], ca=world["ca"], passphrase=PASSPHRASE, now=three_years_ago)
    with pytest.raises(SigningError) as failed:
        document_sign(kind_key=TEST_KIND, obj=world["camat"], actor=world["plh"], passphrase=PASSPHRASE)
    assert failed.value.code == "certificate_expired"
    assert "kedaluwarsa" in failed.value.message
    assert not SignedDocument.objects.exists()


def test_verification_page_shows_validity_and_detects_a_tampered_copy(world, client):
    signed = document_sign(kind_key=TEST_KIND, obj=world["camat"], actor=world["plh"], passphrase=PASSPHRASE)
    url = reverse("signature_verify", args=[signed.public_id])
    assert url == f"/publik/verifikasi/{signed.public_id}"

    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-verify-status="valid"' in text and signed.sha256 in text and "Plh. Camat Setu" in text

    data = signed.file.open("rb").read()
    intact = client.post(url, {"file": io.BytesIO(data)}, format="multipart")
    assert 'data-copy-result="valid"' in intact.content.decode()

    tampered = bytearray(data)
    middle = len(unsigned_pdf()) // 2  # inside the signed byte range
    tampered[middle] ^= 0x01
    upload = io.BytesIO(bytes(tampered))
    upload.name = "salinan.pdf"
    answer = client.post(url, {"file": upload})
    body = answer.content.decode()
    assert 'data-copy-result="invalid"' in body
    assert "TIDAK SAH" in body


def test_verification_page_refuses_a_file_that_is_not_a_pdf(world, client):
    signed = document_sign(kind_key=TEST_KIND, obj=world["camat"], actor=world["plh"], passphrase=PASSPHRASE)
    upload = io.BytesIO(b"bukan pdf")
    upload.name = "catatan.txt"
    answer = client.post(reverse("signature_verify", args=[signed.public_id]), {"file": upload})
    assert answer.status_code == 400
    assert "catatan.txt bukan PDF" in answer.content.decode()


def test_passphrase_is_never_stored_logged_or_echoed(world, client, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(world["plh"])
    url = reverse("document_sign", args=[TEST_KIND, world["camat"].pk])

    refused = client.post(url, {"passphrase": PASSPHRASE + "-keliru"})
    assert refused.status_code == 400 and "Passphrase salah" in refused.content.decode()
    assert PASSPHRASE not in refused.content.decode()
    signed = client.post(url, {"passphrase": PASSPHRASE})
    assert signed.status_code == 302
    assert SignedDocument.objects.count() == 1
    # Signed for good: the form is gone, the page leads to the public verification.
    public_id = SignedDocument.objects.get().public_id
    assert client.get(url)["Location"] == reverse("signature_verify", args=[public_id])

    assert PASSPHRASE not in caplog.text
    for model in (AuditEvent, SignedDocument, SigningIdentity):
        dumped = serializers.serialize("json", model.objects.all())
        assert PASSPHRASE not in dumped, model
    for identity in SigningIdentity.objects.all():
        assert PASSPHRASE.encode() not in bytes(identity.pkcs12)
    for event in AuditEvent.objects.all():
        assert PASSPHRASE not in json.dumps([event.before, event.after, event.origin, event.reason])


def test_sign_page_refuses_someone_who_does_not_act_for_the_position(world, client):
    client.force_login(User.objects.get(username="lurah.babakan"))
    page = client.get(reverse("document_sign", args=[TEST_KIND, world["camat"].pk]))
    assert page.status_code == 403
    assert "Camat Setu" in page.content.decode()


def test_nik_is_sixteen_digits_and_its_change_is_audited(world):
    from django.core.exceptions import ValidationError

    from workflows.services.signing import signing_identity_set

    admin = User.objects.get(username="admin")
    with pytest.raises(ValidationError) as bad:
        signing_identity_set(user=world["plh"], nik="36740112", actor=admin)
    assert "36740112" in bad.value.messages[0]
    identity = signing_identity_set(user=world["plh"], nik="3674011201800001", actor=admin)
    assert identity.nik == "3674011201800001"
    assert AuditEvent.objects.get(action="signing_identity.set").after == {"nik": "3674011201800001"}


def test_seed_issues_one_certificate_per_official_once(tangsel, settings, tmp_path):
    from workflows.signing.seed import seed_signing

    settings.PAMONG_SIGNING_DIR = tmp_path / "signing"
    first = seed_signing()
    assert first["certificates_issued"] == SigningIdentity.objects.count() > 100
    assert (tmp_path / "signing" / "demo-ca.pem").is_file()
    assert seed_signing() == {"certificates_issued": 0}


def test_error_reports_hide_the_passphrase(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.views.debug import SafeExceptionReporterFilter

    from workflows.views_signing import document_sign_view

    request = rf.post("/tte/x/1/tandatangani/", {"passphrase": PASSPHRASE})
    request.user = AnonymousUser()
    document_sign_view(request, "x", "1")  # sent to the login page, after marking the parameter sensitive
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleansed["passphrase"] != PASSPHRASE and set(cleansed["passphrase"]) == {"*"}


KABUPATEN_TANGERANG = {"kind": "kabupaten", "name": "Tangerang", "province": "Banten", "capital": "Tigaraksa",
                       "province_capital": "Serang", "code": "36.03"}


def test_demo_identity_follows_the_region_settings(world, settings):
    settings.PAMONG_REGION = KABUPATEN_TANGERANG
    plh = world["plh"]
    identity = issue_identity(user=plh, ca=world["ca"], passphrase=PASSPHRASE)
    # A resident's NIK opens with the region's area code: 36.03 for Kabupaten Tangerang.
    assert identity.nik == f"3603{plh.pk:012d}"
    assert "Pemerintah Kabupaten Tangerang" in identity.certificate_subject
    assert "Tangerang Selatan" not in identity.certificate_subject
    signed = document_sign(kind_key=TEST_KIND, obj=world["camat"], actor=plh, passphrase=PASSPHRASE)
    assert check_pdf(signed.file.open("rb").read()).valid


def test_region_without_an_area_code_cannot_make_a_demo_nik(world, settings):
    from workflows.signing.seed import demo_nik

    settings.PAMONG_REGION = {**KABUPATEN_TANGERANG, "code": ""}
    with pytest.raises(ValueError):
        demo_nik(world["plh"])
    settings.PAMONG_REGION = {**KABUPATEN_TANGERANG, "code": "36.03.01"}  # a kecamatan, not a kabupaten
    with pytest.raises(ValueError):
        demo_nik(world["plh"])


def test_verification_page_names_the_configured_region(world, client, settings):
    signed = document_sign(kind_key=TEST_KIND, obj=world["camat"], actor=world["plh"], passphrase=PASSPHRASE)
    settings.PAMONG_REGION = KABUPATEN_TANGERANG
    text = client.get(reverse("signature_verify", args=[signed.public_id])).content.decode()
    assert "Verifikasi tanda tangan elektronik · Kabupaten Tangerang</header>" in text
    # The certificate, issued earlier, still names its own holder's government; the page's frame does not.
    assert "· Kota Tangerang Selatan" not in text
