"""Repair requests: create, edit, submit, decide, pay, close, cancel, escalate.

Lock order everywhere: the viewflow process row (via ``task.activation()``), then the request row, then the
envelope row. Each public function is one transaction: the FSM transition, the ``Decision``, the ledger
movement, the audit event and the flow step commit or roll back together. An authority refusal
(``workflows.policy.Denied``) rolls everything back and is then recorded as ``repair_request.denied`` in its
own transaction, so the refusal survives.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from workflows.formatting import tanggal as _tanggal
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.acting import local_date
from workflows.models import OrgUnit, OrgUnitKind, User
from workflows.policy import Denied, require_visible
from workflows.region import current_region
from workflows.services.audit import audit_record, audit_record_many

from ..models import (
    Asset, Decision, DecisionOutcome, Envelope, PaymentRoute, Photo, Quote, RedFlag, RepairCategory, RepairRequest,
    RequestNumberSequence, RequestState, Urgency,
)
from ..policy import authorize_in_unit, authorize_step
from ..routing import (
    NoRoute, RequestFacts, applicable_rules, compute_route, dpa_of, escalation_kind, rules_in_force,
    same_route,
)
from ..signals import request_event
from .common import clean_amount, resolve_position
from .errors import RequestError
from .ledger import envelope_pay, envelope_release, envelope_reserve
from .summaries import figures_apply, remember_final_route, request_figures

S = RequestState
REQUEST_UNIT_KINDS = (OrgUnitKind.KELURAHAN, OrgUnitKind.KECAMATAN)
EDITABLE_FIELDS = ("asset", "category", "problem", "amount", "urgency", "payment_route", "envelope")
MAX_TEXT = 5000
# Input sanity limits shared by the pages, the API and the services (not legal rules).
MAX_QUOTES = 10     # vendor quotes on one request


# --- small helpers ------------------------------------------------------------------------------------------
def _lock(request_obj: RepairRequest) -> RepairRequest:
    return (
        RepairRequest.objects.select_for_update(of=("self",))
        .select_related("org_unit", "asset", "envelope__org_unit", "escalated_to", "complaint")
        .get(pk=request_obj.pk)
    )


def _snapshot(obj: RepairRequest) -> dict[str, Any]:
    return {"state": obj.state, "amount": obj.amount, "current_step": obj.current_step, "number": obj.number,
            "revision": obj.revision}


def _emit(obj: RepairRequest, event: str, actor: User | None, **extra) -> None:
    """Announce ``event`` after commit. Called inside the change's transaction, so a complaint the request was
    raised for moves with it here (its status update to the source is written in this same transaction)."""
    from ..complaints.services import complaint_follow_request

    complaint_follow_request(request_obj=obj, event=event, actor=actor)
    pk, actor_id = obj.pk, (actor.pk if actor else None)
    transaction.on_commit(lambda: request_event.send(
        sender=RepairRequest, request_id=pk, event=event, actor_id=actor_id, extra=extra))


def _sync(target: RepairRequest, source: RepairRequest) -> None:
    """Copy the saved row into the caller's object (``state`` is protected: go through ``__dict__``)."""
    if target is source:
        return
    for f in RepairRequest._meta.concrete_fields:
        target.__dict__[f.attname] = getattr(source, f.attname)
    target._state.fields_cache.clear()


def _record_denial(*, actor: User | None, obj: RepairRequest | None, attempted: str, exc: Denied, request) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor, action="repair_request.denied", obj=obj,
            stream=None if obj is not None else f"actor:{actor.pk if actor else 'system'}",
            after={"attempted": attempted, "code": exc.code}, reason=exc.message, request=request,
        )


@contextmanager
def _denials(*, actor: User | None, obj: RepairRequest | None, attempted: str, request) -> Iterator[None]:
    """Record a refusal in the audit trail. An actor outside the request's scope is refused first
    (``OutOfScope``), before any check that would tell them its state."""
    try:
        if actor is not None and obj is not None and obj.pk:
            require_visible(actor, obj.org_unit, owner_id=obj.requester_id)
        yield
    except Denied as exc:
        _record_denial(actor=actor, obj=obj if obj is not None and obj.pk else None, attempted=attempted,
                       exc=exc, request=request)
        raise


