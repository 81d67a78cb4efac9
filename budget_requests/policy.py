"""Who may do what to a repair request, composed from ``workflows.policy``.

Every check raises ``workflows.policy.Denied(code, message)`` with an Indonesian message. The services call
these inside their transaction (after locking the request); a refused decision is then recorded as an audit
event ``repair_request.denied`` in its own transaction by the service.

Rules (DOMAIN.md §2, §6):
* deciding a step: the user acts today for the step's position (or, after an escalation, for the position the
  step was escalated to); a lurah/camat only within their unit; four-eyes (not the requester nor the last
  reviser); a Plh/Plt only if the step's rule allows acting officials, and when the step decides, only up to
  ``acting_share_pct`` of the limit; a deciding step under a rule with a monthly cap per unit only while the
  unit's approvals of the month under that position kind stay within the cap;
* raising/editing/cancelling: the user acts for a position whose unit covers the request's unit;
* paying: each step by the position that acts in it for the DPA holding the envelope (``authorize_payment_step``):
  the bendahara or PPTK prepares the SPP, the PPK-SKPD verifies, the PA/KPA signs the SPM, the Kuasa BUD issues
  the SP2D; a spend from UP by the bendahara.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.acting import Acting, acting_for, local_date, positions_today
from workflows.models import Capacity, OrgUnit, OrgUnitKind, Position, PositionKind, User
from workflows.policy import Denied, require_acting, require_four_eyes, require_in_unit

from .errors import RequestError
from .models import Decision, DecisionOutcome, RepairRequest, RequestState
from .routing import ROLE_DECIDE
from .money import rupiah


@dataclass(frozen=True)
class StepAuthority:
    """Why a user may decide the current step: in which capacity, for which position, under which rule."""

    acting: Acting
    step: dict
    rule_id: int | None
    escalated: bool

    @property
    def capacity_label(self) -> str:
        return self.acting.capacity_label


def step_position_ids(request_obj: RepairRequest) -> list[int]:
    """Positions that may decide the current step: the step's own, and the escalation target if any."""
    step = request_obj.current_route_step or {}
    ids = [step["position_id"]] if step.get("position_id") else []
    if request_obj.escalated_to_id and request_obj.escalated_to_id not in ids:
        ids.append(request_obj.escalated_to_id)
    return ids


