"""The enacted regulation signed electronically by the Wali Kota: the formation page offers the action to
whoever acts for the Wali Kota only, and from then on the JDIH serves the signed PDF (never the unsigned
render again) with a link to its public verification."""
from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from perda.services import enactment
from perda.services import formation as svc
from perda.signing import KIND
from tests.workflows.signing_support import PASSPHRASE, install, unsigned_pdf
from workflows.models import AuditEvent, SignedDocument
from workflows.signing.seed import issue_identity
from workflows.signing.validation import check_pdf

from .formation_support import fill_jdih_metadata, make_draft, people  # noqa: F401
from .test_formation import finish, walk_to_penetapan

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(people, settings, tmp_path, monkeypatch):
    ca = install(settings, tmp_path, monkeypatch)
    monkeypatch.setattr("perda.services.enactment.render_version_pdf", lambda version: unsigned_pdf())
    f = finish(people, walk_to_penetapan(people, make_draft(people, title="Penyelenggaraan Kota Cerdas")))
    enactment.enacted_pdf_freeze(regulation_id=f.regulation_id)
    fill_jdih_metadata(f, people.kabag)
    svc.formation_publish(formation=f, actor=people.kabag)
    issue_identity(user=people.walikota, ca=ca, passphrase=PASSPHRASE)
    issue_identity(user=people.sekda, ca=ca, passphrase=PASSPHRASE)
    f.regulation.refresh_from_db()
    return f.regulation


def test_walikota_signs_and_jdih_serves_only_the_signed_pdf(client, people, published):
    regulation = published
    unsigned_sha = regulation.enacted_pdf_sha256
    client.force_login(people.walikota)
    page = client.get(reverse("perda:formation_detail", args=[regulation.pk])).content.decode()
    sign_url = reverse("document_sign", args=[KIND, regulation.pk])
    assert sign_url in page

    assert client.post(sign_url, {"passphrase": PASSPHRASE}).status_code == 302
    signed = SignedDocument.objects.get()
    assert signed.unsigned_sha256 == unsigned_sha and signed.capacity_label == "Wali Kota Tangerang Selatan"

    served = client.get(reverse("perda:jdih_pdf", args=[regulation.pk]))
    body = b"".join(served.streaming_content)
    assert served["X-Content-SHA256"] == signed.sha256 == hashlib.sha256(body).hexdigest()
    assert check_pdf(body).valid
    # The frozen PDF is not rendered again: freezing answers the same hash and the page keeps the signed one.
    assert enactment.enacted_pdf_freeze(regulation_id=regulation.pk) == unsigned_sha
    detail = client.get(reverse("perda:jdih_detail", args=[regulation.pk])).content.decode()
    assert reverse("signature_verify", args=[signed.public_id]) in detail and signed.sha256 in detail
    event = AuditEvent.objects.get(action="document.sign")
    assert event.after["sha256"] == signed.sha256

    verify = client.get(reverse("signature_verify", args=[signed.public_id])).content.decode()
    assert "Peraturan Daerah Nomor" in verify and 'data-verify-status="valid"' in verify


def test_the_sekda_may_not_sign_the_regulation(client, people, published):
    client.force_login(people.sekda)
    page = client.get(reverse("perda:formation_detail", args=[published.pk])).content.decode()
    assert reverse("document_sign", args=[KIND, published.pk]) not in page
    refused = client.post(reverse("document_sign", args=[KIND, published.pk]), {"passphrase": PASSPHRASE})
    assert refused.status_code == 403
    assert not SignedDocument.objects.exists()
