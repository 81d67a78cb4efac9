"""Reads shared by the web pages, the API and the exports of budget_requests.

Every list is scoped to what the user may see (``workflows.policy.unit_scope_q``) and built with
``select_related``/``prefetch_related`` so that a page's query count does not grow with the number of rows.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workflows.formatting import wib as _wib
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from workflows.acting import positions_today
from workflows.models import OrgUnit, OrgUnitKind, User
from workflows.policy import CITY_WIDE_KINDS, may_see_unit, unit_scope_q, visible_unit_paths

from .models import (
    Asset, Decision, Envelope, LedgerEntry, Photo, Quote, RedFlag, RepairRequest, RequestState,
)

S = RequestState
OPEN_STATES = (S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED, S.APPROVED, S.SPP_SUBMITTED, S.SPP_VERIFIED, S.SPM_ISSUED,
               S.FORWARDED_TO_PROVINCE)
IMPORT_KINDS = frozenset({"kepala_diskominfo", "teknisi_diskominfo", "kepala_bpkad", "analis_bpkad"})
AUDITOR_KINDS = frozenset({"inspektur", "auditor"})


# --- requests -----------------------------------------------------------------------------------------------
def requests_visible(user: User) -> QuerySet[RepairRequest]:
    """Requests of the units the user may see (a lurah: their kelurahan; a camat: the kecamatan; BPKAD: all)."""
    return RepairRequest.objects.filter(unit_scope_q(user))


def request_list(user: User, *, state: str = "", unit: str = "", q: str = "") -> QuerySet[RepairRequest]:
    """The request list: scoped, filtered, with what a row shows joined in (no per-row queries)."""
    qs = requests_visible(user).select_related("org_unit", "asset", "envelope")
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state in S.values:
        qs = qs.filter(state=state)
    if unit:
        qs = qs.filter(Q(org_unit__code=unit) | Q(org_unit__path__contains=f"/{unit}/"))
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(asset__tag__icontains=q) | Q(problem__icontains=q))
    return qs.order_by("-created_at", "-pk")


def request_units(user: User) -> list[OrgUnit]:
    """Kecamatan and kelurahan the user may filter the list by (one query)."""
    from workflows.models.org import tree_key

    units = (OrgUnit.objects.filter(unit_scope_q(user, field=""))
             .filter(kind__in=[OrgUnitKind.KECAMATAN, OrgUnitKind.KELURAHAN]))
    return sorted(units, key=lambda u: tree_key(u.path))  # each kelurahan under its own kecamatan


def request_for_page(pk: int) -> RepairRequest:
    """One request with everything its page shows, in a fixed number of queries."""
    return (
        RepairRequest.objects.select_related(
            "org_unit", "org_unit__parent", "asset", "asset__technical_owner", "envelope", "envelope__org_unit",
            "requester", "requester_position", "last_revised_by", "escalated_to",
        )
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("actor", "position", "rule").order_by("pk")),
            Prefetch("quotes", queryset=Quote.objects.order_by("pk")),
            Prefetch("photos", queryset=Photo.objects.order_by("pk")),
            Prefetch("ledger_entries", queryset=LedgerEntry.objects.select_related("actor").order_by("pk")),
            Prefetch("red_flags", queryset=RedFlag.objects.prefetch_related(
                Prefetch("related_requests", queryset=RepairRequest.objects.select_related("asset", "org_unit"))
            ).order_by("pk")),
        )
        .get(pk=pk)
    )


def may_view_request(user: User, obj: RepairRequest) -> bool:
    return may_see_unit(user, obj.org_unit, owner_id=obj.requester_id)


# --- time spent at each step --------------------------------------------------------------------------------
@dataclass
class StepTime:
    label: str
    started: dt.datetime
    ended: dt.datetime | None
    actor: str = ""
    outcome: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def ongoing(self) -> bool:
        return self.ended is None

    def _end(self) -> dt.datetime:
        return self.ended or timezone.now()

    @property
    def working_hours(self) -> float:
        from workflows.calendar import working_hours_between

        return max(0.0, working_hours_between(self.started, self._end()))

    @property
    def duration_text(self) -> str:
        return working_time_text(self.started, self._end())


def working_time_text(start: dt.datetime, end: dt.datetime) -> str:
    """'3,5 jam kerja' below one office day, else 'N hari kerja (M jam kerja)'; plus calendar time."""
    from workflows.calendar import office_hours, working_hours_between

    hours = max(0.0, working_hours_between(start, end))
    day = office_hours().length.total_seconds() / 3600
    if hours < day:
        text = _("%(h)s jam kerja") % {"h": f"{hours:.1f}".replace(".", ",")}
    else:
        text = _("%(d)s hari kerja") % {"d": f"{hours / day:.1f}".replace(".", ",")}
    calendar = end - start
    if calendar >= dt.timedelta(days=1):
        text += " · " + _("%(n)s hari kalender") % {"n": calendar.days}
    return text


STEP_EVENTS = {
    "repair_request.created", "repair_request.submitted", "repair_request.resubmitted",
    "repair_request.step_approved", "repair_request.approved", "repair_request.returned",
    "repair_request.rejected", "repair_request.cancelled", "repair_request.paid", "repair_request.closed",
    "repair_request.reminded", "repair_request.escalated", "repair_request.spp_submitted",
    "repair_request.verifikasi_refused", "repair_request.spp_verified", "repair_request.spm_refused",
    "repair_request.spm_issued", "repair_request.sp2d_refused",
}


def request_events(obj: RepairRequest) -> list:
    """The request's own audit events (its stream), oldest first. One query."""
    from workflows.models import AuditEvent
    from workflows.services.audit import stream_for

    return list(
        AuditEvent.objects.filter(stream=stream_for(obj), action__in=STEP_EVENTS)
        .only("occurred_at", "action", "actor_name", "capacity", "after", "reason").order_by("seq")
    )