def month_bounds(at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Start and end (exclusive) of the WIB calendar month containing ``at``, as aware datetimes."""
    day = local_date(at)
    start = dt.date(day.year, day.month, 1)
    end = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(start, dt.time.min, tzinfo=tz), dt.datetime.combine(end, dt.time.min, tzinfo=tz)


def monthly_used(*, unit: OrgUnit, position_kind: str, at: dt.datetime, exclude_request_id: int | None = None) -> int:
    """Rupiah finally approved this month for ``unit`` under ``position_kind``'s rule (cancelled requests
    excluded; a step escalated to the next level still counts against the rule that decided it)."""
    start, end = month_bounds(at)
    qs = Decision.objects.filter(
        is_final=True, outcome=DecisionOutcome.APPROVE, request__org_unit=unit, rule__position_kind=position_kind,
        created_at__gte=start, created_at__lt=end,
    ).exclude(request__state=RequestState.CANCELLED)
    if exclude_request_id:
        qs = qs.exclude(request_id=exclude_request_id)
    return qs.aggregate(total=Sum("amount"))["total"] or 0


def authorize_step(*, user: User, request_obj: RepairRequest, outcome: str, at: dt.datetime | None = None) -> StepAuthority:
    """May ``user`` take ``outcome`` (approve/return/reject) on the request's current step now?"""
    at = at or timezone.now()
    if request_obj.state != RequestState.UNDER_REVIEW:
        raise RequestError("wrong_state", _("Permohonan ini tidak sedang menunggu keputusan (status: %(state)s).")
                           % {"state": request_obj.get_state_display()})
    step = request_obj.current_route_step
    if step is None:
        raise RequestError("wrong_state", _("Rute persetujuan permohonan ini tidak lengkap."))
    allowed = step_position_ids(request_obj)
    acting = _acting_among(user, allowed, at)
    if acting is None:
        position = Position.objects.filter(pk=step.get("position_id")).first()
        if position is None:
            raise Denied("not_acting_for_position", _("Jabatan untuk langkah ini tidak ditemukan."))
        require_acting(user, position, at)  # raises with the position's title
        raise Denied("not_acting_for_position", _("Anda tidak bertindak untuk langkah ini."))  # pragma: no cover
    require_in_unit(acting, request_obj.org_unit)
    require_four_eyes(user, [uid for uid in (request_obj.requester_id, request_obj.last_revised_by_id) if uid])
    escalated = acting.position.pk != step.get("position_id")
    if outcome == DecisionOutcome.APPROVE and acting.capacity != Capacity.DEFINITIF:
        if not step.get("acting_allowed"):
            raise Denied("acting_not_allowed", _("%(label)s tidak berwenang memutus langkah ini: aturan pelimpahan "
                                                  "tidak mengizinkan Plh/Plt.") % {"label": acting.capacity_label})
        if step.get("role") == ROLE_DECIDE:
            limit = step["max_single_amount"] * step.get("acting_share_pct", 100) // 100
            if request_obj.amount > limit:
                raise Denied("acting_share_exceeded", _(
                    "%(label)s hanya boleh menyetujui sampai Rp%(limit)s (%(pct)s%% dari batas Rp%(max)s); "
                    "permohonan ini Rp%(amount)s.") % {
                    "label": acting.capacity_label, "limit": rupiah(limit), "pct": step.get("acting_share_pct", 100),
                    "max": rupiah(step["max_single_amount"]), "amount": rupiah(request_obj.amount)})
    if outcome == DecisionOutcome.APPROVE and step.get("role") == ROLE_DECIDE and step.get("monthly_cap_per_unit"):
        used = monthly_used(unit=request_obj.org_unit, position_kind=step["position_kind"], at=at,
                            exclude_request_id=request_obj.pk)
        if used + request_obj.amount > step["monthly_cap_per_unit"]:
            raise Denied("monthly_cap_exceeded", _(
                "Batas kumulatif bulanan Rp%(cap)s untuk %(unit)s terlampaui (sudah disetujui Rp%(used)s bulan ini). "
                "Kembalikan permohonan agar diajukan ulang ke tingkat berikutnya.") % {
                "cap": rupiah(step["monthly_cap_per_unit"]), "unit": request_obj.org_unit, "used": rupiah(used)})
    return StepAuthority(acting=acting, step=step, rule_id=step.get("rule_id"), escalated=escalated)


def _acting_among(user: User, position_ids: list[int], at: dt.datetime) -> Acting | None:
    """``user``'s capacity for the first of ``position_ids`` they act for at ``at`` — the precedence of
    ``workflows.acting`` (Plh > Plt > definitif), read from the user's positions of that day, which the request
    has usually loaded already for its scope check (``positions_today``)."""
    mine = {acting.position.pk: acting for acting in positions_today(user, at)}
    return next((mine[pk] for pk in position_ids if pk in mine), None)


def authorize_in_unit(*, user: User, unit: OrgUnit, at: dt.datetime | None = None,
                      kinds: frozenset[str] | None = None, local_only: bool = True) -> Acting:
    """The position in which ``user`` acts for ``unit`` (raising, editing, cancelling, closing; paying with
    ``kinds``). With ``local_only`` only positions of a kecamatan or kelurahan on the unit's chain count: city
    offices (BPKAD, Diskominfo, the Inspektorat's auditors) do not raise or cancel a unit's requests."""
    best: Acting | None = None
    for acting in positions_today(user, at):
        if kinds is not None and acting.position.kind not in kinds:
            continue
        if local_only and acting.position.org_unit.kind not in (OrgUnitKind.KECAMATAN, OrgUnitKind.KELURAHAN):
            continue
        try:
            require_in_unit(acting, unit)
        except Denied:
            continue
        # Prefer the position of the unit itself over a position higher up.
        if best is None or acting.position.org_unit.depth > best.position.org_unit.depth:
            best = acting
    if best is None:
        raise Denied("outside_unit", _("Anda tidak menjabat di %(unit)s atau unit di atasnya.") % {"unit": unit})
    return best


