"""Formation on PostgreSQL with real concurrency and a real worker: simultaneous promulgations get distinct
numbers; the enacted PDF is rendered and hashed by the Celery worker after commit."""
import datetime as dt

import pytest
from django.db import connection

from perda.models import Formation, Regulation
from perda.services import enactment
from tests.perda.formation_support import make_draft, make_people
from tests.perda.test_formation import walk_to_penetapan

from .parallel import run_parallel

pytestmark = pytest.mark.services

N = 6
FAKE_PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_promulgations_get_distinct_numbers(monkeypatch):
    assert connection.vendor == "postgresql", "run make test-services"
    monkeypatch.setattr("perda.services.enactment.render_version_pdf", lambda version: FAKE_PDF)
    people = make_people()
    formations = []
    for i in range(N):
        f = walk_to_penetapan(people, make_draft(people, title=f"Serentak {i}", pasal_count=3))
        enactment.formation_enact(formation=f, actor=people.walikota, signed_on=dt.date(2026, 4, 1))
        formations.append(f.pk)
    sekda_id = people.sekda.pk

    def promulgate(i):
        from workflows.models import User

        enactment.formation_promulgate(formation=Formation.objects.get(pk=formations[i]),
                                       actor=User.objects.get(pk=sekda_id), promulgated_on=dt.date(2026, 4, 2))

    assert run_parallel(promulgate, N) == []
    regs = Regulation.objects.filter(formation__pk__in=formations)
    assert sorted(regs.values_list("number", flat=True)) == list(range(1, N + 1))
    assert sorted(regs.values_list("gazette_number", flat=True)) == list(range(1, N + 1))
    assert sorted(regs.values_list("tambahan_number", flat=True)) == list(range(1, N + 1))


@pytest.mark.django_db(transaction=True)
def test_worker_freezes_the_enacted_pdf(celery_live):
    people = make_people()
    reg = make_draft(people, kind="perwali", title="Dirender Pekerja", pasal_count=3)
    f = walk_to_penetapan(people, reg)
    enactment.formation_enact(formation=f, actor=people.walikota, signed_on=dt.date(2026, 3, 1))
    enactment.formation_promulgate(formation=f, actor=people.sekda, promulgated_on=dt.date(2026, 3, 2))
    digest = celery_live.wait_for(
        lambda: Regulation.objects.filter(pk=reg.pk).exclude(enacted_pdf_sha256="")
        .values_list("enacted_pdf_sha256", flat=True).first(),
        timeout=90, what="the enacted PDF hash written by the worker")
    import hashlib

    reg.refresh_from_db()
    data = reg.enacted_pdf.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == digest