def _step_label(obj: RepairRequest, index: int | None) -> str:
    route = obj.route or []
    if index is not None and 0 <= index < len(route):
        step = route[index]
        return _("Langkah %(n)s: %(who)s") % {"n": index + 1, "who": step.get("position_title") or step.get("position_kind")}
    return _("Penelaahan")


def step_times(obj: RepairRequest, events: list | None = None) -> list[StepTime]:
    """How long the request spent at each step, from its audit trail (drafting, each review step, revision,
    waiting for payment or for the province)."""
    events = request_events(obj) if events is None else events
    out: list[StepTime] = []
    current: StepTime | None = None

    def close(at, ev, outcome=""):
        nonlocal current
        if current is not None:
            current.ended = at
            current.actor = " — ".join(x for x in (ev.actor_name, ev.capacity) if x)
            current.outcome = outcome
            out.append(current)
            current = None

    for ev in events:
        after = ev.after or {}
        at = ev.occurred_at
        action = ev.action.split(".", 1)[1]
        if action == "created":
            current = StepTime(_("Penyusunan draf"), at, None)
        elif action in ("submitted", "resubmitted"):
            close(at, ev, _("Diajukan") if action == "submitted" else _("Diajukan ulang"))
            if after.get("state") == S.FORWARDED_TO_PROVINCE:
                current = StepTime(_("Menunggu tanggapan Provinsi"), at, None)
            else:
                current = StepTime(_step_label(obj, after.get("current_step", 0)), at, None)
        elif action == "step_approved":
            close(at, ev, _("Disetujui (diteruskan)"))
            current = StepTime(_step_label(obj, after.get("current_step")), at, None)
        elif action == "approved":
            close(at, ev, _("Disetujui"))
            current = StepTime(_("Menunggu pembayaran"), at, None)
        elif action == "returned":
            close(at, ev, _("Dikembalikan"))
            current = StepTime(_("Perbaikan oleh pemohon"), at, None)
        elif action == "paid":
            close(at, ev, _("Dibayar"))
            current = StepTime(_("Menunggu penutupan (SPJ)"), at, None)
        elif action in PAYMENT_STEP_TIMES:
            done, waiting = PAYMENT_STEP_TIMES[action]
            close(at, ev, done)
            current = StepTime(waiting, at, None)
        elif action in ("rejected", "cancelled", "closed"):
            close(at, ev, {"rejected": _("Ditolak"), "cancelled": _("Dibatalkan"), "closed": _("Ditutup")}[action])
        elif action in ("reminded", "escalated") and current is not None:
            current.notes.append(
                (_("Pengingat terkirim %(at)s") if action == "reminded" else _("Dieskalasi %(at)s"))
                % {"at": _wib(at)})
    if current is not None:
        out.append(current)
    return out


# Payment acts (``services.payments``): what the step just closed was, and what the request waits for next.
PAYMENT_STEP_TIMES = {
    "spp_submitted": (_lazy("SPP-LS diajukan"), _lazy("Menunggu verifikasi PPK-SKPD")),
    "verifikasi_refused": (_lazy("SPP dikembalikan"), _lazy("Perbaikan SPP oleh bendahara")),
    "spp_verified": (_lazy("SPP terverifikasi"), _lazy("Menunggu SPM (PA/KPA)")),
    "spm_refused": (_lazy("SPM ditolak"), _lazy("Perbaikan SPP oleh bendahara")),
    "spm_issued": (_lazy("SPM ditandatangani"), _lazy("Menunggu SP2D (Kuasa BUD)")),
    "sp2d_refused": (_lazy("SP2D ditolak"), _lazy("Menunggu SPM (PA/KPA)")),
}