def request_require_visible(*, request_obj: RepairRequest, actor: User, attempted: str, request=None) -> None:
    """Refuse an actor outside the request's scope with ``OutOfScope`` (recorded in the audit trail) before a
    page or the API checks their input: an outsider gets the same answer as for a request that does not exist."""
    with _denials(actor=actor, obj=request_obj, attempted=attempted, request=request):
        pass


def _flow():
    from ..flows import RepairFlow

    return RepairFlow


_OPEN = ("NEW", "ASSIGNED", "STARTED")


def _open_task(obj: RepairRequest, node_names: Iterable[str], lock_request: bool = False):
    """The newest open task of ``node_names`` in the request's process, with its process (one query).

    With ``lock_request`` (run under the process lock) the same statement also loads the request row with its
    unit and envelope (``task._locked_request``) and locks both ``FOR UPDATE`` (the envelope waits for a
    concurrent reservation; the process lock taken before is the one that fails fast): safe in one statement
    because tasks only change under the process lock, which is already held, so the rows joined are current.
    """
    from viewflow.workflow.models import Task

    if not obj.process_id:
        return None
    flow = _flow()
    qs = Task.objects.filter(process_id=obj.process_id, flow_task__in=[getattr(flow, n) for n in node_names],
                             status__in=_OPEN)
    if lock_request:
        qs = (qs.filter(process__repair_request=obj.pk)
              .select_related("process__repair_request__org_unit", "process__repair_request__envelope__org_unit",
                              "process__repair_request__complaint")
              .select_for_update(of=("process__repair_request", "process__repair_request__envelope")))
    else:
        qs = qs.select_related("process")
    task = max(qs.order_by(), key=lambda t: t.pk, default=None)
    if task is not None and lock_request:
        task._locked_request = task.process.repair_request
    return task


# The document state in which a request waits for each human task (to tell "someone else did it" from "wrong
# state" when no task is open).
_WAITING_STATE = {"review": S.UNDER_REVIEW, "revise": S.RETURNED, "spp": S.APPROVED, "up_spend": S.APPROVED,
                  "verify": S.SPP_SUBMITTED, "spm": S.SPP_VERIFIED, "sp2d": S.SPM_ISSUED}


@contextmanager
def _task_scope(obj: RepairRequest, node_names: Iterable[str], *, required: bool, lock_request: bool = False):
    """Take the flow lock on the request's process, then yield the activation of its open task (or None).

    The lock (``select_for_update`` on the process row, viewflow's retrying NOWAIT lock) opens the transaction
    and the whole decision runs inside it: an error anywhere rolls back the FSM change, the ledger, the audit
    and the task. The open task is looked up *after* the lock, in its own statement (so it sees everything
    committed before the lock was granted), together with its process: a task finished meanwhile (e.g. the
    response-time timer replaced it with an escalated review task) is simply not found, and the one open now
    is used. That is two statements where ``task.activation()`` needs four (lookup, lock, refresh, process).
    A process locked by someone else for too long gives ``RequestError("busy")``. With ``lock_request`` (only
    with ``required``) the request row is locked and loaded by the same statement (see ``_open_task``).
    """
    from viewflow.workflow.exceptions import FlowLockFailed

    node_names = list(node_names)
    if not obj.process_id:
        if required:
            raise RequestError("wrong_state", _("Permohonan ini tidak sedang menunggu tindakan ini (status: %(state)s).")
                               % {"state": obj.get_state_display()})
        with transaction.atomic():
            yield None
        return
    try:
        with _flow().lock(obj.process_id):
            task = _open_task(obj, node_names, lock_request)
            if task is None and required:
                if obj.state in {_WAITING_STATE.get(n) for n in node_names}:
                    raise RequestError("stale", _("Tugas ini sudah diselesaikan orang lain. Muat ulang halaman."))
                raise RequestError("wrong_state", _("Permohonan ini tidak sedang menunggu tindakan ini (status: "
                                                    "%(state)s).") % {"state": obj.get_state_display()})
            yield None if task is None else task.flow_task.activation_class(task)
    except FlowLockFailed as exc:
        raise RequestError("busy", _("Permohonan ini sedang diproses. Coba lagi sebentar lagi.")) from exc


