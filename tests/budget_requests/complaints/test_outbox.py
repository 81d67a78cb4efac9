"""The outbox: a status update survives a source that is down, is retried with a doubling pause, and is
delivered signed, once and in order, when the source comes back (service and task called in this process; the
real worker is in tests/services/test_complaints_outbox.py)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from budget_requests.complaints.models import ComplaintUpdate, DeliveryStatus
from budget_requests.complaints.services import complaint_close, outbox_deliver, outbox_due, retry_pause
from budget_requests.complaints.signing import signature_matches
from budget_requests.complaints.tasks import deliver_complaint_update, sweep_complaint_outbox
from workflows.models import AuditEvent

from .conftest import SIARAN_SECRET
from .receiver import Receiver
from .support import receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


def _closed_update(w, external_id="SRN-1"):
    c = receive(w.siaran, external_id=external_id, asset_code="CCTV-BBK-01")
    complaint_close(complaint=c, actor=w.operator_babakan, reason="Kamera sudah menyala kembali.")
    return ComplaintUpdate.objects.get(complaint=c)


def test_pause_doubles_up_to_the_cap(settings):
    settings.COMPLAINT_OUTBOX_BACKOFF_SECONDS, settings.COMPLAINT_OUTBOX_BACKOFF_MAX_SECONDS = 30, 3600
    assert [retry_pause(n).total_seconds() for n in (1, 2, 3, 4, 8, 20)] == [30, 60, 120, 240, 3600, 3600]


def test_source_down_then_up(complaint_world, receiver):
    w = complaint_world
    update = _closed_update(w)  # no address yet: nothing queued, the row waits
    type(w.siaran).objects.filter(pk=w.siaran.pk).update(callback_url=receiver.url)

    before = timezone.now()
    assert outbox_deliver(update_id=update.pk) == "retry"  # nobody listens on the port yet
    update.refresh_from_db()
    assert update.status == DeliveryStatus.PENDING and update.attempts == 1 and update.last_error
    assert update.next_attempt_at >= before + retry_pause(1)
    assert outbox_due(now=timezone.now()) == []  # not before its pause
    assert outbox_due(now=update.next_attempt_at) == [update.pk]

    receiver.start()
    assert outbox_deliver(update_id=update.pk) == "delivered"
    update.refresh_from_db()
    assert update.status == DeliveryStatus.DELIVERED and update.attempts == 2 and update.delivered_at
    (hit,) = receiver.received
    payload = json.loads(hit["body"])
    assert payload["external_id"] == "SRN-1" and payload["event"] == "closed"
    assert payload["reason"] == "Kamera sudah menyala kembali."
    assert signature_matches(SIARAN_SECRET, hit["body"], hit["headers"]["X-Pamong-Signature"])
    assert hit["headers"]["X-Pamong-Delivery"] == str(update.pk)
    assert AuditEvent.objects.filter(action="complaint.update_delivered", object_id=str(update.complaint_id)).exists()

    assert outbox_deliver(update_id=update.pk) == "delivered"  # idempotent: not sent again
    assert len(receiver.received) == 1


def test_task_leaves_a_failed_delivery_for_the_sweeper_which_delivers_later(complaint_world, receiver):
    w = complaint_world
    update = _closed_update(w)
    type(w.siaran).objects.filter(pk=w.siaran.pk).update(callback_url=receiver.url)
    assert deliver_complaint_update.apply(args=[update.pk]).get() == "retry"  # the port is closed
    update.refresh_from_db()
    assert update.status == DeliveryStatus.PENDING and update.attempts == 1

    receiver.start()
    ComplaintUpdate.objects.filter(pk=update.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert sweep_complaint_outbox.apply().get() == [update.pk]
    update.refresh_from_db()
    assert update.status == DeliveryStatus.DELIVERED and len(receiver.received) == 1


def test_row_is_shown_failed_after_the_last_attempt_and_still_kept(complaint_world, receiver, settings):
    settings.COMPLAINT_OUTBOX_MAX_ATTEMPTS = 2
    w = complaint_world
    update = _closed_update(w)
    type(w.siaran).objects.filter(pk=w.siaran.pk).update(callback_url=receiver.url)
    assert outbox_deliver(update_id=update.pk) == "retry"
    assert outbox_deliver(update_id=update.pk) == "retry"
    update.refresh_from_db()
    assert update.status == DeliveryStatus.FAILED and update.attempts == 2
    assert outbox_due(now=update.next_attempt_at) == [update.pk]  # the sweeper keeps trying


def test_updates_of_one_complaint_reach_the_source_in_order(complaint_world, receiver):
    from budget_requests.services import request_approve

    from .support import to_repair

    w = complaint_world
    c = receive(w.siaran, asset_code="CCTV-BBK-01")
    r = to_repair(w, c)
    request_approve(request_obj=r, actor=w.lurah_babakan)
    accepted, approved = ComplaintUpdate.objects.filter(complaint=c).order_by("pk")
    type(w.siaran).objects.filter(pk=w.siaran.pk).update(callback_url=receiver.url)
    receiver.start()
    assert outbox_deliver(update_id=approved.pk) == "retry"  # the earlier one first
    assert receiver.received == []
    assert outbox_deliver(update_id=accepted.pk) == "delivered"
    assert outbox_deliver(update_id=approved.pk) == "delivered"
    assert [json.loads(h["body"])["event"] for h in receiver.received] == ["accepted", "repair_approved"]


def test_change_with_a_callback_address_queues_its_delivery_after_commit(complaint_world, receiver,
                                                                        django_capture_on_commit_callbacks):
    w = complaint_world
    type(w.siaran).objects.filter(pk=w.siaran.pk).update(callback_url=receiver.url)
    receiver.start()
    with django_capture_on_commit_callbacks(execute=True):  # eager Celery: the delivery runs at commit
        update = _closed_update(w)
    update.refresh_from_db()
    assert update.status == DeliveryStatus.DELIVERED and len(receiver.received) == 1
