"""Generated documents: request, reuse by content hash, background rendering, permission-checked download."""
import hashlib
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import UserFactory
from workflows.models import AuditEvent, GeneratedDocument
from workflows.services.documents import document_latest, document_render, document_request
from workflows.tasks import render_document

pytestmark = pytest.mark.django_db

RENDERER = "tests.workflows.test_documents.render_card"
NO_HOOK = "tests.workflows.renderers_without_hook.render"
FAKE_PDF = b"%PDF-1.7\n% fake for tests\n"


def render_card(user) -> str:
    """Test renderer: a one-line card about a user (the 'document')."""
    return (
        '<html><head><link rel="stylesheet" href="/static/pdf/base.css"></head><body class="a4">'
        f"<h1>KARTU PEGAWAI</h1><p>{escape(user.last_name)}</p></body></html>"
    )


def can_view(user, obj) -> bool:
    """Test hook: the person themselves and staff may see their card."""
    return user.pk == obj.pk or user.is_staff


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def fake_render(monkeypatch):
    calls = []

    def fake(html, *, base_url=None):
        calls.append(html)
        return FAKE_PDF

    monkeypatch.setattr("workflows.pdf.render_pdf", fake)
    return calls


def test_request_renders_after_commit_and_reuses_same_content(django_capture_on_commit_callbacks, fake_render):
    owner = UserFactory(last_name="Siti")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        doc = document_request(obj=owner, kind="kartu", renderer=RENDERER, actor=owner)
    assert len(callbacks) == 1 and len(fake_render) == 1
    doc.refresh_from_db()
    assert doc.status == "ready" and doc.obj == owner and doc.requested_by == owner
    assert doc.content_sha256 == hashlib.sha256(render_card(owner).encode()).hexdigest()
    assert doc.sha256 == hashlib.sha256(FAKE_PDF).hexdigest() and doc.size == len(FAKE_PDF)
    assert doc.file.name.startswith("generated/") and doc.file.read() == FAKE_PDF
    assert doc.finished_at is not None

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = document_request(obj=owner, kind="kartu", renderer=RENDERER, actor=owner)
    assert again.pk == doc.pk and callbacks == [] and len(fake_render) == 1

    owner.last_name = "Siti Aminah"
    owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        changed = document_request(obj=owner, kind="kartu", renderer=RENDERER, actor=owner)
    assert changed.pk != doc.pk and len(fake_render) == 2
    assert document_latest(obj=owner, kind="kartu").pk == changed.pk


def test_pending_request_is_shared_not_duplicated(django_capture_on_commit_callbacks, fake_render):
    owner = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = document_request(obj=owner, kind="kartu", renderer=RENDERER, actor=owner)
        second = document_request(obj=owner, kind="kartu", renderer=RENDERER, actor=owner)
    assert first.pk == second.pk and len(callbacks) == 1
    assert GeneratedDocument.objects.count() == 1 and first.status == "pending"


def test_render_task_is_idempotent(fake_render):
    owner = UserFactory()
    doc = document_request(obj=owner, kind="kartu", renderer=RENDERER, actor=None)
    assert render_document.delay(doc.pk).get() == "ready"
    name = GeneratedDocument.objects.get(pk=doc.pk).file.name
    assert render_document.delay(doc.pk).get() == "ready"
    assert len(fake_render) == 1 and GeneratedDocument.objects.get(pk=doc.pk).file.name == name
    assert document_render(doc_id=999999) is None


def test_failed_render_is_recorded_and_can_be_requested_again(monkeypatch, fake_render):
    owner = UserFactory()
    doc = document_request(obj=owner, kind="kartu", renderer=RENDERER, actor=None)

    def broken(html, *, base_url=None):
        raise ValueError("tata letak rusak")

    monkeypatch.setattr("workflows.pdf.render_pdf", broken)
    document_render(doc_id=doc.pk)
    doc.refresh_from_db()
    assert doc.status == "failed" and "tata letak rusak" in doc.error and not doc.file
    retry = document_request(obj=owner, kind="kartu", renderer=RENDERER, actor=None)
    assert retry.pk != doc.pk and retry.status == "pending"


def test_download_asks_the_owning_app(client, fake_render):
    owner, stranger = UserFactory(), UserFactory()
    staff = UserFactory(is_staff=True)
    doc = document_request(obj=owner, kind="kartu", renderer=RENDERER, actor=owner)
    url = reverse("document_download", args=[doc.pk])

    client.force_login(owner)
    early = client.get(url)  # not rendered yet: an Indonesian page that says so, not a bare 404
    assert early.status_code == 409 and "Dokumen belum siap" in early.content.decode()
    document_render(doc_id=doc.pk)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == FAKE_PDF
    assert "attachment" in response["Content-Disposition"]

    client.force_login(staff)
    assert client.get(url).status_code == 200

    client.force_login(stranger)
    response = client.get(url)
    assert response.status_code == 403 and "tidak berwenang" in response.content.decode()
    actions = list(AuditEvent.objects.filter(object_id=str(owner.pk)).values_list("action", flat=True))
    assert actions == ["document.download", "document.download", "document.denied"]


def test_without_hook_only_superusers_may_download(client, fake_render):
    owner = UserFactory()
    doc = document_request(obj=owner, kind="x", renderer=NO_HOOK, actor=None)
    document_render(doc_id=doc.pk)
    client.force_login(owner)
    assert client.get(reverse("document_download", args=[doc.pk])).status_code == 403
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("document_download", args=[doc.pk])).status_code == 200


def test_status_json_for_polling(client, fake_render, django_assert_max_num_queries):
    owner = UserFactory()
    doc = document_request(obj=owner, kind="kartu", renderer=RENDERER, actor=owner)
    url = reverse("document_status", args=[doc.pk])
    client.force_login(owner)
    data = client.get(url).json()
    assert (data["status"], data["ready"], data["download_url"]) == ("pending", False, None)
    document_render(doc_id=doc.pk)
    with django_assert_max_num_queries(6):
        data = client.get(url).json()
    assert data["ready"] is True and data["download_url"] == reverse("document_download", args=[doc.pk])
    assert data["status_label"] == "Siap"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_one_real_render_end_to_end(django_capture_on_commit_callbacks):
    owner = UserFactory(last_name="Budi <Santoso>")
    with django_capture_on_commit_callbacks(execute=True):
        doc = document_request(obj=owner, kind="kartu", renderer=RENDERER, actor=owner)
    doc.refresh_from_db()
    assert doc.status == "ready", doc.error
    reader = pypdf.PdfReader(io.BytesIO(doc.file.read()))
    text = reader.pages[0].extract_text()
    assert "KARTU PEGAWAI" in text and "Budi <Santoso>" in text  # escaped in HTML, shown as typed
    assert round(float(reader.pages[0].mediabox.height) / 72 * 25.4) == 297  # A4
