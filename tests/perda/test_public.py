"""Public pages (no login): consultations with dispositions, escaping, JDIH search and downloads; and the staff
formation pages with bounded query counts."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from perda.services import consultation as csvc
from perda.services import enactment
from perda.services import formation as svc

from .formation_support import fill_jdih_metadata, make_draft, people  # noqa: F401
from .test_formation import PDF, finish, walk_to_penetapan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def open_consultation(people, pasal_count=5, title="Penyelenggaraan Kota Cerdas"):
    reg = make_draft(people, pasal_count=pasal_count, title=title)
    f = svc.formation_start(regulation=reg, actor=people.kabag)
    svc.formation_start_drafting(formation=f, actor=people.kabag)
    version = svc.formation_submit(formation=f, actor=people.pemrakarsa)
    today = timezone.localdate()
    return csvc.consultation_open(version=version, actor=people.kabag, opens_on=today,
                                  closes_on=today + dt.timedelta(days=10))


def test_public_pages_need_no_login_and_list_open_consultations(client, people):
    consultation = open_consultation(people)
    r = client.get(reverse("perda:public_consultations"))
    assert r.status_code == 200
    assert "Penyelenggaraan Kota Cerdas" in r.content.decode()
    r = client.get(reverse("perda:public_consultation", args=[consultation.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Pasal 1" in html and "Beri masukan atas Pasal 2" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'data-language="en"' in html  # the public pages carry the language switch


def test_public_page_shows_dispositions_and_escapes_script(client, people):
    consultation = open_consultation(people)
    url = reverse("perda:public_consultation", args=[consultation.pk])
    r = client.post(url, {"provision": "", "name": "<b>Tono</b>", "contact": "tono@example.org",
                          "text": "<script>alert('x')</script> tolong"}, REMOTE_ADDR="10.1.1.1")
    assert r.status_code == 302 and "terkirim=" in r["Location"]
    comment = consultation.comments.get()
    csvc.comment_dispose(comment=comment, actor=people.kabag, disposition="not_accepted",
                         reason="Di luar materi muatan Perda <ini>.")
    html = client.get(url).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; tolong" in html
    assert "&lt;b&gt;Tono&lt;/b&gt;" in html
    assert "Tidak diterima" in html and "Di luar materi muatan Perda &lt;ini&gt;." in html
    assert "tono@example.org" not in html  # contact is never public


def test_public_comment_form_keeps_input_on_error(client, people):
    consultation = open_consultation(people)
    r = client.post(reverse("perda:public_consultation", args=[consultation.pk]),
                    {"provision": "", "name": "Rina", "contact": "", "text": "Saran saya"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Saran saya" in html and "Rina" in html


def test_closed_consultation_shows_answers_but_no_form(client, people):
    consultation = open_consultation(people)
    csvc.comment_submit(consultation=consultation, name="Ani", contact="ani@x.id", text="Usul", ip="1.2.3.4")
    type(consultation).objects.filter(pk=consultation.pk).update(
        opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 1, 31))
    html = client.get(reverse("perda:public_consultation", args=[consultation.pk])).content.decode()
    assert "Usul" in html and "Kirim masukan" not in html


def test_public_consultation_page_queries_do_not_grow(client, people, django_assert_max_num_queries):
    small = open_consultation(people, pasal_count=3, title="Kecil")
    big = open_consultation(people, pasal_count=30, title="Besar")
    for c in (small, big):
        for i in range(5):
            csvc.comment_submit(consultation=c, name=f"W{i}", contact="w@x.id", text="x", ip=f"9.9.{c.pk}.{i}")
    for c in (small, big):
        with django_assert_max_num_queries(8):
            assert client.get(reverse("perda:public_consultation", args=[c.pk])).status_code == 200


# --- JDIH -----------------------------------------------------------------------------------------------

@pytest.fixture
def enacted(people, monkeypatch):
    monkeypatch.setattr("perda.services.enactment.render_version_pdf", lambda version: PDF)
    regs = []
    for title in ("Penyelenggaraan Kota Cerdas", "Ketertiban Umum"):
        f = finish(people, walk_to_penetapan(people, make_draft(people, title=title)))
        enactment.enacted_pdf_freeze(regulation_id=f.regulation_id)
        fill_jdih_metadata(f, people.kabag)
        svc.formation_publish(formation=f, actor=people.kabag)
        regs.append(f.regulation)
    return regs


def test_jdih_lists_only_published_and_searches(client, people, enacted):
    draft = make_draft(people, title="Rancangan Belum Terbit")
    svc.formation_start(regulation=draft, actor=people.kabag)
    r = client.get(reverse("perda:jdih_list"))
    html = r.content.decode()
    assert r.status_code == 200
    assert "Penyelenggaraan Kota Cerdas" in html and "Ketertiban Umum" in html
    assert "Rancangan Belum Terbit" not in html
    html = client.get(reverse("perda:jdih_list"), {"q": "ketertiban"}).content.decode()
    assert "Ketertiban Umum" in html and "Kota Cerdas</div>" not in html
    html = client.get(reverse("perda:jdih_list"), {"nomor": 1, "tahun": 2026}).content.decode()
    assert "Penyelenggaraan Kota Cerdas" in html and "Ketertiban Umum" not in html
    # text search reaches the body of the enacted version
    html = client.get(reverse("perda:jdih_list"), {"q": "Perangkat Daerah adalah unsur"}).content.decode()
    assert "Ketertiban Umum" in html
    html = client.get(reverse("perda:jdih_list"), {"q": "tidak ada di mana pun"}).content.decode()
    assert "Tidak ada peraturan yang cocok" in html


def test_jdih_list_queries_do_not_grow(client, people, enacted, monkeypatch):
    before = _count_queries(client, reverse("perda:jdih_list"))
    f = finish(people, walk_to_penetapan(people, make_draft(people, title="Ketiga")))
    enactment.enacted_pdf_freeze(regulation_id=f.regulation_id)
    fill_jdih_metadata(f, people.kabag)
    svc.formation_publish(formation=f, actor=people.kabag)
    assert _count_queries(client, reverse("perda:jdih_list")) == before


def test_jdih_downloads_frozen_pdf_and_akn(client, enacted):
    reg = enacted[0]
    r = client.get(reverse("perda:jdih_pdf", args=[reg.pk]))
    assert r.status_code == 200
    body = b"".join(r.streaming_content)
    import hashlib

    assert body == PDF and r["X-Content-SHA256"] == hashlib.sha256(body).hexdigest()
    r = client.get(reverse("perda:jdih_akn", args=[reg.pk]))
    assert r.status_code == 200 and b"akomaNtoso" in r.content
    assert client.get(reverse("perda:jdih_detail", args=[reg.pk])).status_code == 200


def test_jdih_hides_unpublished(client, people):
    f = walk_to_penetapan(people, make_draft(people))
    assert client.get(reverse("perda:jdih_detail", args=[f.regulation_id])).status_code == 404
    assert client.get(reverse("perda:jdih_pdf", args=[f.regulation_id])).status_code == 404


# --- staff pages ----------------------------------------------------------------------------------------

def test_staff_pages_need_login(client, people):
    f = svc.formation_start(regulation=make_draft(people), actor=people.kabag)
    r = client.get(reverse("perda:formation_detail", args=[f.regulation_id]))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_formation_page_walks_through_forms(client, people):
    reg = make_draft(people)
    client.force_login(people.kabag)
    page = reverse("perda:formation_detail", args=[reg.pk])
    assert "Mulai proses pembentukan" in client.get(page).content.decode()
    assert client.post(reverse("perda:formation_start", args=[reg.pk])).status_code == 302
    html = client.get(page).content.decode()
    assert 'data-stage="perencanaan"' in html and 'data-action="start_drafting"' in html
    client.post(reverse("perda:formation_action", args=[reg.pk, "mulai-penyusunan"]))
    client.force_login(people.pemrakarsa)
    r = client.post(reverse("perda:formation_action", args=[reg.pk, "ajukan"]))
    assert r.status_code == 302
    client.force_login(people.perancang)
    html = client.get(page).content.decode()
    assert 'data-stage="harmonisasi"' in html and 'data-deadline="harmonisasi"' in html
    # bad input: the form comes back with the message and what was typed
    r = client.post(reverse("perda:formation_action", args=[reg.pk, "catat"]),
                    {"outcome": "selesai", "received_on": "2999-01-01", "document_number": "BA-9"})
    assert r.status_code == 400 and "masa depan" in r.content.decode() and "BA-9" in r.content.decode()
    r = client.post(reverse("perda:formation_action", args=[reg.pk, "catat"]),
                    {"outcome": "selesai", "received_on": timezone.localdate().isoformat(), "document_number": "BA-9"})
    assert r.status_code == 302
    html = client.get(page).content.decode()
    assert 'data-stage="pembahasan_1"' in html and "BA-9" in html
    # the pemrakarsa may not record results: 403 with an Indonesian message
    client.force_login(people.pemrakarsa)
    r = client.post(reverse("perda:formation_action", args=[reg.pk, "catat"]),
                    {"outcome": "selesai", "received_on": timezone.localdate().isoformat()})
    assert r.status_code == 403 and "Bagian Hukum" in r.content.decode()


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm per-process caches (content types, calendar) so only the page's own queries count
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_formation_pages_queries_bounded(client, people, django_assert_max_num_queries):
    client.force_login(people.kabag)
    counts = []
    for n in (2, 12):
        for i in range(n):
            reg = make_draft(people, pasal_count=3, title=f"Rancangan {n}-{i}")
            f = svc.formation_start(regulation=reg, actor=people.kabag)
            svc.formation_start_drafting(formation=f, actor=people.kabag)
            svc.formation_submit(formation=f, actor=people.pemrakarsa)
        with django_assert_max_num_queries(25):
            r = client.get(reverse("perda:formation_list"))
        assert r.status_code == 200 and r.content.decode().count("data-formation=") == (2 if n == 2 else 14)
        counts.append(_count_queries(client, reverse("perda:formation_list")))
    assert counts[0] == counts[1]  # the list does not query per draft
    detail = []
    for findings in (0, 2):
        reg = make_draft(people, pasal_count=3, title=f"Halaman {findings}")
        walk_to_penetapan(people, reg, fasilitasi_findings=findings)
        with django_assert_max_num_queries(35):
            client.get(reverse("perda:formation_detail", args=[reg.pk]))
        detail.append(_count_queries(client, reverse("perda:formation_detail", args=[reg.pk])))
    assert detail[0] == detail[1]  # more records and versions, same number of queries
