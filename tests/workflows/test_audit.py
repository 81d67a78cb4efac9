import pytest
from django.core.management import call_command
from django.db import connection, transaction

from workflows.models import SEAL_STREAM, AuditEvent, AuditStreamHead, OrgUnit
from workflows.services.audit import (
    audit_breaks, audit_record, audit_record_many, audit_seal, audit_verify, stream_for,
)

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


def _record(unit, action="unit.rename", actor=None):
    with transaction.atomic():
        return audit_record(actor=actor, action=action, obj=unit, after={"n": 1})


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
    # Deleting the newest event of a stream leaves that stream's chain whole; its head and the seal notice.
    _tamper("DELETE FROM workflows_auditevent WHERE id = %s", [last.pk])
    broken = audit_breaks()
    assert [b.event_id for b in broken if b.stream == SEAL_STREAM] == [seal.pk]
    assert any(b.stream == last.stream and "#3" in b.problem for b in broken)


def test_deleting_the_newest_unsealed_events_is_detected_by_verify_audit(capsys):
    """No seal covers them yet: the stream head still knows how long the stream was."""
    units = _write_events(1, 4)
    stream = stream_for(units[0])
    newest = AuditEvent.objects.filter(stream=stream, seq__gte=3).values_list("pk", flat=True)
    _tamper("DELETE FROM workflows_auditevent WHERE id IN (%s, %s)", list(newest))
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert stream in err and "#3–#4" in err


def test_appends_move_the_stream_head_in_three_statements(django_assert_num_queries):
    unit = OrgUnitFactory()
    _record(unit)
    with transaction.atomic(), django_assert_num_queries(3):  # lock the head, insert, move the head
        event = audit_record(actor=None, action="unit.rename", obj=unit)
    head = AuditStreamHead.objects.get(stream=stream_for(unit))
    assert (event.seq, head.seq, head.hash) == (2, 2, event.hash)


def test_record_many_chains_several_streams_in_one_lock_and_one_insert(django_assert_num_queries):
    a, b = OrgUnitFactory(), OrgUnitFactory()
    _record(a)
    _record(b)
    entries = [
        {"actor": None, "action": "unit.rename", "obj": a, "after": {"x": 1}},
        {"actor": None, "action": "ledger.reserve", "obj": b, "reason": "uji"},
        {"actor": None, "action": "unit.close", "obj": a},
    ]
    with transaction.atomic(), django_assert_num_queries(3):  # lock both heads, insert three, move both heads
        events = audit_record_many(entries)
    assert [(e.stream, e.seq) for e in events] == [(stream_for(a), 2), (stream_for(b), 2), (stream_for(a), 3)]
    assert events[2].prev_hash == events[0].hash and all(e.pk for e in events)
    assert dict(AuditStreamHead.objects.values_list("stream", "seq")) == {stream_for(a): 3, stream_for(b): 2}
    assert audit_verify() is None


def test_a_new_stream_gets_its_head_row():
    unit = OrgUnitFactory()
    with transaction.atomic():
        audit_record_many([{"actor": None, "action": "a", "obj": unit}, {"actor": None, "action": "b"}])
    assert dict(AuditStreamHead.objects.values_list("stream", "seq")) == {stream_for(unit): 1, "actor:system": 1}


def test_each_seal_covers_per_stream_ranges_since_the_previous_one():
    a, b = OrgUnitFactory(), OrgUnitFactory()
    _record(a)
    _record(a)
    _record(b)
    first = audit_seal()
    assert first.after["ranges"] == {stream_for(a): [1, 2], stream_for(b): [1, 1]}
    assert first.after["count"] == 3
    assert audit_seal() is None  # nothing new
    _record(b)
    second = audit_seal()
    assert second.after["ranges"] == {stream_for(b): [2, 2]} and second.prev_hash == first.hash
    assert audit_verify() is None
    # Rewriting an event the second seal covers, hash included, breaks that seal (and the stream's head).
    victim = AuditEvent.objects.get(stream=stream_for(b), seq=2)
    _tamper("UPDATE workflows_auditevent SET reason = %s, hash = %s WHERE id = %s", ["diubah", "f" * 64, victim.pk])
    assert {x.event_id for x in audit_breaks()} == {victim.pk, second.pk}
    assert not any(x.event_id == first.pk for x in audit_breaks())


def test_a_stream_written_around_the_service_is_reported():
    unit = OrgUnitFactory()
    _record(unit)
    AuditStreamHead.objects.filter(stream=stream_for(unit)).delete()
    assert "head row" in audit_verify().problem


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
