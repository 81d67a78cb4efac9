"""Telling people that something waits for them: a ``Notification`` row each, and one e-mail each.

Call these inside the transaction of the change they announce: the rows commit or roll back with it, and the
e-mails are queued only after commit (``workflows.tasks.send_notification_email``), so nobody is told about a
change that did not happen.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.db import models, transaction
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ..acting import who_acts_for
from ..models import Notification, Position, User


def _queue_email(notification_id: int) -> None:
    from ..tasks import send_notification_email

    send_notification_email.delay(notification_id)


def notify_users(
    *,
    users: Iterable[User],
    subject: str,
    body: str,
    url: str = "",
    obj: models.Model | None = None,
    capacity: str = "",
    email: bool = True,
    asks_action: bool = False,
) -> list[Notification]:
    """Create one notification per distinct active user and queue its e-mail after commit.

    ``url`` is a site-relative link ("/perda/12/"); ``obj`` the object it is about (optional); ``capacity``
    the position the person is told about ("Plh. Camat Setu"); ``asks_action`` marks a notification that asks the
    person to act on ``obj`` (settled by ``notifications_settle`` once someone has). Inactive users are skipped.
    """
    seen: set[int] = set()
    recipients = []
    for user in users:
        if user.pk not in seen and user.is_active:
            seen.add(user.pk)
            recipients.append(user)
    if not recipients:
        return []
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    object_id = str(obj.pk) if obj is not None else ""
    with transaction.atomic():
        rows = Notification.objects.bulk_create([
            Notification(recipient=user, subject=subject[:200], body=body, url=url[:500],
                         content_type=content_type, object_id=object_id, capacity=capacity[:250],
                         asks_action=asks_action)
            for user in recipients
        ])
        if email:
            for row in rows:
                transaction.on_commit(lambda pk=row.pk: _queue_email(pk))
    return rows


def notify_position(
    *,
    position: Position,
    subject: str,
    body: str,
    url: str = "",
    obj: models.Model | None = None,
    at: dt.datetime | dt.date | None = None,
    email: bool = True,
    asks_action: bool = False,
) -> list[Notification]:
    """Notify whoever acts for ``position`` on ``at`` (default today): the Plh, else the Plt, else the holder.

    Each row records the capacity the person is told in ("Plh. Camat Setu"). Nobody acting: no rows.
    """
    rows: list[Notification] = []
    for acting in who_acts_for(position, at):
        rows += notify_users(users=[acting.user], subject=subject, body=body, url=url, obj=obj,
                             capacity=acting.capacity_label, email=email, asks_action=asks_action)
    return rows


def notifications_settle(*, obj: models.Model, note: str) -> int:
    """The action ``obj``'s open notifications asked for has been taken (by whoever): mark them done and read.

    Their page then shows ``note`` ("Sudah diputuskan: disetujui") instead of "… menunggu keputusan Anda", and the
    bell stops counting them. Returns how many were settled.
    """
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(obj)
    rows = Notification.objects.filter(content_type=content_type, object_id=str(obj.pk), asks_action=True,
                                       done_at__isnull=True)
    settled = rows.update(done_at=now, done_note=note[:200])
    Notification.objects.filter(content_type=content_type, object_id=str(obj.pk), asks_action=True,
                                done_at=now, read_at__isnull=True).update(read_at=now)
    return settled


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s own unread notifications read (all of them when ``ids`` is None). Returns how many."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def unread_notification_count(user: User) -> int:
    """How many unread notifications ``user`` has (one query; for a badge in the page header)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_send_email(*, notification_id: int) -> bool:
    """Send the e-mail of one notification, once. True when sent now; False when already sent or no address.

    The row is locked while sending, so two workers running the same task cannot both send it; a failing
    mail server raises (the task retries with backoff) and leaves ``emailed_at`` empty.
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils.translation import gettext as _

    with transaction.atomic():
        row = (
            Notification.objects.select_for_update().select_related("recipient")
            .filter(pk=notification_id).first()
        )
        if row is None or row.emailed_at is not None:
            return False
        if not row.recipient.email:
            row.email_error = _("Penerima tidak memiliki alamat surel.")
            row.save(update_fields=["email_error"])
            return False
        link = f"{settings.PAMONG_SITE_URL.rstrip('/')}{row.url}" if row.url.startswith("/") else row.url
        lines = [row.body]
        if row.capacity:
            lines.insert(0, _("Untuk: %(capacity)s") % {"capacity": row.capacity})
        if link:
            lines.append(_("Buka: %(link)s") % {"link": link})
        send_mail(
            subject=f"[Pamong] {row.subject}",
            message="\n\n".join(line for line in lines if line),
            from_email=None,
            recipient_list=[row.recipient.email],
        )
        row.emailed_at = timezone.now()
        row.email_error = ""
        row.save(update_fields=["emailed_at", "email_error"])
    return True
