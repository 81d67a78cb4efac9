"""Every write about complaints: receive, triage (raise a repair request, close, send elsewhere), escalate, follow
the repair request, and the outbox of status updates back to the source.

Keyword-only functions, one transaction each, audited through ``workflows.services.audit`` on the complaint's
own stream. Authority comes from ``policy``; a refusal is recorded as ``complaint.denied`` in its own
transaction after the change rolled back. Outbox rows are written in the transaction of the status change they
report, and delivery is queued only after commit (``tasks.deliver_complaint_update``).
"""
from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from workflows.models import OrgUnit, OrgUnitKind, Position, PositionKind, User
from workflows.policy import Denied
from workflows.services.audit import audit_record
from workflows.services.notify import notify_position

from ..errors import RequestError
from ..models import Asset, Envelope, RepairCategory, RepairRequest
from ..services.common import resolve_position
from .matching import Match, match_complaint
from .models import (
    Complaint, ComplaintCategory, ComplaintSource, ComplaintState as S, ComplaintUpdate, DeliveryStatus, MatchBasis,
    UpdateEvent,
)
from .policy import ESCALATION_KINDS, authorize_triage
from .signing import SIGNATURE_HEADER, sign

MAX_REASON = 2000
# The repair category a complaint's category suggests for the prefilled request.
SUGGESTED_CATEGORY = {
    ComplaintCategory.CCTV: RepairCategory.CCTV,
    ComplaintCategory.WIFI_PUBLIK: RepairCategory.WIFI,
    ComplaintCategory.PERANGKAT_KANTOR: RepairCategory.HARDWARE,
}
# Repair request events that change the complaint, and the transition each one takes.
REQUEST_EVENTS = {
    "approved": ("repair_approve", UpdateEvent.REPAIR_APPROVED),
    "paid": ("mark_repaired", UpdateEvent.REPAIRED),
    "rejected": ("close", UpdateEvent.CLOSED),
    "cancelled": ("close", UpdateEvent.CLOSED),
    "forwarded_to_province": ("close", UpdateEvent.CLOSED),
}


# --- helpers ------------------------------------------------------------------------------------------------
def _snapshot(c: Complaint) -> dict[str, Any]:
    return {"state": c.state, "org_unit": c.org_unit_id, "asset": c.asset_id, "triage_position": c.triage_position_id,
            "escalation_level": c.escalation_level, "repair_request": c.repair_request_id}


def _lock(complaint: Complaint) -> Complaint:
    return (Complaint.objects.select_for_update(of=("self",))
            .select_related("source", "org_unit", "asset", "triage_position", "escalated_to")
            .get(pk=complaint.pk))


def _flow():
    from .flows import ComplaintFlow

    return ComplaintFlow


@contextmanager
def _denials(*, actor: User, complaint: Complaint, attempted: str, request) -> Iterator[None]:
    try:
        yield
    except Denied as exc:
        with transaction.atomic():
            audit_record(actor=actor, action="complaint.denied", obj=complaint,
                         after={"attempted": attempted, "code": exc.code}, reason=exc.message, request=request)
        raise


def triage_position_for(unit: OrgUnit | None):
    """The position whose queue a complaint of ``unit`` lands in: the kelurahan's (or kecamatan's) operator,
    else Diskominfo's technician (the city's queue for complaints matched to no kelurahan)."""
    if unit is not None and unit.kind == OrgUnitKind.KELURAHAN:
        position = resolve_position(PositionKind.OPERATOR_KELURAHAN, unit)
        if position is not None:
            return position
    if unit is not None and unit.kind in (OrgUnitKind.KELURAHAN, OrgUnitKind.KECAMATAN):
        position = resolve_position(PositionKind.OPERATOR_KECAMATAN, unit)
        if position is not None:
            return position
    return Position.objects.filter(kind=PositionKind.TEKNISI_DISKOMINFO, is_active=True).order_by("pk").first()