def request_age_text(obj: RepairRequest) -> str:
    start = obj.submitted_at or obj.created_at
    end = (obj.closed_at or (obj.decided_at if obj.state == S.REJECTED else None)
           or (obj.updated_at if obj.state == S.CANCELLED else None) or timezone.now())
    return working_time_text(start, end)


# --- documents ----------------------------------------------------------------------------------------------
def request_documents(obj: RepairRequest) -> list:
    """The generated PDFs of a request (newest first per kind), with their electronic signature. One query."""
    from workflows.models import GeneratedDocument

    rows = list(
        GeneratedDocument.objects.filter(content_type=ContentType.objects.get_for_model(RepairRequest),
                                         object_id=str(obj.pk)).defer("html").select_related("signature")
        .order_by("kind", "-pk")
    )
    latest: dict[str, object] = {}
    for row in rows:
        latest.setdefault(row.kind, row)
    return list(latest.values())


# --- envelopes ----------------------------------------------------------------------------------------------
def _with_ancestors_q(user: User, field: str = "org_unit") -> Q:
    """Units in scope plus the kecamatan above a kelurahan (a lurah spends from the kecamatan's envelope)."""
    paths = visible_unit_paths(user)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    q = unit_scope_q(user, field=field)
    for path in paths:
        parts = path.split("/")
        for i in range(2, len(parts)):
            q |= Q(**{f"{field}__path": "/".join(parts[:i])})
    return q


def envelopes_visible(user: User) -> QuerySet[Envelope]:
    return Envelope.objects.filter(_with_ancestors_q(user)).select_related("org_unit")


def envelope_list(user: User, *, year: int | None = None, unit: str = "") -> QuerySet[Envelope]:
    qs = envelopes_visible(user)
    if year:
        qs = qs.filter(fiscal_year=year)
    if unit:
        qs = qs.filter(Q(org_unit__code=unit) | Q(org_unit__path__contains=f"/{unit}/"))
    from workflows.models.org import tree_order

    return qs.order_by("-fiscal_year", *tree_order("org_unit"), "account_code")


def envelope_ledger(envelope: Envelope, limit: int = 500) -> list[LedgerEntry]:
    return list(envelope.entries.select_related("actor", "request").order_by("-pk")[:limit])


def envelopes_for_request_form(unit: OrgUnit, year: int) -> QuerySet[Envelope]:
    """Envelopes a request of ``unit`` may be charged to: the unit's own and its kecamatan's, this year."""
    paths = [unit.path] + ["/".join(unit.path.split("/")[:i]) for i in range(2, len(unit.path.split("/")))]
    return Envelope.objects.filter(org_unit__path__in=paths, fiscal_year=year).select_related("org_unit")


# --- assets -------------------------------------------------------------------------------------------------
def assets_visible(user: User) -> QuerySet[Asset]:
    return Asset.objects.filter(unit_scope_q(user)).select_related("org_unit", "technical_owner")


def may_import_assets(user: User) -> bool:
    if user.is_superuser:
        return True
    return any(a.position.kind in IMPORT_KINDS for a in positions_today(user))


# --- red flags ----------------------------------------------------------------------------------------------
def may_see_all_flags(user: User) -> bool:
    if user.is_superuser:
        return True
    return any(a.position.kind in AUDITOR_KINDS for a in positions_today(user))


def redflag_list(user: User) -> QuerySet[RedFlag]:
    """All flags for the Inspektorat (the caller checks ``may_see_all_flags``), with related requests and the
    justification given by whoever approved the flagged request."""
    return (
        RedFlag.objects.select_related("request", "request__org_unit", "request__asset", "reviewed_by")
        .prefetch_related(
            Prefetch("related_requests", queryset=RepairRequest.objects.select_related("asset").order_by("pk")),
            Prefetch("request__decisions", queryset=Decision.objects.exclude(justification="").select_related("actor")),
        )
        .order_by("-created_at", "-pk")
    )


def is_city_wide(user: User) -> bool:
    return user.is_superuser or any(a.position.kind in CITY_WIDE_KINDS for a in positions_today(user))


def request_summary(obj: RepairRequest) -> str:
    """What a request is about, for inbox entries, notifications and the API:
    "PR/2026/000123 · PC-BBK-01 · Kelurahan Babakan · Rp4.500.000"."""
    from workflows.formatting import rupiah

    return " · ".join([obj.number or _("Draf #%(pk)s") % {"pk": obj.pk}, obj.asset.tag, str(obj.org_unit),
                       rupiah(obj.amount)])
