"""``verify_audit``'s check walks the trail in chunks (rows per fetch, a window of stream heads, a batch of seal
ranges per query): the findings are the same whatever the chunk size, and its queries do not grow with the
number of events."""
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from workflows.models import SEAL_STREAM, AuditEvent
from workflows.services import audit
from workflows.services.audit import audit_breaks, audit_record_many, audit_seal, stream_for

from ..factories import OrgUnitFactory
from .test_audit import _tamper

pytestmark = pytest.mark.django_db(transaction=True)


def _chunks(monkeypatch, size: int) -> None:
    monkeypatch.setattr(audit, "VERIFY_CHUNK", size)
    monkeypatch.setattr(audit, "SEAL_CHUNK", size)


def _append(units, per_unit: int) -> None:
    with transaction.atomic():
        audit_record_many([{"actor": None, "action": "unit.rename", "obj": unit, "after": {"i": i}}
                           for i in range(per_unit) for unit in units])


def _trail(streams: int = 4, per_stream: int = 5):
    """``streams`` × ``per_stream`` events and a seal; two more events and a second seal; one unsealed event."""
    units = [OrgUnitFactory() for _ in range(streams)]
    _append(units, per_stream)
    first = audit_seal()
    _append(units[:2], 1)
    second = audit_seal()
    _append(units[3:4], 1)
    return units, first, second


def _set_seal_count(seal, count: int) -> None:
    after = json.dumps({**seal.after, "count": count})
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    _tamper(f"UPDATE workflows_auditevent SET after = {cast} WHERE id = %s", [after, seal.pk])


def _findings(monkeypatch, size: int) -> list[str]:
    _chunks(monkeypatch, size)
    return [str(b) for b in audit_breaks()]


def test_a_changed_event_a_deleted_newest_event_and_a_seal_count_are_found_at_any_chunk_size(monkeypatch, capsys):
    units, first, second = _trail()
    assert first.after["count"] == 20 and second.after["count"] == 2
    assert _findings(monkeypatch, 3) == _findings(monkeypatch, 1000) == []
    changed = AuditEvent.objects.get(stream=stream_for(units[0]), seq=2)
    _tamper("UPDATE workflows_auditevent SET reason = %s WHERE id = %s", ["diubah diam-diam", changed.pk])
    newest = AuditEvent.objects.get(stream=stream_for(units[3]), seq=6)
    _tamper("DELETE FROM workflows_auditevent WHERE id = %s", [newest.pk])
    _set_seal_count(second, 3)
    small, large = _findings(monkeypatch, 3), _findings(monkeypatch, 1000)
    assert small == large
    before_newest = AuditEvent.objects.get(stream=stream_for(units[3]), seq=5)
    # Chain breaks in stream order (the seal stream's name sorts first), then the seals' digests. The first
    # seal still holds: its digest covers the stored hashes, and the changed event kept its hash. The two unit
    # streams are compared as a set: their names' order follows the units' ids ("…:102" before "…:99").
    assert large[0] == f"event {second.pk} (stream {SEAL_STREAM}, #2): content does not match its hash"
    assert set(large[1:3]) == {
        f"event {changed.pk} (stream {changed.stream}, #2): content does not match its hash",
        f"event {before_newest.pk} (stream {newest.stream}, #5): newest events #6–#6 are missing "
        "(the stream head says #6)",
    }
    assert large[3:] == [
        f"event {second.pk} (stream {SEAL_STREAM}, #2): sealed events were changed, added or removed",
    ]
    # The command prints the same report whatever the chunk size.
    reports = []
    for size in (3, 1000):
        _chunks(monkeypatch, size)
        with pytest.raises(SystemExit):
            call_command("verify_audit")
        reports.append(capsys.readouterr().err)
    assert reports[0] == reports[1] and f"event {changed.pk}" in reports[0]


def test_a_deleted_sealed_event_and_a_shifted_seal_range_are_found_at_any_chunk_size(monkeypatch):
    units, first, second = _trail()
    gone = AuditEvent.objects.get(stream=stream_for(units[1]), seq=3)
    _tamper("DELETE FROM workflows_auditevent WHERE id = %s", [gone.pk])
    ranges = {**second.after["ranges"], stream_for(units[0]): [7, 7]}  # should start at #6
    after = json.dumps({**second.after, "ranges": ranges})
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    _tamper(f"UPDATE workflows_auditevent SET after = {cast} WHERE id = %s", [after, second.pk])
    small, large = _findings(monkeypatch, 3), _findings(monkeypatch, 1000)
    assert small == large
    assert large[0] == (f"event {second.pk} (stream {SEAL_STREAM}, #2): seal range of stream {stream_for(units[0])} "
                        "starts at #7, expected #6")
    assert f"event {first.pk} (stream {SEAL_STREAM}, #1): sealed events were changed, added or removed " \
           f"(streams with missing events: {stream_for(units[1])})" in large
    assert any(f"(stream {stream_for(units[1])}, #4): sequence gap: expected #3" in line for line in large)


def _queries(monkeypatch, size: int) -> int:
    _chunks(monkeypatch, size)
    with CaptureQueriesContext(connection) as ctx:
        audit_breaks()
    return len(ctx.captured_queries)


def test_the_check_reads_in_chunks_and_its_queries_do_not_grow_with_the_events(monkeypatch):
    units, _first, _second = _trail(4, 5)
    few = _queries(monkeypatch, 1000)
    # Heads in windows of 3 and seal ranges 3 per query: more round trips, the same (empty) findings.
    assert _queries(monkeypatch, 3) > few
    _append(units, 10)  # three times the events on the same streams, sealed by one more seal
    audit_seal()
    assert AuditEvent.objects.exclude(stream=SEAL_STREAM).count() == 63
    assert _queries(monkeypatch, 1000) == few and audit_breaks() == []