def _escalation_target(c: Complaint):
    if c.escalation_level < 1 or c.triage_position is None:
        return None
    kinds = ESCALATION_KINDS.get(c.triage_position.kind)
    if not kinds:
        return None
    kind = kinds[min(c.escalation_level, len(kinds)) - 1]
    return resolve_position(kind, c.org_unit or c.triage_position.org_unit)


def _complaint_url(c: Complaint) -> str:
    return reverse("complaints:complaint_detail", args=[c.pk])


def _notify_triage(c: Complaint, subject: str) -> None:
    position = c.escalated_to or c.triage_position
    if position is None:
        return
    body = _("%(source)s %(id)s: %(title)s") % {"source": c.source.name, "id": c.external_id, "title": c.title}
    notify_position(position=position, subject=subject, body=body, url=_complaint_url(c), obj=c, asks_action=True)


@contextmanager
def _triage_task(c: Complaint) -> Iterator[Any]:
    """The flow lock on the complaint's process and the activation of its open triage task (None if none)."""
    from viewflow.workflow.exceptions import FlowLockFailed
    from viewflow.workflow.models import Task

    flow = _flow()
    if not c.process_id:
        with transaction.atomic():
            yield None
        return
    try:
        with flow.lock(c.process_id):
            task = (Task.objects.filter(process_id=c.process_id, flow_task=flow.triage,
                                        status__in=("NEW", "ASSIGNED", "STARTED"))
                    .select_related("process").order_by("-pk").first())
            yield None if task is None else task.flow_task.activation_class(task)
    except FlowLockFailed as exc:
        raise RequestError("busy", _("Pengaduan ini sedang diproses. Coba lagi sebentar lagi.")) from exc


@contextmanager
def _triage_action(complaint: Complaint, *, actor: User, attempted: str, request) -> Iterator[tuple]:
    """The common frame of a triage decision: flow lock and open task, the complaint locked and still in
    triage, the actor's authority; yields ``(activation, complaint, acting, before)``. A refusal is audited."""
    with _denials(actor=actor, complaint=complaint, attempted=attempted, request=request):
        with _triage_task(complaint) as activation:
            c = _lock(complaint)
            if c.state != S.TRIAGE:
                raise RequestError("wrong_state", _("Pengaduan ini sudah tidak menunggu telaah."))
            acting = authorize_triage(user=actor, complaint=c)
            yield activation, c, acting, _snapshot(c)


def _finish_triage(activation, actor: User, request, c: Complaint) -> None:
    from viewflow.workflow.status import STATUS

    from .flows import remember

    if activation is None:
        return
    remember(activation, c)
    task = activation.task
    if task.status == STATUS.NEW:
        activation.assign(actor)
    elif task.status == STATUS.ASSIGNED and task.owner_id != actor.pk:
        activation.reassign(actor)
    if task.status == STATUS.ASSIGNED:
        activation.start(request)
    activation.execute()


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RequestError("reason_required", _("Alasan wajib diisi."), "reason")
    if len(reason) > MAX_REASON:
        raise RequestError("too_long", _("Alasan terlalu panjang (maksimal %(n)s karakter).") % {"n": MAX_REASON},
                           "reason")
    return reason


# --- outbox -------------------------------------------------------------------------------------------------
def _reporter_message(event: str, c: Complaint, reason: str) -> str:
    number = c.repair_request.number if c.repair_request_id and c.repair_request.number else ""
    with translation.override(settings.LANGUAGE_CODE):
        if event == UpdateEvent.ACCEPTED:
            return _("Pengaduan Anda ditindaklanjuti: permohonan perbaikan %(n)s telah dibuat.") % {
                "n": number or _("(draf)")}
        if event == UpdateEvent.REPAIR_APPROVED:
            return _("Biaya perbaikan telah disetujui; perbaikan segera dikerjakan.")
        if event == UpdateEvent.REPAIRED:
            return _("Perbaikan telah selesai dikerjakan.")
        return _("Pengaduan Anda ditutup. Alasan: %(reason)s") % {"reason": reason}


