"""The demo seed: the Raperda Kota Cerdas mid-flow with an open consultation and answered comments, and an
enacted Perwali with its Berita Daerah number and frozen PDF (one real WeasyPrint render). Idempotent."""
import hashlib

import pytest
from django.urls import reverse

from perda.models import Formation, PublicComment, Regulation
from perda.seed import PERWALI_TITLE, RAPERDA_TITLE, seed_demo
from perda.states import Stage

pytestmark = pytest.mark.django_db


def test_seed_builds_both_regulations_once(tangsel, client):
    assert seed_demo() == {"raperda": 1, "perwali": 1}
    assert seed_demo() == {"raperda": 0, "perwali": 0}
    raperda = Regulation.objects.get(title=RAPERDA_TITLE)
    f = Formation.objects.get(regulation=raperda)
    assert f.stage == Stage.PEMBAHASAN_1
    assert raperda.versions.count() == 2
    texts = [d.text for d in raperda.dasar_hukum.all()]
    assert texts[0].startswith("Pasal 18 ayat (6) Undang-Undang Dasar") and any("Nomor 51 Tahun 2008" in t for t in texts)
    snapshot = raperda.versions.last().snapshot
    assert snapshot["body"][0]["role"] == "ketentuan_umum" and snapshot["body"][-1]["role"] == "ketentuan_penutup"
    from perda.numbering import pasal_list

    assert 12 <= len(pasal_list(snapshot)) <= 20
    comments = PublicComment.objects.filter(consultation__version__regulation=raperda)
    assert comments.count() == 5 and comments.exclude(disposition="pending").count() == 3
    # the open consultation is on the public list and its page answers comments
    html = client.get(reverse("perda:public_consultations")).content.decode()
    assert RAPERDA_TITLE in html
    consultation = comments.first().consultation
    r = client.get(reverse("perda:public_naskah_akademik", args=[consultation.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")

    perwali = Regulation.objects.get(title=PERWALI_TITLE)
    assert perwali.formation.stage == Stage.SELESAI
    # the demo Perwali has a penjelasan: it goes in the Tambahan Berita Daerah, numbered
    assert perwali.number == 1 and perwali.gazette_number == 1 and perwali.tambahan_number == 1
    data = perwali.enacted_pdf.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == perwali.enacted_pdf_sha256
    html = client.get(reverse("perda:jdih_list")).content.decode()
    assert "Tata Kelola Satu Data" in html
    # its Permenkumham 8/2019 metadata is complete, the sumber counting the frozen PDF's pages
    from pypdf import PdfReader

    from perda.metadata import missing_metadata

    perwali.enacted_pdf.seek(0)
    pages = len(PdfReader(perwali.enacted_pdf).pages)
    assert missing_metadata(perwali) == [] and perwali.subjek and perwali.abstrak
    assert perwali.sumber == f"BD {perwali.year} (1) : {pages} hlm." and perwali.teu_badan == "Tangerang Selatan (Kota)"
    feed = client.get(reverse("perda:jdihn_feed")).json()
    assert [e["judul"] for e in feed] == [f"Peraturan Wali Kota Tangerang Selatan Nomor 1 Tahun {perwali.year} "
                                          f"tentang {PERWALI_TITLE}"]
    # the flow stands where the FSM does: the Raperda waits for pembahasan I, the Perwali's process is done
    assert [t.flow_task.name for t in f.process.task_set.filter(status="NEW")] == ["pembahasan_1"]
    assert perwali.formation.process.status == "DONE"