# Who acts in each payment step, for the DPA the envelope belongs to (DOMAIN.md §6).
PA_KINDS = (PositionKind.CAMAT, PositionKind.LURAH, PositionKind.KEPALA_DISKOMINFO, PositionKind.KEPALA_BPKAD)
PAYMENT_STEP_KINDS = {
    "spp": (PositionKind.BENDAHARA, PositionKind.PPTK),  # addressed to the bendahara; the PPTK may prepare it
    "verify": (PositionKind.PPK_SKPD,),
    "spm": PA_KINDS,
    "sp2d": (PositionKind.KUASA_BUD,),
    "up_spend": (PositionKind.BENDAHARA,),
}
PAYMENT_STEP_LABELS = {
    "spp": _("Bendahara Pengeluaran atau PPTK"), "verify": _("PPK-SKPD"), "spm": _("PA/KPA"),
    "sp2d": _("Kuasa BUD"), "up_spend": _("Bendahara Pengeluaran"),
}


def payment_step_waiting(request_obj: RepairRequest) -> str | None:
    """The payment step the request waits for (``spp``, ``verify``, ``spm``, ``sp2d``, ``up_spend``), or None."""
    from .models import PaymentRoute

    S = RequestState
    if request_obj.payment_route == PaymentRoute.LS:
        return {S.APPROVED: "spp", S.SPP_SUBMITTED: "verify", S.SPP_VERIFIED: "spm",
                S.SPM_ISSUED: "sp2d"}.get(request_obj.state)
    return "up_spend" if request_obj.state == S.APPROVED else None


def payment_position_ids(request_obj: RepairRequest, step: str, *, addressed_only: bool = False) -> list[int]:
    """The positions that act in payment ``step`` of the request, the one the task is addressed to first.

    Resolved from the unit whose DPA holds the envelope: its bendahara, PPTK and PPK-SKPD (the nearest up the
    unit's chain), its PA/KPA (the head of that very unit: camat, lurah as KPA, or the head of a city office),
    and the city's Kuasa BUD. ``addressed_only``: just the first (one query)."""
    from .services.common import resolve_position_id

    unit = request_obj.envelope.org_unit
    if step == "spm":
        return list(Position.objects.filter(org_unit=unit, kind__in=PA_KINDS, is_active=True)
                    .order_by("pk").values_list("pk", flat=True)[:1])
    kinds = PAYMENT_STEP_KINDS[step][:1] if addressed_only else PAYMENT_STEP_KINDS[step]
    return [pk for pk in (resolve_position_id(kind, unit) for kind in kinds) if pk is not None]


def authorize_payment_step(*, user: User, request_obj: RepairRequest, step: str, at: dt.datetime | None = None) -> Acting:
    """The capacity in which ``user`` acts in payment ``step`` of the request (definitif, Plh or Plt of the
    step's position today), or ``Denied("not_payer")``."""
    acting = _acting_among(user, payment_position_ids(request_obj, step), at or timezone.now())
    if acting is None:
        raise Denied("not_payer", _("Langkah pembayaran ini dilakukan oleh %(who)s pemegang DPA pagu ini.")
                     % {"who": PAYMENT_STEP_LABELS[step]})
    return acting


def acting_in_unit_or_none(user: User, unit: OrgUnit) -> Acting | None:
    try:
        return authorize_in_unit(user=user, unit=unit)
    except Denied:
        return None


__all__ = [
    "Denied", "StepAuthority", "authorize_step", "authorize_in_unit", "authorize_payment_step", "monthly_used",
    "step_position_ids", "acting_for",
]


AUDITOR_KINDS = frozenset({PositionKind.INSPEKTUR, PositionKind.AUDITOR})


def authorize_flag_review(*, user: User, at: dt.datetime | None = None) -> Acting:
    """The Inspektorat (Inspektur or an auditor, definitive or acting) reviews red flags."""
    for acting in positions_today(user, at or timezone.now()):
        if acting.position.kind in AUDITOR_KINDS:
            return acting
    raise Denied("not_auditor", _("Hanya Inspektorat yang dapat menelaah tanda merah."))