def _outbox(c: Complaint, event: str, *, reason: str = "") -> ComplaintUpdate:
    """Write one outbox row in the caller's transaction; queue its delivery after commit."""
    now = timezone.now()
    payload = {
        "source": c.source.code, "external_id": c.external_id, "event": event, "status": c.state,
        "message": _reporter_message(event, c, reason), "reason": reason,
        "repair_request": (c.repair_request.number or None) if c.repair_request_id else None,
        "occurred_at": now.isoformat(),
    }
    row = ComplaintUpdate.objects.create(complaint=c, event=event, payload=payload, next_attempt_at=now)
    if c.source.callback_url:
        from .tasks import deliver_complaint_update

        transaction.on_commit(lambda pk=row.pk: deliver_complaint_update.delay(pk))
    return row


def retry_pause(attempts: int) -> dt.timedelta:
    """Pause before the next attempt after ``attempts`` failures: doubling from the base, capped."""
    base = settings.COMPLAINT_OUTBOX_BACKOFF_SECONDS
    cap = settings.COMPLAINT_OUTBOX_BACKOFF_MAX_SECONDS
    return dt.timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def _post(url: str, secret: str, update: ComplaintUpdate) -> None:
    """POST the update; raises ``OSError`` (``urllib.error.URLError`` …) or ``ValueError`` on failure."""
    body = json.dumps(update.payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", SIGNATURE_HEADER: sign(secret, body),
        "X-Pamong-Delivery": str(update.pk), "User-Agent": "Pamong",
    })
    with urllib.request.urlopen(req, timeout=settings.COMPLAINT_OUTBOX_TIMEOUT_SECONDS) as response:
        if not 200 <= response.status < 300:
            raise ValueError(f"HTTP {response.status}")


def outbox_deliver(*, update_id: int) -> str:
    """Send one status update to its source. Returns ``delivered``, ``retry`` (it failed, or an earlier update of
    the same complaint is still undelivered: updates reach the source in order) or ``busy`` (another worker is
    sending it). Idempotent: a delivered row is not sent again; the receiver also gets the row id in
    ``X-Pamong-Delivery`` to drop a duplicate after a lost acknowledgement."""
    now = timezone.now()
    with transaction.atomic():
        row = (ComplaintUpdate.objects.select_for_update(skip_locked=True, of=("self",))
               .select_related("complaint__source")
               .filter(pk=update_id).first())
        if row is None:
            return "busy" if ComplaintUpdate.objects.filter(pk=update_id).exists() else "delivered"
        if row.status == DeliveryStatus.DELIVERED:
            return "delivered"
        if ComplaintUpdate.objects.filter(complaint_id=row.complaint_id, pk__lt=row.pk).exclude(
                status=DeliveryStatus.DELIVERED).exists():
            return "retry"
        row.attempts += 1
        row.last_attempt_at = now
        row.save(update_fields=["attempts", "last_attempt_at"])
    source = row.complaint.source
    error = ""
    try:
        if not source.callback_url:
            raise ValueError(_("Alamat pembaruan status sumber belum diatur."))
        _post(source.callback_url, source.hmac_secret, row)
    except (OSError, ValueError) as exc:
        error = str(exc)[:500] or exc.__class__.__name__
    with transaction.atomic():
        row = ComplaintUpdate.objects.select_for_update(of=("self",)).select_related("complaint").get(pk=row.pk)
        if error:
            row.status = (DeliveryStatus.FAILED if row.attempts >= settings.COMPLAINT_OUTBOX_MAX_ATTEMPTS
                          else DeliveryStatus.PENDING)
            row.last_error = error
            row.next_attempt_at = timezone.now() + retry_pause(row.attempts)
            row.save(update_fields=["status", "last_error", "next_attempt_at"])
            return "retry"
        row.status = DeliveryStatus.DELIVERED
        row.delivered_at = timezone.now()
        row.last_error = ""
        row.next_attempt_at = None
        row.save(update_fields=["status", "delivered_at", "last_error", "next_attempt_at"])
        audit_record(actor=None, action="complaint.update_delivered", obj=row.complaint, capacity=source.name,
                     after={"update": row.pk, "event": row.event, "attempts": row.attempts})
    return "delivered"