def _finish_task(activation, actor: User | None, request, obj: RepairRequest) -> None:
    """Complete a human task from code (the policy has already said yes)."""
    from viewflow.workflow.status import STATUS

    if activation is None:
        return
    from ..flows import remember

    remember(activation, obj)
    task = activation.task
    if task.status == STATUS.NEW:
        activation.assign(actor)
    elif task.status == STATUS.ASSIGNED and task.owner_id != getattr(actor, "pk", None):
        activation.reassign(actor)
    if task.status == STATUS.ASSIGNED:
        activation.start(request)
    activation.execute()


def _clean_text(value: str, *, field: str, label: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise RequestError("required", _("%(label)s wajib diisi.") % {"label": label}, field)
    if len(value) > MAX_TEXT:
        raise RequestError("too_long", _("%(label)s terlalu panjang (maksimal %(n)s karakter).")
                           % {"label": label, "n": MAX_TEXT}, field)
    return value


def _clean_fields(*, unit: OrgUnit, values: dict[str, Any]) -> dict[str, Any]:
    """Validate request fields (any subset of ``EDITABLE_FIELDS``) against the request's unit."""
    out: dict[str, Any] = {}
    if "amount" in values:
        out["amount"] = clean_amount(values["amount"])
    if "category" in values:
        if values["category"] not in RepairCategory.values:
            raise RequestError("invalid_choice", _("Kategori perbaikan tidak dikenal."), "category")
        out["category"] = values["category"]
    if "urgency" in values:
        if values["urgency"] not in Urgency.values:
            raise RequestError("invalid_choice", _("Tingkat urgensi tidak dikenal."), "urgency")
        out["urgency"] = values["urgency"]
    if "payment_route" in values:
        if values["payment_route"] not in PaymentRoute.values:
            raise RequestError("invalid_choice", _("Mekanisme pembayaran harus UP atau LS."), "payment_route")
        out["payment_route"] = values["payment_route"]
    if "problem" in values:
        out["problem"] = _clean_text(values["problem"], field="problem", label=_("Uraian kerusakan"))
    if "asset" in values:
        asset = values["asset"]
        if not isinstance(asset, Asset) or not asset.is_active:
            raise RequestError("invalid_asset", _("Aset tidak ditemukan atau tidak aktif."), "asset")
        if not (asset.org_unit.is_within(unit) or unit.is_within(asset.org_unit)):
            raise RequestError("asset_outside_unit", _("Aset %(tag)s tidak tercatat di %(unit)s.")
                               % {"tag": asset.tag, "unit": unit}, "asset")
        out["asset"] = asset
    if "envelope" in values:
        env = values["envelope"]
        # The unit's own or its kecamatan's DPA, or the DPA of the city office that owns the asset technically
        # (a central envelope, e.g. Diskominfo's for public Wi-Fi; checked against the asset when both are known).
        central = (isinstance(env, Envelope) and env.org_unit.kind == OrgUnitKind.PERANGKAT_DAERAH
                   and (values.get("asset") is None or values["asset"].technical_owner_id == env.org_unit_id))
        if not isinstance(env, Envelope) or not (env.org_unit_id == unit.pk or unit.is_within(env.org_unit) or central):
            raise RequestError("invalid_envelope", _("Pagu yang dipilih bukan milik %(unit)s, kecamatannya, atau "
                                                     "perangkat daerah pemilik teknis aset.")
                               % {"unit": unit}, "envelope")
        out["envelope"] = env
    return out


# --- create / edit ------------------------------------------------------------------------------------------
def request_create(*, actor: User, org_unit: OrgUnit, asset: Asset, category: str, problem: str, amount: Any,
                   envelope: Envelope, urgency: str = Urgency.NORMAL, payment_route: str = PaymentRoute.UP,
                   quotes: Iterable[dict] = (), request=None) -> RepairRequest:
    """A draft request raised by someone who works in ``org_unit`` (or above it)."""
    if org_unit.kind not in REQUEST_UNIT_KINDS:
        raise RequestError("invalid_unit", _("Permohonan perbaikan diajukan oleh kelurahan atau kecamatan."), "org_unit")
    values = _clean_fields(unit=org_unit, values=dict(
        asset=asset, category=category, problem=problem, amount=amount, envelope=envelope, urgency=urgency,
        payment_route=payment_route))
    quotes = [dict(q) for q in quotes]
    _check_quote_count(len(quotes))
    cleaned_quotes = [_clean_quote(q) for q in quotes]
    with _denials(actor=actor, obj=None, attempted="create", request=request):
        with transaction.atomic():
            acting = authorize_in_unit(user=actor, unit=org_unit)
            obj = RepairRequest.objects.create(org_unit=org_unit, requester=actor, requester_position=acting.position,
                                               **values)
            for q in cleaned_quotes:
                Quote.objects.create(request=obj, **q)
            audit_record(actor=actor, action="repair_request.created", obj=obj, capacity=acting.capacity_label,
                         after={**_snapshot(obj), "asset": values["asset"].tag, "quotes": len(cleaned_quotes)},
                         request=request)
    return obj


def _check_quote_count(count: int) -> None:
    if count > MAX_QUOTES:
        raise RequestError("too_many_quotes", _("Paling banyak %(n)s penawaran untuk satu permohonan.")
                           % {"n": MAX_QUOTES}, "quotes")


def _clean_quote(q: dict) -> dict:
    from .uploads import clean_quote_file

    vendor = _clean_text(q.get("vendor_name", ""), field="quotes", label=_("Nama penyedia"))[:200]
    out = {"vendor_name": vendor, "amount": clean_amount(q.get("amount"), field="quotes"),
           "vendor_npwp": (q.get("vendor_npwp") or "").strip()[:32]}
    if q.get("file"):
        out["file"] = clean_quote_file(q["file"])
    return out


def _editable(obj: RepairRequest) -> None:
    if obj.state not in (S.DRAFT, S.RETURNED):
        raise RequestError("not_editable", _("Permohonan hanya dapat diubah saat berstatus draf atau dikembalikan."))


def request_update(*, request_obj: RepairRequest, actor: User, request=None, **fields: Any) -> RepairRequest:
    """Change a draft or returned request. Records ``last_revised_by`` (four-eyes)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise RequestError("unknown_field", _("Kolom tidak dapat diubah: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    with _denials(actor=actor, obj=request_obj, attempted="update", request=request):
        with transaction.atomic():
            obj = _lock(request_obj)
            _editable(obj)
            acting = authorize_in_unit(user=actor, unit=obj.org_unit)
            values = _clean_fields(unit=obj.org_unit, values=fields)
            before = {k: _plain(getattr(obj, k)) for k in values}
            figures = request_figures(obj)
            for name, value in values.items():
                setattr(obj, name, value)
            obj.last_revised_by = actor
            obj.save()
            figures_apply(before=figures, after=request_figures(obj))
            audit_record(actor=actor, action="repair_request.updated", obj=obj, capacity=acting.capacity_label,
                         before=before, after={k: _plain(v) for k, v in values.items()}, request=request)
    _sync(request_obj, obj)
    return request_obj


def _plain(value):
    return value.pk if hasattr(value, "pk") else value


def quote_add(*, request_obj: RepairRequest, actor: User, vendor_name: str, amount: Any, vendor_npwp: str = "",
              file=None, request=None) -> Quote:
    data = _clean_quote({"vendor_name": vendor_name, "amount": amount, "vendor_npwp": vendor_npwp, "file": file})
    with _denials(actor=actor, obj=request_obj, attempted="quote_add", request=request):
        with transaction.atomic():
            obj = _lock(request_obj)
            _editable(obj)
            acting = authorize_in_unit(user=actor, unit=obj.org_unit)
            _check_quote_count(Quote.objects.filter(request=obj).count() + 1)
            quote = Quote.objects.create(request=obj, **data)
            obj.last_revised_by = actor
            obj.save(update_fields=["last_revised_by", "updated_at"])
            audit_record(actor=actor, action="repair_request.quote_added", obj=obj, capacity=acting.capacity_label,
                         after={"quote": quote.pk, "vendor": quote.vendor_name, "amount": quote.amount}, request=request)
    return quote


def photo_add(*, request_obj: RepairRequest, actor: User, file, request=None) -> Photo:
    """Attach a photo; the type is sniffed from the content (JPEG/PNG/WebP) and the size limited."""
    from .uploads import clean_photo

    content_type, size = clean_photo(file)
    with _denials(actor=actor, obj=request_obj, attempted="photo_add", request=request):
        with transaction.atomic():
            obj = _lock(request_obj)
            _editable(obj)
            acting = authorize_in_unit(user=actor, unit=obj.org_unit)
            photo = Photo.objects.create(request=obj, file=file, content_type=content_type, size=size, uploaded_by=actor)
            audit_record(actor=actor, action="repair_request.photo_added", obj=obj, capacity=acting.capacity_label,
                         after={"photo": photo.pk, "content_type": content_type, "size": size}, request=request)
    return photo


# --- submit / resubmit --------------------------------------------------------------------------------------
def _next_number(year: int) -> str:
    try:
        with transaction.atomic():
            RequestNumberSequence.objects.get_or_create(year=year)
    except IntegrityError:
        pass
    seq = RequestNumberSequence.objects.select_for_update().get(year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"PR/{year}/{seq.last:06d}"


def _month_used(obj: RepairRequest, rules, on: dt.date, at: dt.datetime) -> dict[str, int]:
    from ..policy import monthly_used

    kinds = {r.position_kind for r in rules if r.monthly_cap_per_unit is not None}
    return {k: monthly_used(unit=obj.org_unit, position_kind=k, at=at, exclude_request_id=obj.pk) for k in kinds}


def build_route(obj: RepairRequest, *, at: dt.datetime) -> list[dict]:
    """Compute the route from the rules in force on the day of ``at`` and resolve each step's position."""
    on = local_date(at)
    rules = rules_in_force(on)
    dpa_kind, dpa_head_kind = dpa_of(obj.envelope)
    facts = RequestFacts(unit_kind=obj.org_unit.kind, category=obj.category, amount=obj.amount, on=on,
                         province_owned=obj.asset.is_province_owned, month_used=_month_used(obj, rules, on, at),
                         dpa_kind=dpa_kind, dpa_head_kind=dpa_head_kind)
    try:
        steps = compute_route(rules, facts)
    except NoRoute:
        raise RequestError("no_route", _(
            "Tidak ada aturan pelimpahan wewenang yang berlaku pada %(day)s untuk nilai dan kategori ini. "
            "Hubungi administrator.") % {"day": _tanggal(on)}, "amount")
    route = []
    for step in steps:
        position = resolve_position(step.position_kind, obj.org_unit)
        if position is None:
            raise RequestError("no_position", _("Jabatan %(kind)s untuk %(unit)s belum terdaftar.")
                               % {"kind": step.position_kind, "unit": obj.org_unit})
        step.position_id, step.position_title = position.pk, position.title
        route.append(step.as_dict())
    return route


def _validate_for_submit(obj: RepairRequest, at: dt.datetime) -> None:
    clean_amount(obj.amount)
    _clean_fields(unit=obj.org_unit, values={"asset": obj.asset, "envelope": obj.envelope})
    year = local_date(at).year
    if obj.envelope.fiscal_year != year:
        raise RequestError("wrong_fiscal_year", _("Pagu tahun anggaran %(env)s tidak dapat dipakai pada tahun %(year)s.")
                           % {"env": obj.envelope.fiscal_year, "year": year}, "envelope")
    if not obj.quotes.exists() and not obj.asset.is_province_owned:
        raise RequestError("quote_required", _("Lampirkan sedikitnya satu penawaran penyedia."), "quotes")


def _detect_red_flags(obj: RepairRequest, at: dt.datetime) -> list[RedFlag]:
    from .flags import flags_detect

    return flags_detect(request_obj=obj, at=at)


def request_submit(*, request_obj: RepairRequest, actor: User, request=None) -> RepairRequest:
    """Submit a draft (or resubmit a returned request): validate, freeze the route, number, red flags, flow.

    A province-owned asset is forwarded to the province instead of reviewed. On resubmission the route is
    recomputed from the rules in force today; if it is unchanged the review resumes at the step that returned
    the request, otherwise at the first step.
    """
    with _denials(actor=actor, obj=request_obj, attempted="submit", request=request):
        with _task_scope(request_obj, ["revise"], required=request_obj.state == S.RETURNED) as activation:
            obj = _lock(request_obj)
            if obj.state not in (S.DRAFT, S.RETURNED):
                raise RequestError("wrong_state", _("Hanya draf atau permohonan yang dikembalikan yang dapat diajukan."))
            acting = authorize_in_unit(user=actor, unit=obj.org_unit)
            now = timezone.now()
            _validate_for_submit(obj, now)
            before = _snapshot(obj)
            figures = request_figures(obj)
            route = build_route(obj, at=now)
            resubmission = obj.state == S.RETURNED
            if resubmission:
                resume = same_route(obj.route, route)
                obj.resubmit()
                obj.revision += 1
                obj.current_step = obj.current_step if resume and obj.current_step < len(route) else 0
            else:
                obj.submit()
                obj.number = _next_number(local_date(now).year)
                obj.current_step = 0
            obj.route, obj.route_date, obj.submitted_at = route, local_date(now), now
            obj.escalation_level, obj.escalated_to = 0, None
            if obj.asset.is_province_owned:
                obj.forward_to_province()
                obj.forwarded_at = now
                obj.status_note = _("Aset milik Pemerintah Provinsi: diteruskan ke %(province)s.") % {
                    "province": current_region().province_full}
            else:
                obj.start_review()
                obj.step_started_at = now
            flags = _detect_red_flags(obj, now)
            obj.is_flagged = obj.is_flagged or bool(flags)
            obj.save()
            figures_apply(before=figures, after=request_figures(obj))
            if obj.state == S.FORWARDED_TO_PROVINCE:
                Decision.objects.create(request=obj, step_index=0, revision=obj.revision, actor=actor,
                                        capacity_label=acting.capacity_label, outcome=DecisionOutcome.FORWARD,
                                        amount=obj.amount, reason=obj.status_note)
            audit_record(actor=actor, action="repair_request.resubmitted" if resubmission else "repair_request.submitted",
                         obj=obj, capacity=acting.capacity_label, before=before,
                         after={**_snapshot(obj), "route": [s["rule_id"] for s in route],
                                "flags": [f.pk for f in flags]}, request=request)
            if activation is None:
                _flow().start.run(request_obj=obj)
            else:
                _finish_task(activation, actor, request, obj)
            event = "resubmitted" if resubmission else "submitted"
            _emit(obj, "forwarded_to_province" if obj.state == S.FORWARDED_TO_PROVINCE else event, actor)
            if flags:
                _emit(obj, "flagged", actor, flags=[f.pk for f in flags])
    _sync(request_obj, obj)
    return request_obj


# --- decisions ----------------------------------------------------------------------------------------------
def _decide(*, request_obj: RepairRequest, actor: User, outcome: str, reason: str = "", justification: str = "",
            request=None) -> RepairRequest:
    if outcome in (DecisionOutcome.RETURN, DecisionOutcome.REJECT):
        reason = _clean_text(reason, field="reason", label=_("Alasan"))
    justification = _clean_text(justification, field="justification", label=_("Justifikasi"), required=False)
    with _denials(actor=actor, obj=request_obj, attempted=outcome, request=request):
        # The request row and its envelope are locked (and loaded, with the unit) by the same statement that
        # finds the open review task, under the process lock.
        with _task_scope(request_obj, ["review"], required=True, lock_request=True) as activation:
            obj = activation.task._locked_request
            events: list[dict] = []
            ledger_months: list[list] = []
            now = timezone.now()
            auth = authorize_step(user=actor, request_obj=obj, outcome=outcome, at=now)
            if outcome == DecisionOutcome.APPROVE and obj.is_flagged and not justification:
                raise RequestError("justification_required", _(
                    "Permohonan ini bertanda merah (dugaan pemecahan paket). Tuliskan justifikasi untuk menyetujuinya."),
                    "justification")
            before = _snapshot(obj)
            figures = request_figures(obj)
            step_index = obj.current_step
            final = outcome == DecisionOutcome.APPROVE and obj.is_last_step
            if final:
                # First, so that an envelope without room refuses before anything is written.
                # No savepoint of its own: any error here fails this whole transaction anyway.
                # The envelope row is already locked and loaded (``_open_task``); its audit event is written
                # together with the request's below.
                envelope_reserve(envelope=obj.envelope, amount=obj.amount, request_obj=obj, actor=actor,
                                 capacity=auth.capacity_label, request=request, savepoint=False, locked=True,
                                 audit_into=events, figures_into=ledger_months)
                obj.approve()
                obj.decided_at = now
                action, event = "repair_request.approved", "approved"
            elif outcome == DecisionOutcome.APPROVE:
                obj.advance()
                obj.current_step += 1
                obj.escalation_level, obj.escalated_to, obj.step_started_at = 0, None, now
                action, event = "repair_request.step_approved", "step_approved"
            elif outcome == DecisionOutcome.RETURN:
                obj.return_for_revision()
                obj.escalation_level, obj.escalated_to = 0, None
                action, event = "repair_request.returned", "returned"
            else:
                obj.reject()
                obj.decided_at = now
                action, event = "repair_request.rejected", "rejected"
            obj.status_note = reason
            # Only the columns a decision changes (the FSM transitions above touch ``state`` alone).
            obj.save(update_fields=["state", "status_note", "decided_at", "current_step", "escalation_level",
                                    "escalated_to", "step_started_at", "updated_at"])
            decision = Decision.objects.create(
                request=obj, step_index=step_index, revision=obj.revision, position=auth.acting.position, actor=actor,
                capacity_label=auth.capacity_label, outcome=outcome, is_final=final or outcome == DecisionOutcome.REJECT,
                amount=obj.amount, reason=reason, justification=justification, rule_id=auth.rule_id,
            )
            if decision.is_final:
                remember_final_route(obj, auth.step)
            figures_apply(before=figures, after=request_figures(obj), ledger=ledger_months)
            events.append(dict(actor=actor, action=action, obj=obj, capacity=auth.capacity_label, before=before,
                               after={**_snapshot(obj), "decision": decision.pk, "rule": auth.rule_id,
                                      "step": step_index, "role": auth.step.get("role"), "escalated": auth.escalated,
                                      "justification": justification},
                               reason=reason, request=request))
            audit_record_many(events)
            _finish_task(activation, actor, request, obj)
            _emit(obj, event, actor, decision=decision.pk)
    _sync(request_obj, obj)
    return request_obj


def request_approve(*, request_obj: RepairRequest, actor: User, justification: str = "", request=None) -> RepairRequest:
    """Approve the current step; the last step reserves the amount on the envelope (or refuses with
    ``insufficient_room`` and writes nothing)."""
    return _decide(request_obj=request_obj, actor=actor, outcome=DecisionOutcome.APPROVE, justification=justification,
                   request=request)


def request_return(*, request_obj: RepairRequest, actor: User, reason: str, request=None) -> RepairRequest:
    """Send back to the requester for revision (reason required)."""
    return _decide(request_obj=request_obj, actor=actor, outcome=DecisionOutcome.RETURN, reason=reason, request=request)


def request_reject(*, request_obj: RepairRequest, actor: User, reason: str, request=None) -> RepairRequest:
    """Refuse the request (reason required)."""
    return _decide(request_obj=request_obj, actor=actor, outcome=DecisionOutcome.REJECT, reason=reason, request=request)


# --- cancel / pay / close -----------------------------------------------------------------------------------
def request_cancel(*, request_obj: RepairRequest, actor: User, reason: str, request=None) -> RepairRequest:
    """Cancel (draft, submitted, under review, returned or approved). An approved request's reservation is
    released. The open flow task, if any, is completed so the flow ends at its "cancelled" end."""
    reason = _clean_text(reason, field="reason", label=_("Alasan pembatalan"))
    with _denials(actor=actor, obj=request_obj, attempted="cancel", request=request):
        with _task_scope(request_obj, ["review", "revise", "spp", "up_spend"], required=False) as activation:
            obj = _lock(request_obj)
            if obj.state not in (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED, S.APPROVED):
                raise RequestError("wrong_state", _("Permohonan berstatus %(state)s tidak dapat dibatalkan.")
                                   % {"state": obj.get_state_display()})
            acting = authorize_in_unit(user=actor, unit=obj.org_unit)
            before = _snapshot(obj)
            figures = request_figures(obj)
            if obj.state == S.APPROVED:
                envelope_release(envelope=obj.envelope, amount=obj.amount, request_obj=obj, actor=actor, note=reason,
                                 capacity=acting.capacity_label, request=request)
            obj.cancel()
            obj.status_note = reason
            obj.save()
            figures_apply(before=figures, after=request_figures(obj))
            audit_record(actor=actor, action="repair_request.cancelled", obj=obj, capacity=acting.capacity_label,
                         before=before, after=_snapshot(obj), reason=reason, request=request)
            _finish_task(activation, actor, request, obj)
            _emit(obj, "cancelled", actor)
    _sync(request_obj, obj)
    return request_obj


def request_close(*, request_obj: RepairRequest, actor: User, note: str = "", request=None) -> RepairRequest:
    """Close a paid request (SPJ done) or a forwarded one (the province has answered: ``note`` says how)."""
    with _denials(actor=actor, obj=request_obj, attempted="close", request=request):
        with transaction.atomic():
            obj = _lock(request_obj)
            if obj.state not in (S.PAID, S.FORWARDED_TO_PROVINCE):
                raise RequestError("wrong_state", _("Hanya permohonan yang sudah dibayar atau diteruskan ke Provinsi "
                                                    "yang dapat ditutup."))
            if obj.state == S.FORWARDED_TO_PROVINCE:
                note = _clean_text(note, field="note", label=_("Catatan tanggapan Provinsi"))
            acting = authorize_in_unit(user=actor, unit=obj.org_unit)
            before = _snapshot(obj)
            figures = request_figures(obj)
            obj.close()
            obj.closed_at = timezone.now()
            obj.status_note = (note or "").strip()
            obj.save()
            figures_apply(before=figures, after=request_figures(obj))
            audit_record(actor=actor, action="repair_request.closed", obj=obj, capacity=acting.capacity_label,
                         before=before, after=_snapshot(obj), reason=obj.status_note, request=request)
            _emit(obj, "closed", actor)
    _sync(request_obj, obj)
    return request_obj


# --- escalation ---------------------------------------------------------------------------------------------
def request_escalate(*, request_obj: RepairRequest) -> RepairRequest:
    """A review step ran over its response time (called by the flow's timer). The first time, a reminder: the
    step restarts its clock for the same position (whoever acts for it today — a Plh when the holder is
    away — sees it). From the second time, the step is escalated to the position one level up in the matrix
    in force (e.g. the lurah's step to the camat), which may then decide it under the step's rule."""
    with transaction.atomic():
        obj = _lock(request_obj)
        if obj.state != S.UNDER_REVIEW:
            return obj
        before = _snapshot(obj)
        now = timezone.now()
        obj.escalation_level += 1
        step = obj.current_route_step or {}
        target = None
        if obj.escalation_level >= 2:
            kind = escalation_kind(rules_in_force(obj.route_date or local_date(now)), on=obj.route_date or local_date(now),
                                   category=obj.category, unit_kind=obj.org_unit.kind,
                                   position_kind=step.get("position_kind", ""),
                                   **dict(zip(("dpa_kind", "dpa_head_kind"), dpa_of(obj.envelope))))
            target = resolve_position(kind, obj.org_unit) if kind else None
            if target is not None:
                obj.escalated_to = target
        obj.step_started_at = now
        obj.save()
        escalated = obj.escalated_to_id is not None and obj.escalation_level >= 2
        action = "repair_request.escalated" if escalated else "repair_request.reminded"
        audit_record(actor=None, action=action, obj=obj, before=before,
                     after={**_snapshot(obj), "level": obj.escalation_level, "step": obj.current_step,
                            "position": step.get("position_id"),
                            "escalated_to": obj.escalated_to_id})
        _emit(obj, "escalated" if escalated else "reminded", None, level=obj.escalation_level,
              escalated_to=obj.escalated_to_id)
    _sync(request_obj, obj)
    return request_obj


__all__ = [
    "request_require_visible", "build_route", "photo_add", "quote_add", "request_approve", "request_cancel",
    "request_close", "request_create", "request_escalate", "request_reject", "request_return", "request_submit",
    "request_update",
    "applicable_rules",
]
