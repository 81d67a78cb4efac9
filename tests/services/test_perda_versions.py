"""Concurrent edits and freezes of one regulation (PostgreSQL): the regulation row lock serializes them, so
version numbers never collide and sibling order stays a clean 0..n-1; the database refuses to change or
delete a frozen version."""
import pytest
from django.db import connection, transaction

from perda.models import Provision, Version
from perda.samples import sample_fill
from perda.services.editor import provision_add
from perda.services.versions import version_freeze
from tests.perda.doc_factories import RegulationFactory

from .parallel import run_parallel

pytestmark = pytest.mark.services

N = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_freezes_and_inserts_are_serialized():
    assert connection.vendor == "postgresql", "run make test-services"
    reg = RegulationFactory()
    sample_fill(regulation=reg, pasal_count=4, bulk=True)
    actor_id = reg.drafter_id
    bab_id = Provision.objects.get(regulation=reg, kind="bab", role="ketentuan_umum").pk

    def freeze(i):
        from workflows.models import User

        version_freeze(regulation=reg, label=f"Serentak {i}", actor=User.objects.get(pk=actor_id))

    def insert(i):
        from workflows.models import User

        provision_add(actor=User.objects.get(pk=actor_id), regulation=reg, kind="pasal",
                      parent=Provision.objects.get(pk=bab_id), position=0, text=f"Sisipan {i}.")

    assert run_parallel(freeze, N) == []
    assert sorted(Version.objects.filter(regulation=reg).values_list("seq", flat=True)) == list(range(1, N + 1))
    assert run_parallel(insert, N) == []
    orders = list(Provision.objects.live().filter(parent_id=bab_id).order_by("order").values_list("order", flat=True))
    assert orders == list(range(N + 1))

    v = Version.objects.filter(regulation=reg).first()
    for sql in ("UPDATE perda_version SET label = 'x' WHERE id = %s", "DELETE FROM perda_version WHERE id = %s"):
        with pytest.raises(Exception), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(sql, [v.pk])
    assert Version.objects.filter(pk=v.pk, label=v.label).exists()