def outbox_due(*, now: dt.datetime | None = None, limit: int = 200) -> list[int]:
    """Undelivered updates whose next attempt is due, oldest first (the sweeper queues them again)."""
    now = now or timezone.now()
    return list(ComplaintUpdate.objects.exclude(status=DeliveryStatus.DELIVERED)
                .exclude(complaint__source__callback_url="").filter(next_attempt_at__lte=now)
                .order_by("pk").values_list("pk", flat=True)[:limit])


def outbox_retry_now(*, update: ComplaintUpdate, actor: User, request=None) -> ComplaintUpdate:
    """The operator asks for an undelivered update to be sent again now."""
    from .policy import may_view_complaint
    from .tasks import deliver_complaint_update

    with transaction.atomic():
        row = ComplaintUpdate.objects.select_for_update(of=("self",)).select_related("complaint__org_unit",
                                                                         "complaint__source").get(pk=update.pk)
        if not may_view_complaint(actor, row.complaint):
            raise Denied("not_found", _("Data tidak ditemukan."))
        if row.status == DeliveryStatus.DELIVERED:
            raise RequestError("wrong_state", _("Pembaruan ini sudah terkirim."))
        row.next_attempt_at = timezone.now()
        row.save(update_fields=["next_attempt_at"])
        audit_record(actor=actor, action="complaint.update_retry", obj=row.complaint,
                     after={"update": row.pk, "event": row.event}, request=request)
        if row.complaint.source.callback_url:
            transaction.on_commit(lambda: deliver_complaint_update.delay(row.pk))
    return row


# --- receive ------------------------------------------------------------------------------------------------
def complaint_receive(*, source: ComplaintSource, data: dict[str, Any], payload: dict[str, Any],
                      request=None) -> tuple[Complaint, bool]:
    """Record a complaint posted by ``source`` (``data`` already validated by the API) and open its triage task.
    Idempotent on the source's own id: the same id again returns the complaint already received and
    ``False``."""
    existing = Complaint.objects.filter(source=source, external_id=data["external_id"]).first()
    if existing is not None:
        return existing, False
    match: Match = match_complaint(
        category=data["category"], asset_code=data.get("asset_code", ""), title=data["title"],
        location=data.get("location", ""), description=data["description"], kelurahan=data.get("kelurahan", ""))
    position = triage_position_for(match.org_unit)
    try:
        with transaction.atomic():
            c = Complaint.objects.create(
                source=source, external_id=data["external_id"], title=data["title"], description=data["description"],
                category=data["category"], location_text=data.get("location", ""), latitude=data.get("latitude"),
                longitude=data.get("longitude"), reported_asset_code=data.get("asset_code", ""),
                reported_kelurahan=data.get("kelurahan", ""), reporter_name=data.get("reporter_name", ""),
                reported_at=data["reported_at"], payload=payload, asset=match.asset, org_unit=match.org_unit,
                match_basis=match.basis, triage_position=position,
            )
            audit_record(actor=None, action="complaint.received", obj=c, capacity=source.name,
                         after={**_snapshot(c), "external_id": c.external_id, "match_basis": c.match_basis},
                         request=request)
            _flow().start.run(complaint=c)
            _notify_triage(c, _("Pengaduan baru untuk ditelaah"))
    except IntegrityError:
        # The same id delivered twice at the same moment: the other delivery's complaint stands.
        found = Complaint.objects.filter(source=source, external_id=data["external_id"]).first()
        if found is None:
            raise
        return found, False
    return c, True


