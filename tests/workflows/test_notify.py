"""Notifications: rows per person, e-mail once after commit, addressed to whoever acts for a position."""
import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import AssignmentFactory, PositionFactory, UserFactory
from workflows.models import Capacity, Notification
from workflows.services.notify import (
    notification_mark_read,
    notification_send_email,
    notify_position,
    notify_users,
    unread_notification_count,
)
from workflows.tasks import send_notification_email

pytestmark = pytest.mark.django_db


def test_notify_users_creates_one_row_per_person_and_emails_after_commit(django_capture_on_commit_callbacks):
    a = UserFactory(email="a@example.go.id")
    b = UserFactory(email="b@example.go.id")
    inactive = UserFactory(email="c@example.go.id", is_active=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = notify_users(users=[a, b, a, inactive], subject="Permohonan menunggu", body="Printer rusak",
                            url="/perbaikan/1/", obj=b)
    assert len(rows) == 2 and len(mail.outbox) == 0  # nothing sent before commit
    assert {r.recipient_id for r in rows} == {a.pk, b.pk}
    assert rows[0].obj == b
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.go.id", "b@example.go.id"]
    assert "http://127.0.0.1:8000/perbaikan/1/" in mail.outbox[0].body
    assert mail.outbox[0].subject == "[Pamong] Permohonan menunggu"
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    user = UserFactory(email="x@example.go.id")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify_users(users=[user], subject="S", body="B")
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.exists()


def test_email_task_is_idempotent():
    user = UserFactory(email="y@example.go.id")
    [row] = notify_users(users=[user], subject="S", body="B", email=False)
    assert send_notification_email.delay(row.pk).get() is True
    assert send_notification_email.delay(row.pk).get() is False
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.emailed_at is not None


def test_email_failure_leaves_row_unsent(monkeypatch):
    user = UserFactory(email="z@example.go.id")
    [row] = notify_users(users=[user], subject="S", body="B", email=False)

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.send_mail", broken)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        notification_send_email(notification_id=row.pk)
    row.refresh_from_db()
    assert row.emailed_at is None
    assert send_notification_email.max_retries == 6 and send_notification_email.retry_backoff


def test_user_without_address_is_recorded_not_retried():
    user = UserFactory(email="")
    [row] = notify_users(users=[user], subject="S", body="B", email=False)
    assert notification_send_email(notification_id=row.pk) is False
    row.refresh_from_db()
    assert row.emailed_at is None and row.email_error


def test_notify_position_reaches_the_plh_with_capacity(django_capture_on_commit_callbacks):
    camat = PositionFactory(title="Camat Setu")
    holder = AssignmentFactory(position=camat, user=UserFactory(email="camat@example.go.id")).user
    plh = AssignmentFactory(
        position=camat, user=UserFactory(email="sekcam@example.go.id"), capacity=Capacity.PLH,
        starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 4),
    ).user
    rows = notify_position(position=camat, subject="Persetujuan", body="...", at=dt.date(2026, 3, 3))
    assert [(r.recipient_id, r.capacity) for r in rows] == [(plh.pk, "Plh. Camat Setu")]
    rows = notify_position(position=camat, subject="Persetujuan", body="...", at=dt.date(2026, 3, 5))
    assert [(r.recipient_id, r.capacity) for r in rows] == [(holder.pk, "Camat Setu")]
    assert notify_position(position=PositionFactory(), subject="S", body="B") == []


def test_mark_read_only_touches_own_rows():
    me, other = UserFactory(), UserFactory()
    mine = notify_users(users=[me], subject="1", body="", email=False) + notify_users(
        users=[me], subject="2", body="", email=False)
    [theirs] = notify_users(users=[other], subject="3", body="", email=False)
    assert notification_mark_read(user=me, ids=[mine[0].pk, theirs.pk]) == 1
    assert unread_notification_count(me) == 1
    assert notification_mark_read(user=me) == 1
    assert unread_notification_count(me) == 0 and unread_notification_count(other) == 1


def _page(client, user, n, django_assert_max_num_queries):
    notify_users(users=[user] * 1, subject="x", body="", email=False)
    for i in range(n):
        Notification.objects.create(recipient=user, subject=f"Permohonan {i}", body="isi", url="/x/")
    # The page layout (menu, capacities, permissions) adds a few queries; none grow with the rows.
    with django_assert_max_num_queries(12):
        return client.get(reverse("notifications"))


def test_page_lists_own_notifications_with_bounded_queries(client, django_assert_max_num_queries):
    me, other = UserFactory(), UserFactory()
    notify_users(users=[other], subject="Rahasia orang lain", body="", email=False)
    client.force_login(me)
    small = _page(client, me, 2, django_assert_max_num_queries)
    big = _page(client, me, 40, django_assert_max_num_queries)
    assert small.status_code == big.status_code == 200
    text = big.content.decode()
    assert "Permohonan 39" in text and "Rahasia orang lain" not in text
    assert "Halaman 1 dari 2" in text


def test_page_mark_read_and_open(client):
    me, other = UserFactory(), UserFactory()
    [row] = notify_users(users=[me], subject="Buka saya", body="", url="/perda/1/", email=False)
    [foreign] = notify_users(users=[other], subject="x", body="", url="/x/", email=False)
    [evil] = notify_users(users=[me], subject="x", body="", url="https://evil.example/", email=False)
    client.force_login(me)
    response = client.get(reverse("notification_open", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == "/perda/1/"
    row.refresh_from_db()
    assert row.read_at is not None
    assert client.get(reverse("notification_open", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("notification_open", args=[evil.pk]))["Location"] == reverse("notifications")
    response = client.post(reverse("notifications_mark_read"))
    assert response.status_code == 302
    assert unread_notification_count(me) == 0
    assert Notification.objects.get(pk=foreign.pk).read_at is None


def test_page_needs_login(client):
    response = client.get(reverse("notifications"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_created_at_is_aware():
    [row] = notify_users(users=[UserFactory()], subject="S", body="", email=False)
    assert timezone.is_aware(row.created_at)
