"""Public consultation: opening, comments (validation, throttling, escaping), dispositions with reasons, report."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from perda.models import Disposition, PublicComment
from perda.selectors import commentable_provisions
from perda.services import consultation as csvc
from perda.services import formation as svc
from workflows.models import AuditEvent
from workflows.policy import Denied

from .formation_support import make_draft, people  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def consultation(people):
    reg = make_draft(people)
    f = svc.formation_start(regulation=reg, actor=people.kabag)
    svc.formation_start_drafting(formation=f, actor=people.kabag)
    version = svc.formation_submit(formation=f, actor=people.pemrakarsa)
    today = timezone.localdate()
    return csvc.consultation_open(version=version, actor=people.perancang, opens_on=today,
                                  closes_on=today + dt.timedelta(days=14), note="Mohon masukan")


def test_open_requires_bagian_hukum_and_sane_dates(people, consultation):
    today = timezone.localdate()
    with pytest.raises(Denied):
        csvc.consultation_open(version=consultation.version, actor=people.pemrakarsa, opens_on=today,
                               closes_on=today)
    with pytest.raises(svc.FormationError):
        csvc.consultation_open(version=consultation.version, actor=people.kabag, opens_on=today,
                               closes_on=today - dt.timedelta(days=1))
    assert consultation.capacity == "Perancang Peraturan"


def test_comment_on_an_ayat_records_its_label(consultation):
    provisions = commentable_provisions(consultation.version.snapshot)
    ayat = next(p for p in provisions if p.kind == "ayat")
    comment = csvc.comment_submit(consultation=consultation, name="Sari", contact="sari@example.org",
                                  text="Mohon diperjelas.", provision_uid=ayat.uid, ip="10.0.0.1")
    assert comment.provision_label == ayat.label and "ayat (" in ayat.label
    assert comment.ip_hash and "10.0.0.1" not in comment.ip_hash
    assert comment.disposition == Disposition.PENDING


def test_comment_validation_and_closed_consultation(consultation):
    with pytest.raises(svc.FormationError) as exc:
        csvc.comment_submit(consultation=consultation, name="", contact="", text="", ip="10.0.0.2")
    assert set(exc.value.message_dict) == {"name", "contact", "text"}
    with pytest.raises(svc.FormationError):
        csvc.comment_submit(consultation=consultation, name="A", contact="a@b.co", text="x",
                            provision_uid="00000000-0000-0000-0000-000000000000", ip="10.0.0.2")
    later = consultation.closes_on + dt.timedelta(days=1)
    with pytest.raises(svc.FormationError):
        csvc.comment_submit(consultation=consultation, name="A", contact="a@b.co", text="x", today=later)
    assert not PublicComment.objects.exists()


def test_throttle_five_per_minute_per_address(consultation):
    for i in range(5):
        csvc.comment_submit(consultation=consultation, name=f"W{i}", contact="w@x.id", text="ok", ip="10.9.9.9")
    with pytest.raises(csvc.Throttled):
        csvc.comment_submit(consultation=consultation, name="W6", contact="w@x.id", text="ok", ip="10.9.9.9")
    # another address is not affected
    csvc.comment_submit(consultation=consultation, name="Lain", contact="l@x.id", text="ok", ip="10.9.9.8")
    assert PublicComment.objects.count() == 6


def test_public_form_is_throttled_with_429(client, consultation):
    url = reverse("perda:public_consultation", args=[consultation.pk])
    for i in range(5):
        r = client.post(url, {"provision": "", "name": f"W{i}", "contact": "w@x.id", "text": "ok"})
        assert r.status_code == 302
    r = client.post(url, {"provision": "", "name": "W6", "contact": "w@x.id", "text": "tertahan"})
    assert r.status_code == 429
    assert "Terlalu banyak masukan" in r.content.decode()
    assert "tertahan" in r.content.decode()  # what the user typed is kept
    assert PublicComment.objects.count() == 5


def test_disposition_needs_reason_and_bagian_hukum(people, consultation):
    comment = csvc.comment_submit(consultation=consultation, name="Budi", contact="0812-1234-5678", text="Tambah pasal", ip="1.1.1.1")
    with pytest.raises(svc.FormationError):
        csvc.comment_dispose(comment=comment, actor=people.kabag, disposition="accepted", reason="  ")
    with pytest.raises(Denied):
        csvc.comment_dispose(comment=comment, actor=people.pemrakarsa, disposition="accepted", reason="ok")
    csvc.comment_dispose(comment=comment, actor=people.kabag, disposition="partly",
                         reason="Sebagian diakomodasi di Pasal 4.")
    comment.refresh_from_db()
    assert comment.disposition == "partly" and comment.decided_capacity == "Kepala Bagian Hukum"
    assert AuditEvent.objects.filter(action="consultation.dispose").count() == 1


def test_staff_page_records_disposition_and_report_pdf(client, people, consultation,
                                                       django_capture_on_commit_callbacks):
    comment = csvc.comment_submit(consultation=consultation, name="Budi", contact="0812-1234-5678", text="Tambah pasal", ip="1.1.1.2")
    client.force_login(people.kabag)
    url = reverse("perda:consultation_manage", args=[consultation.pk])
    r = client.get(url)
    assert r.status_code == 200 and "0812-1234-5678" in r.content.decode()  # staff see the contact
    dispose = reverse("perda:comment_dispose", args=[consultation.pk, comment.pk])
    r = client.post(dispose, {f"c{comment.pk}-disposition": "accepted", f"c{comment.pk}-reason": ""})
    assert r.status_code == 400
    r = client.post(dispose, {f"c{comment.pk}-disposition": "accepted", f"c{comment.pk}-reason": "Diakomodasi."})
    assert r.status_code == 302
    comment.refresh_from_db()
    assert comment.disposition == "accepted"
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("perda:consultation_report", args=[consultation.pk]))
    assert r.status_code == 302
    from workflows.models import GeneratedDocument

    doc = GeneratedDocument.objects.get(object_id=str(consultation.pk), kind="perda-consultation-report")
    assert doc.status == "ready"
    html = client.get(url).content.decode()
    assert reverse("document_download", args=[doc.pk]) in html
    r = client.get(reverse("document_download", args=[doc.pk]))
    assert r.status_code == 200
    content = b"".join(r.streaming_content)
    assert content.startswith(b"%PDF")
    import shutil
    import subprocess

    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
        assert "Budi" in text and "Diakomodasi." in text and "Diterima" in text
    # an outsider without a position may not download it
    client.force_login(people.outsider)
    assert client.get(reverse("document_download", args=[doc.pk])).status_code == 403


def test_disposition_refused_for_non_hukum_is_403_and_audited(client, people, consultation):
    comment = csvc.comment_submit(consultation=consultation, name="Budi", contact="0812-1234-5678", text="x", ip="1.1.1.3")
    client.force_login(people.pemrakarsa)
    r = client.post(reverse("perda:comment_dispose", args=[consultation.pk, comment.pk]),
                    {f"c{comment.pk}-disposition": "accepted", f"c{comment.pk}-reason": "ok"})
    assert r.status_code == 403
    assert "Bagian Hukum" in r.content.decode()
    assert AuditEvent.objects.filter(action="consultation.dispose.denied").exists()


def test_contact_must_be_an_email_or_a_phone(consultation):
    for bad in ("budi", "budi@", "12345"):
        with pytest.raises(svc.FormationError) as exc:
            csvc.comment_submit(consultation=consultation, name="Budi", contact=bad, text="x")
        assert "contact" in exc.value.message_dict
    for good in ("budi@example.org", "+62 812-3456-7890", "(021) 7412345"):
        csvc.comment_submit(consultation=consultation, name="Budi", contact=good, text="x")
    assert PublicComment.objects.count() == 3


def test_manage_page_queries_do_not_grow(client, people, consultation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people.kabag)
    url = reverse("perda:consultation_manage", args=[consultation.pk])
    counts = []
    for n in (2, 12):
        while consultation.comments.count() < n:
            i = consultation.comments.count()
            c = csvc.comment_submit(consultation=consultation, name=f"W{i}", contact="w@x.id", text="x")
            if i % 2:
                csvc.comment_dispose(comment=c, actor=people.kabag, disposition="accepted", reason="ok")
        client.get(url)  # warm the content-type cache
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