# --- triage -------------------------------------------------------------------------------------------------
def complaint_route(*, complaint: Complaint, actor: User, org_unit: OrgUnit | None = None,
                    asset: Asset | None = None, note: str = "", request=None) -> Complaint:
    """Send a complaint in triage to the kelurahan it is about (the Diskominfo queue matching it by hand, or an
    operator passing on one that is not theirs). ``asset`` implies its kelurahan."""
    if asset is not None:
        org_unit = asset.org_unit
    if org_unit is None or org_unit.kind not in (OrgUnitKind.KELURAHAN, OrgUnitKind.KECAMATAN):
        raise RequestError("invalid_unit", _("Pilih kelurahan atau aset yang dimaksud pengaduan."), "org_unit")
    frame = _triage_action(complaint, actor=actor, attempted="route", request=request)
    with frame as (activation, c, acting, before):
        c.route_to()
        c.org_unit, c.asset, c.match_basis = org_unit, asset, MatchBasis.ROUTED
        c.triage_position = triage_position_for(org_unit)
        c.escalated_to = _escalation_target(c)
        c.save()
        audit_record(actor=actor, action="complaint.routed", obj=c, capacity=acting.capacity_label,
                     before=before, after=_snapshot(c), reason=(note or "").strip()[:MAX_REASON], request=request)
        _finish_triage(activation, actor, request, c)
        _notify_triage(c, _("Pengaduan diteruskan kepada Anda untuk ditelaah"))
    return c


def complaint_to_repair(*, complaint: Complaint, actor: User, org_unit: OrgUnit, asset: Asset, category: str,
                        problem: str, amount: Any, envelope: Envelope, urgency: str, payment_route: str,
                        quotes: Iterable[dict] = (), photos: Iterable = (), submit: bool = True,
                        request=None) -> RepairRequest:
    """Raise the repair request a complaint asks for, linked to it, and tell the source it is followed up.
    All or nothing: the request, its submission, the complaint's state and the outbox row commit together."""
    from ..services import photo_add, request_create, request_submit

    frame = _triage_action(complaint, actor=actor, attempted="repair", request=request)
    with frame as (activation, c, acting, before):
        obj = request_create(actor=actor, org_unit=org_unit, asset=asset, category=category, problem=problem,
                             amount=amount, envelope=envelope, urgency=urgency, payment_route=payment_route,
                             quotes=quotes, request=request)
        for photo in photos:
            photo_add(request_obj=obj, actor=actor, file=photo, request=request)
        c.accept()
        c.repair_request = obj
        c.accepted_at = timezone.now()
        c.save()
        audit_record(actor=actor, action="complaint.accepted", obj=c, capacity=acting.capacity_label,
                     before=before, after=_snapshot(c), request=request)
        update = _outbox(c, UpdateEvent.ACCEPTED)
        if submit:
            # After the acceptance, so that a request forwarded at once to the province (its asset) closes the
            # complaint after it, in that order for the source too.
            request_submit(request_obj=obj, actor=actor, request=request)
            obj.refresh_from_db()
            c.repair_request = obj
            update.payload = {**update.payload, "repair_request": obj.number or None,
                              "message": _reporter_message(UpdateEvent.ACCEPTED, c, "")}
            update.save(update_fields=["payload"])
        _finish_triage(activation, actor, request, _lock(c))
    return obj


def complaint_close(*, complaint: Complaint, actor: User, reason: str, request=None) -> Complaint:
    """Close a complaint in triage with a reason the reporter will read (not a city IT asset, a duplicate …)."""
    reason = _clean_reason(reason)
    frame = _triage_action(complaint, actor=actor, attempted="close", request=request)
    with frame as (activation, c, acting, before):
        c.close()
        c.close_reason, c.closed_at = reason, timezone.now()
        c.save()
        audit_record(actor=actor, action="complaint.closed", obj=c, capacity=acting.capacity_label,
                     before=before, after=_snapshot(c), reason=reason, request=request)
        _outbox(c, UpdateEvent.CLOSED, reason=reason)
        _finish_triage(activation, actor, request, c)
    return c


