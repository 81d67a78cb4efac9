"""Who is told what when a repair request moves (receiver of ``budget_requests.signals.request_event``).

* the next actor's position (whoever acts for it today: Plh > Plt > holder) gets an in-app notification and an
  e-mail through ``workflows.services.notify.notify_position``: a new review step, an escalation, a reminder,
  and the bendahara once a request is approved;
* the requester is told of every decision on their request (``notify_users``), unless they took it themselves;
* the Inspektorat is told of a new red flag.

The signal is sent after the service's transaction commits, so nobody hears of a change that did not happen.
"""
from __future__ import annotations

import logging

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.models import Position, PositionKind
from workflows.region import current_region
from workflows.services.notify import notifications_settle, notify_position, notify_users

from .selectors import request_summary as about
from .models import RepairRequest

logger = logging.getLogger(__name__)

DECISIONS = {
    "step_approved": gettext_lazy("disetujui pada satu langkah dan diteruskan ke tingkat berikutnya"),
    "approved": gettext_lazy("disetujui"),
    "returned": gettext_lazy("dikembalikan untuk perbaikan"),
    "rejected": gettext_lazy("ditolak"),
    "cancelled": gettext_lazy("dibatalkan"),
    "paid": gettext_lazy("dibayar"),
    "closed": gettext_lazy("ditutup"),
    "forwarded_to_province": gettext_lazy("diteruskan ke %(province)s (aset milik Provinsi)"),
}


def _with_province(text) -> str:
    """A message that may name the province (``%(province)s``) with this installation's province filled in."""
    return str(text) % {"province": current_region().province_government}


def _current_position(obj: RepairRequest) -> Position | None:
    if obj.escalated_to_id:
        return obj.escalated_to
    step = obj.current_route_step or {}
    return Position.objects.filter(pk=step.get("position_id")).first() if step.get("position_id") else None


def _notify_next(obj: RepairRequest, url: str, *, reminder: bool = False) -> None:
    position = _current_position(obj)
    if position is None:
        return
    step = obj.current_route_step or {}
    subject = (_("Pengingat: permohonan %(about)s menunggu keputusan") if reminder
               else _("Permohonan %(about)s menunggu keputusan Anda")) % {"about": about(obj)}
    body = _("Permohonan perbaikan TI %(about)s menunggu keputusan %(position)s (langkah %(n)s dari %(total)s: "
             "%(task)s).\nKerusakan: %(problem)s") % {
        "about": about(obj), "position": position.title, "n": obj.current_step + 1, "total": len(obj.route),
        "task": _task_title("review"), "problem": obj.problem[:300]}
    if obj.escalated_to_id and step.get("position_title"):
        body += "\n" + _("Langkah ini dieskalasi dari %(from)s karena melewati waktu tanggap.") % {
            "from": step["position_title"]}
    notify_position(position=position, subject=subject, body=body, url=url, obj=obj, asks_action=True)


# Events after which what earlier notifications asked for (a decision, a payment) has been done, and how their
# page then reads instead of "… menunggu keputusan Anda". A reminder or a red flag settles nothing.
SETTLED_BY = {
    "step_approved": gettext_lazy("Sudah diputuskan: disetujui dan diteruskan ke tingkat berikutnya"),
    "approved": gettext_lazy("Sudah diputuskan: disetujui"),
    "returned": gettext_lazy("Sudah diputuskan: dikembalikan untuk perbaikan"),
    "rejected": gettext_lazy("Sudah diputuskan: ditolak"),
    "cancelled": gettext_lazy("Tidak perlu ditindaklanjuti: permohonan dibatalkan"),
    "escalated": gettext_lazy("Dialihkan: langkah ini dieskalasi ke tingkat berikutnya"),
    "paid": gettext_lazy("Sudah dibayar"),
    "spp_submitted": gettext_lazy("Sudah ditindaklanjuti: SPP-LS diajukan"),
    "spp_verified": gettext_lazy("Sudah ditindaklanjuti: SPP terverifikasi"),
    "verifikasi_refused": gettext_lazy("Sudah ditindaklanjuti: SPP dikembalikan kepada bendahara"),
    "spm_issued": gettext_lazy("Sudah ditindaklanjuti: SPM ditandatangani"),
    "spm_refused": gettext_lazy("Sudah ditindaklanjuti: SPM ditolak"),
    "sp2d_refused": gettext_lazy("Sudah ditindaklanjuti: SP2D ditolak"),
    "closed": gettext_lazy("Permohonan sudah ditutup"),
    "resubmitted": gettext_lazy("Sudah diperbaiki dan diajukan ulang"),
    "forwarded_to_province": gettext_lazy("Diteruskan ke %(province)s"),
}


