"""20 concurrent final approvals against an envelope with room for exactly 10 (PostgreSQL).

Each thread has its own database connection and approves a different request (the last step of each),
so they all meet only on the envelope row: the row lock plus the check constraint must let exactly 10
through and refuse the other 10 with ``insufficient_room``, writing nothing for them.
"""
import threading

import pytest
from django.db import connection, connections

from budget_requests.models import Decision, Envelope, LedgerEntry, RepairRequest, RequestState
from budget_requests.services import envelope_allocate, envelope_create, request_approve
from budget_requests.services.errors import RequestError

pytestmark = pytest.mark.services

N_REQUESTS = 20
ROOM_FOR = 10
AMOUNT = 2_000_000


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_final_approvals_leave_exactly_ten_approved(tangsel):
    assert connection.vendor == "postgresql", "this test is about PostgreSQL row locks; run make test-services"
    from tests.budget_requests.support import make_matrix, make_world, new_request

    w = make_world(make_matrix())
    env = envelope_create(actor=w.admin, org_unit=w.kec_setu, sub_kegiatan="7.01.01.2.09.0006",
                          account_code="5.1.02.03.02.0411", fiscal_year=w.year,
                          name="Pagu uji serentak")
    envelope_allocate(envelope=env, amount=AMOUNT * ROOM_FOR, actor=w.admin)
    ids = [new_request(w, amount=AMOUNT, envelope=env, vendor=f"CV Penyedia {i}").pk for i in range(N_REQUESTS)]
    lurah_id = w.lurah_babakan.pk

    barrier = threading.Barrier(N_REQUESTS)
    outcomes: dict[int, str] = {}

    def approve(pk: int) -> None:
        from workflows.models import User

        try:
            obj = RepairRequest.objects.get(pk=pk)
            actor = User.objects.get(pk=lurah_id)
            barrier.wait(timeout=30)
            request_approve(request_obj=obj, actor=actor, justification="Uji serentak: kerusakan berbeda.")
            outcomes[pk] = "approved"
        except RequestError as exc:
            outcomes[pk] = exc.code
        except Exception as exc:  # noqa: BLE001 - reported below
            outcomes[pk] = f"error: {exc!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(pk,)) for pk in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    values = sorted(outcomes.values())
    assert values.count("approved") == ROOM_FOR, values
    assert values.count("insufficient_room") == N_REQUESTS - ROOM_FOR, values
    env = Envelope.objects.get(pk=env.pk)
    assert env.room >= 0
    assert (env.reserved, env.room) == (AMOUNT * ROOM_FOR, 0)
    assert RepairRequest.objects.filter(pk__in=ids, state=RequestState.APPROVED).count() == ROOM_FOR
    assert RepairRequest.objects.filter(pk__in=ids, state=RequestState.UNDER_REVIEW).count() == N_REQUESTS - ROOM_FOR
    assert Decision.objects.filter(request_id__in=ids).count() == ROOM_FOR
    assert LedgerEntry.objects.filter(envelope=env, kind="reserve").count() == ROOM_FOR