def complaint_escalate(*, complaint: Complaint) -> Complaint:
    """The triage ran past LAPOR!'s clock (called by the flow's timer): past the forwarding clock it goes one
    level up (the lurah), past the follow-up clock the next (the camat); after that a daily reminder."""
    with transaction.atomic():
        c = _lock(complaint)
        if c.state != S.TRIAGE:
            return c
        before = _snapshot(c)
        c.escalation_level += 1
        target = _escalation_target(c)
        changed = target is not None and target.pk != c.escalated_to_id
        if target is not None:
            c.escalated_to = target
        c.save(update_fields=["escalation_level", "escalated_to"])
        audit_record(actor=None, action="complaint.escalated" if changed else "complaint.reminded", obj=c,
                     before=before, after=_snapshot(c))
        _notify_triage(c, _("Telaah pengaduan melewati tenggat SP4N-LAPOR!"))
    return c


# --- following the repair request ---------------------------------------------------------------------------
def complaint_follow_request(*, request_obj: RepairRequest, event: str, actor: User | None = None,
                             reason: str = "") -> Complaint | None:
    """Move the complaint a repair request was raised for along with it, in the request's own transaction (the
    repair services call this where they record their event): approved → repair approved, paid → repaired,
    rejected/cancelled/forwarded to the province → closed with the reason. Other events and requests raised
    without a complaint: nothing (one query for the five events above, none for the rest, and none at all when
    the request was loaded together with its complaint and has none)."""
    if event not in REQUEST_EVENTS:
        return None
    if RepairRequest.complaint.is_cached(request_obj) and not hasattr(request_obj, "complaint"):
        return None  # the request was loaded with its complaint (``services.requests._lock``): it has none
    c = (Complaint.objects.select_for_update(of=("self",)).select_related("source", "repair_request")
         .filter(repair_request_id=request_obj.pk).first())
    if c is None:
        return None
    method, update_event = REQUEST_EVENTS[event]
    transition = getattr(c, method)
    if not can_proceed(transition):
        return c
    before = _snapshot(c)
    transition()
    now = timezone.now()
    if update_event == UpdateEvent.REPAIRED:
        c.repaired_at = now
    if update_event == UpdateEvent.CLOSED:
        reason = (reason or request_obj.status_note or "").strip()
        if event == "forwarded_to_province":
            reason = _("Aset ini milik Pemerintah Provinsi; pengaduan diteruskan kepada Provinsi.")
        c.close_reason, c.closed_at = reason, now
    c.save()
    audit_record(actor=actor, action=f"complaint.{update_event}", obj=c, before=before, after=_snapshot(c),
                 reason=c.close_reason if update_event == UpdateEvent.CLOSED else "")
    _outbox(c, update_event, reason=c.close_reason if update_event == UpdateEvent.CLOSED else "")
    return c


# --- sources ------------------------------------------------------------------------------------------------
def complaint_source_create(*, actor: User | None, code: str, name: str, kind: str, external_id_label: str,
                            callback_url: str = "", token: str | None = None,
                            secret: str | None = None) -> tuple[ComplaintSource, str]:
    """Register a complaint system. Returns the source and its token: the token is shown this once and only its
    digest is kept. ``token``/``secret`` may be given (the demo's fixed values); otherwise they are random."""
    from .signing import new_secret, new_token, token_digest

    token = token or new_token()
    with transaction.atomic():
        source = ComplaintSource.objects.create(
            code=code, name=name, kind=kind, external_id_label=external_id_label, callback_url=callback_url,
            token_digest=token_digest(token), hmac_secret=secret or new_secret())
        audit_record(actor=actor, action="complaint_source.created", obj=source,
                     after={"code": code, "kind": kind, "callback_url": callback_url})
    return source, token