# Events after which a payment step waits for its official (``services.payments``).
PAYMENT_EVENTS = ("approved", "spp_submitted", "spp_verified", "verifikasi_refused", "spm_issued", "spm_refused",
                  "sp2d_refused")


def _task_title(node_name: str) -> str:
    """The title of a ``RepairFlow`` task as the inbox shows it: one wording for the inbox and the mail."""
    from .flows import RepairFlow

    return str(getattr(RepairFlow, node_name).task_title)


def _notify_payment_step(obj: RepairRequest, url: str) -> None:
    """Tell the position the request's payment now waits for what to do (with the reason of a refusal)."""
    from .policy import payment_position_ids, payment_step_waiting

    step = payment_step_waiting(obj)
    ids = payment_position_ids(obj, step, addressed_only=True) if step else []
    position = Position.objects.filter(pk__in=ids).first()
    if position is None:
        return
    what = _task_title(step)
    body = _("Permohonan %(about)s menunggu Anda: %(what)s.") % {"about": about(obj), "what": what}
    if obj.status_note:
        body += "\n" + _("Alasan/catatan: %(note)s") % {"note": obj.status_note}
    notify_position(position=position, subject=_("Pembayaran %(about)s: %(what)s") % {"about": about(obj), "what": what},
                    body=body, url=url, obj=obj, asks_action=True)


def _notify_requester(obj: RepairRequest, event: str, actor_id: int | None, url: str) -> None:
    if obj.requester_id == actor_id or event not in DECISIONS:
        return
    what = _with_province(DECISIONS[event])
    body = _("Permohonan perbaikan TI %(about)s %(what)s.") % {"about": about(obj), "what": what}
    if obj.status_note and event in ("returned", "rejected", "cancelled", "closed"):
        body += "\n" + _("Alasan/catatan: %(note)s") % {"note": obj.status_note}
    notify_users(users=[obj.requester], subject=_("Permohonan %(about)s %(what)s") % {"about": about(obj), "what": what},
                 body=body, url=url, obj=obj)


def on_request_event(sender, request_id: int, event: str, actor_id: int | None = None, extra: dict | None = None,
                     **kwargs) -> None:
    obj = (RepairRequest.objects.select_related("org_unit", "asset", "requester", "escalated_to", "envelope__org_unit")
           .filter(pk=request_id).first())
    if obj is None:
        return
    url = reverse("budget_requests:request_detail", args=[obj.pk])
    with transaction.atomic():
        if event in SETTLED_BY:
            notifications_settle(obj=obj, note=f"{about(obj)} — {_with_province(SETTLED_BY[event])}")
        if event in ("submitted", "resubmitted", "step_approved", "escalated"):
            _notify_next(obj, url)
        elif event == "reminded":
            _notify_next(obj, url, reminder=True)
        elif event in PAYMENT_EVENTS:
            _notify_payment_step(obj, url)
        elif event == "flagged":
            for position in Position.objects.filter(kind=PositionKind.INSPEKTUR, is_active=True):
                notify_position(position=position, subject=_("Tanda merah: %(about)s") % {"about": about(obj)},
                                body=_("Dugaan pemecahan paket pada permohonan %(about)s. Lihat permohonan terkait "
                                       "pada halaman permohonan.") % {"about": about(obj)}, url=url, obj=obj,
                                email=False)
        _notify_requester(obj, event, actor_id, url)


def connect() -> None:
    from .signals import request_event

    request_event.connect(on_request_event, dispatch_uid="budget_requests.notifications")
