import pytest
from django.core.management import call_command
from django.db import connection, transaction

from workflows.models import AuditEvent, OrgUnit
from workflows.services.audit import audit_record, audit_seal, audit_verify

from ..factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _write_events(n_units=2, per_unit=3):
    actor = UserFactory(username="auditor-test", first_name="Siti", last_name="Aminah")
    units = [OrgUnitFactory() for _ in range(n_units)]
    for i in range(per_unit):
        for unit in units:
            with transaction.atomic():
                audit_record(
                    actor=actor, action="unit.rename", obj=unit, capacity="Plh. Camat Setu",
                    before={"name": f"lama {i}"}, after={"name": f"baru {i}", "amount": 5_000_000},
                    reason="uji",
                )
    return units


def _tamper(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A database owner can switch the append-only trigger off: the chain must still catch it.
            cursor.execute("ALTER TABLE workflows_auditevent DISABLE TRIGGER workflows_auditevent_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE workflows_auditevent ENABLE TRIGGER workflows_auditevent_append_only")


def test_events_chain_per_stream():
    units = _write_events()
    events = list(AuditEvent.objects.filter(object_id=str(units[0].pk)).order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == ""
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert events[0].capacity == "Plh. Camat Setu" and events[0].actor_name == "Siti Aminah"
    assert audit_verify() is None


def test_edited_event_is_detected_and_reported(capsys):
    units = _write_events()
    victim = AuditEvent.objects.filter(object_id=str(units[1].pk)).order_by("seq")[1]
    _tamper("UPDATE workflows_auditevent SET reason = %s WHERE id = %s", ["diubah diam-diam", victim.pk])
    broken = audit_verify()
    assert broken is not None and broken.event_id == victim.pk
    assert "hash" in broken.problem
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit")
    assert exit_info.value.code == 1
    assert f"event {victim.pk}" in capsys.readouterr().err


def test_deleted_sealed_event_is_detected():
    units = _write_events()
    with transaction.atomic():
        seal = audit_seal()
    assert seal.after["count"] == 6
    assert audit_verify() is None
    last = AuditEvent.objects.filter(object_id=str(units[0].pk)).order_by("-seq").first()
    # Deleting the newest event of a stream leaves that stream's chain whole; only the seal can notice.
    _tamper("DELETE FROM workflows_auditevent WHERE id = %s", [last.pk])
    broken = audit_verify()
    assert broken is not None and broken.event_id == seal.pk


def test_audit_record_refuses_to_run_outside_a_transaction():
    unit = OrgUnitFactory()
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x", obj=unit)


def test_verify_command_passes_on_intact_trail(capsys):
    _write_events(1, 2)
    call_command("verify_audit")
    assert "utuh" in capsys.readouterr().out


@pytest.mark.services  # the trigger exists on PostgreSQL only
def test_postgres_refuses_updates_to_the_audit_table():
    from django.db import DatabaseError

    assert connection.vendor == "postgresql"
    _write_events(1, 1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(reason="x")
