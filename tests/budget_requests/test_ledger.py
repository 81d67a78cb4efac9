"""Envelope ledger: running totals, append-only entries, the database constraint."""
import pytest
from django.db import IntegrityError, transaction

from budget_requests.models import Envelope, LedgerEntry
from budget_requests.services import (
    envelope_allocate, envelope_create, envelope_release, envelope_reserve,
)
from budget_requests.services.errors import RequestError
from tests.budget_requests.support import new_request
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_allocate_reserve_release_keep_totals_and_entries(repair_world):
    w = repair_world
    env = envelope_create(actor=w.admin, org_unit=w.kec_setu, sub_kegiatan="7.01.01.2.09.0006",
                          account_code="5.1.02.03.02.0411", fiscal_year=w.year, name="Uji")
    envelope_allocate(envelope=env, amount=10_000_000, actor=w.admin)
    envelope_allocate(envelope=env, amount="2.500.000", actor=w.admin)
    r = new_request(w, amount=1_000_000, envelope=env, submit=False)
    envelope_reserve(envelope=env, amount=7_000_000, request_obj=r, actor=w.admin)
    assert (env.allocated, env.reserved, env.room) == (12_500_000, 7_000_000, 5_500_000)
    with pytest.raises(RequestError) as exc:
        envelope_reserve(envelope=env, amount=5_500_001, request_obj=r, actor=w.admin)
    assert exc.value.code == "insufficient_room"
    envelope_reserve(envelope=env, amount=5_500_000, request_obj=r, actor=w.admin)  # exactly the room
    envelope_release(envelope=env, amount=7_000_000, request_obj=r, actor=w.admin, note="batal")
    db = Envelope.objects.get(pk=env.pk)
    assert (db.allocated, db.reserved, db.paid, db.room) == (12_500_000, 5_500_000, 0, 7_000_000)
    entries = list(LedgerEntry.objects.filter(envelope=env).values_list("kind", "amount", "room_after"))
    assert entries == [
        ("allocate", 10_000_000, 10_000_000), ("allocate", 2_500_000, 12_500_000),
        ("reserve", 7_000_000, 5_500_000), ("reserve", 5_500_000, 0), ("release", 7_000_000, 7_000_000),
    ]
    # The ledger's events chain on the envelope's own audit stream.
    assert AuditEvent.objects.filter(stream=f"budget_requests.envelope:{env.pk}").count() == 6


def test_release_more_than_reserved_is_refused(repair_world):
    w = repair_world
    with pytest.raises(RequestError) as exc:
        envelope_release(envelope=w.env_setu, amount=1, request_obj=None, actor=w.admin)
    assert exc.value.code == "not_reserved"


def test_duplicate_envelope_is_refused(repair_world):
    w = repair_world
    with pytest.raises(RequestError) as exc:
        envelope_create(actor=w.admin, org_unit=w.kec_setu, sub_kegiatan=w.env_setu.sub_kegiatan,
                        account_code=w.env_setu.account_code,
                        fiscal_year=w.year, name="Lagi")
    assert exc.value.code == "duplicate"


def test_database_refuses_a_negative_room_even_without_the_service(repair_world):
    w = repair_world
    with pytest.raises(IntegrityError), transaction.atomic():
        Envelope.objects.filter(pk=w.env_setu.pk).update(reserved=500_000_001)
    with pytest.raises(IntegrityError), transaction.atomic():
        Envelope.objects.filter(pk=w.env_setu.pk).update(paid=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(envelope=w.env_setu, kind="allocate", amount=0, room_after=0)
