"""The audit trail under concurrency, on PostgreSQL: appends to one stream, seals next to appends in flight,
and the table refusing TRUNCATE."""
import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from budget_requests.models import RepairRequest, RequestState
from budget_requests.services import request_approve
from budget_requests.services.requests import _record_denial
from workflows.models import AuditEvent, AuditStreamHead
from workflows.policy import Denied
from workflows.services.audit import audit_breaks, audit_record, audit_seal, stream_for

from .parallel import run_parallel

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _seqs(stream: str) -> list[int]:
    return list(AuditEvent.objects.filter(stream=stream).order_by("seq").values_list("seq", flat=True))


def test_concurrent_denials_actor_events_and_an_approval_on_one_stream_all_succeed(tangsel):
    """An outsider's refused attempts (denials on the request's stream, events on their ``actor:`` stream) race
    the lurah's legitimate approval of the same request: none of them fails on the (stream, seq) constraint."""
    assert connection.vendor == "postgresql", "this test is about PostgreSQL row locks; run make test-services"
    from tests.budget_requests.support import make_matrix, make_world, new_request

    w = make_world(make_matrix())
    obj = new_request(w, amount=1_000_000, vendor="CV Serentak")
    stream = stream_for(obj)
    before = len(_seqs(stream))
    outsider_id, lurah_id = w.lurah_pb.pk, w.lurah_babakan.pk
    n = 16

    def act(i: int) -> None:
        from workflows.models import User

        request_obj = RepairRequest.objects.get(pk=obj.pk)
        if i == 0:
            request_approve(request_obj=request_obj, actor=User.objects.get(pk=lurah_id),
                            justification="Uji serentak jejak audit.")
            return
        outsider = User.objects.get(pk=outsider_id)
        if i % 3 == 0:
            with transaction.atomic():
                audit_record(actor=outsider, action="uji.serentak", after={"i": i})
            return
        # What a refused request writes (the service's denial record), without waiting on the request's lock.
        _record_denial(actor=outsider, obj=request_obj, attempted="approve", request=None,
                       exc=Denied("not_in_scope", "Di luar wilayah Anda."))

    errors = run_parallel(act, n)

    assert errors == []
    assert RepairRequest.objects.get(pk=obj.pk).state == RequestState.APPROVED
    seqs = _seqs(stream)
    denials = AuditEvent.objects.filter(stream=stream, action="repair_request.denied").count()
    assert denials == n - 1 - len(range(3, n, 3))
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) > before + denials  # the approval's too
    actor_stream = f"actor:{outsider_id}"
    assert _seqs(actor_stream) == list(range(1, len(range(3, n, 3)) + 1))
    assert AuditStreamHead.objects.get(stream=stream).seq == len(seqs)
    assert audit_breaks() == []


def test_an_event_in_flight_during_a_seal_is_sealed_by_the_next_seal(tangsel):
    """Event A's transaction takes its id first and commits after the seal; event B (a later id) commits
    before the seal. The seal covers B, not A; the next seal covers A; the trail verifies clean throughout."""
    assert connection.vendor == "postgresql"
    from workflows.models import OrgUnit

    unit_a, unit_b = OrgUnit.objects.order_by("pk")[:2]
    written, release = threading.Event(), threading.Event()
    failures: list[str] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                audit_record(actor=None, action="uji.lambat", obj=unit_a)
                written.set()
                assert release.wait(30)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(repr(exc))
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert written.wait(30)
    with transaction.atomic():
        b = audit_record(actor=None, action="uji.cepat", obj=unit_b)
    a = AuditEvent.objects.filter(stream=stream_for(unit_a))
    assert not a.exists()  # still in flight

    first = audit_seal()
    release.set()
    thread.join(30)
    assert failures == []
    a = a.get()
    assert a.pk < b.pk  # ids out of commit order: sealing "id > last sealed id" would skip A
    assert first.after["ranges"][stream_for(unit_b)] == [b.seq, b.seq]
    assert stream_for(unit_a) not in first.after["ranges"]
    assert audit_breaks() == []

    second = audit_seal()
    assert second.after["ranges"] == {stream_for(unit_a): [a.seq, a.seq]}
    assert audit_seal() is None
    assert audit_breaks() == []


def test_postgres_refuses_to_truncate_the_audit_table(tangsel):
    assert connection.vendor == "postgresql"
    from workflows.models import OrgUnit

    with transaction.atomic():
        audit_record(actor=None, action="uji.truncate", obj=OrgUnit.objects.first())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE workflows_auditevent")
    assert AuditEvent.objects.filter(action="uji.truncate").count() == 1
