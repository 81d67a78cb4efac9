"""Notifications on request events: the next actor's position (e-mail + in-app), the requester of decisions."""
import pytest
from django.core import mail

from budget_requests.services import request_approve, request_return
from tests.budget_requests.support import new_request
from workflows.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_documents(settings):
    settings.BUDGET_DOCUMENTS_ON_EVENTS = False


def test_submission_tells_the_lurah_and_approval_tells_requester_and_bendahara(repair_world,
                                                                               django_capture_on_commit_callbacks):
    w = repair_world
    with django_capture_on_commit_callbacks(execute=True):
        r = new_request(w, amount=4_500_000)
    to_lurah = Notification.objects.get(recipient=w.lurah_babakan)
    assert r.number in to_lurah.subject and "TI-BBK-001" in to_lurah.subject
    assert "Kelurahan Babakan" in to_lurah.subject and "Rp4.500.000" in to_lurah.subject
    assert to_lurah.capacity == "Lurah Babakan" and to_lurah.url.endswith(f"/anggaran/permohonan/{r.pk}/")
    assert [m.to for m in mail.outbox] == [[w.lurah_babakan.email]]
    assert "menunggu keputusan" in mail.outbox[0].subject

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(request_obj=r, actor=w.lurah_babakan)
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {w.operator_babakan.email, w.bendahara_setu.email}
    told = Notification.objects.get(recipient=w.operator_babakan)
    assert "disetujui" in told.subject


def test_return_tells_requester_with_reason_and_plh_gets_camat_steps(repair_world,
                                                                     django_capture_on_commit_callbacks):
    w = repair_world
    with django_capture_on_commit_callbacks(execute=True):
        r = new_request(w, amount=2_000_000)
        request_return(request_obj=r, actor=w.lurah_babakan, reason="Foto kurang jelas.")
    told = Notification.objects.filter(recipient=w.operator_babakan).get()
    assert "dikembalikan" in told.subject and "Foto kurang jelas." in told.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new_request(w, amount=6_000_000)  # above the lurah limit: Camat Setu, for whom the Sekcam is Plh today
    assert [m.to for m in mail.outbox] == [[w.plh_camat_setu.email]]
    assert Notification.objects.get(recipient=w.plh_camat_setu).capacity == "Plh. Camat Setu"


def test_nothing_is_sent_when_the_change_rolls_back(repair_world, django_capture_on_commit_callbacks):
    from budget_requests.services import RequestError

    w = repair_world
    r = new_request(w, amount=2_000_000)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RequestError):
            request_return(request_obj=r, actor=w.lurah_babakan, reason="")
    assert not Notification.objects.exists() and not mail.outbox


def test_overdue_step_reminds_then_escalates_to_the_camat(repair_world, django_capture_on_commit_callbacks):
    from budget_requests.services import request_escalate

    w = repair_world
    r = new_request(w, amount=1_000_000)
    with django_capture_on_commit_callbacks(execute=True):
        request_escalate(request_obj=r)
    reminder = Notification.objects.get(recipient=w.lurah_babakan)
    assert reminder.subject.startswith("Pengingat")
    with django_capture_on_commit_callbacks(execute=True):
        request_escalate(request_obj=r)
    escalated = Notification.objects.get(recipient=w.plh_camat_setu)  # Plh. Camat Setu today
    assert "dieskalasi dari Lurah Babakan" in escalated.body and escalated.capacity == "Plh. Camat Setu"


def test_a_decision_settles_the_notifications_that_asked_for_it(client, repair_world,
                                                                django_capture_on_commit_callbacks):
    """After the lurah decides, "… menunggu keputusan Anda" no longer shows and the bell stops counting it."""
    from django.urls import reverse

    w = repair_world
    with django_capture_on_commit_callbacks(execute=True):
        r = new_request(w, amount=4_500_000)
    client.force_login(w.lurah_babakan)
    home = client.get("/").content.decode()
    assert 'data-unread="1"' in home
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(request_obj=r, actor=w.lurah_babakan)
    asked = Notification.objects.get(recipient=w.lurah_babakan)
    assert asked.asks_action and asked.done_at is not None and asked.read_at is not None
    assert asked.done_note == f"{r.number} · TI-BBK-001 · Kelurahan Babakan · Rp4.500.000 — Sudah diputuskan: disetujui"
    page = client.get(reverse("notifications")).content.decode()
    assert "menunggu keputusan Anda" not in page and "Sudah diputuskan: disetujui" in page
    assert "data-unread" not in client.get("/").content.decode()
    # the bendahara's "catat pembayaran" is still open: it asks for the payment, not settled by the approval
    to_pay = Notification.objects.get(recipient=w.bendahara_setu)
    assert to_pay.asks_action and to_pay.done_at is None
