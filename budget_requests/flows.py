"""The approval chain of a repair request as a viewflow flow. The flow decides who acts next; the FSM on
``RepairRequest.state`` decides what state the document is in; the services do the work and complete the
tasks (``budget_requests.services.requests``). Graph::

    start (StartHandle, run by request_submit)
      └─ after_submit ─┬─ forwarded_to_province ─────────────────────────────▶ end_forwarded
                       └─ review (RoutedView, addressed to the current step's position;
                                  OnTimeout = the step's response time → escalate → review)
                            ├─ under_review (next step) ──▶ review
                            ├─ approved, LS ──▶ spp (bendahara/PPTK) ─┬─ submitted ─▶ verify (PPK-SKPD)
                            │                                         └─ cancelled ─▶ end_cancelled
                            │     verify ─┬─ verified ─▶ spm (PA/KPA) ─┬─ signed ─▶ sp2d (Kuasa BUD)
                            │             └─ refused ─▶ spp            └─ refused ─▶ spp
                            │     sp2d ─┬─ issued (paid) ─▶ end_paid
                            │           └─ refused ─▶ spm
                            ├─ approved, UP ──▶ up_spend (bendahara) ─┬─ paid ─▶ end_paid
                            │                                         └─ cancelled ─▶ end_cancelled
                            ├─ returned ──▶ revise (RoutedView, requester's position)
                            │                 ├─ under_review ─▶ review
                            │                 ├─ forwarded ─▶ end_forwarded
                            │                 └─ cancelled ─▶ end_cancelled
                            ├─ rejected ──▶ end_rejected
                            └─ cancelled ─▶ end_cancelled

A ``RoutedView`` (``workflows.nodes``) is viewflow's human task that picks its successor from the document's
state when it completes (``.Route(node, condition)``, first true wins) — a View followed by a Switch without
the Switch's own task row; its ``OnTimeout`` is viewflow's timer boundary disarmed in one statement. The lock
is viewflow's ``select_for_update_lock``.

The route is dynamic (1–3 steps), so there is one ``review`` node that loops while the request stays
``under_review``; its task is addressed to ``route[current_step]``'s position, or to the position the step
was escalated to. The timer on ``review`` takes its delay per task from the step's response time
(``.OnTimeout`` accepts a callable), is interrupting (the overdue task is cancelled) and leads to
``escalate``, which calls ``request_escalate`` and re-creates the review task (first a reminder to the same
position, then the next level). Timers are fired by ``workflows.tasks.fire_workflow_timers`` (Celery beat).

The task views only redirect to the request's page, where the web forms call the services.
"""
from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from workflows.nodes import RoutedView

from .models import PaymentRoute, RepairProcess, RepairRequest, RequestState as S

PERMISSION = "workflows.act_for_position_{}"


def request_of(activation) -> RepairRequest:
    """The document of the activation's process.

    The services put the row they have just locked and saved on ``process._repair_request`` before they
    complete a task, so the gateways and permission callables of that chain read it without a query; anything
    else (a web GET of a task page, the timer dispatcher) reads it fresh once per process object.
    """
    process = activation.process
    cached = getattr(process, "_repair_request", None)
    if cached is None:
        cached = RepairRequest.objects.select_related("org_unit", "envelope__org_unit").get(process_id=process.pk)
        process._repair_request = cached
    return cached


def remember(activation, obj: RepairRequest) -> None:
    """Tell the chain about to run which (saved, up-to-date) document it works on."""
    activation.process._repair_request = obj


def review_permission(activation) -> str | None:
    obj = request_of(activation)
    if obj.escalated_to_id:
        return PERMISSION.format(obj.escalated_to_id)
    step = obj.current_route_step or {}
    return PERMISSION.format(step["position_id"]) if step.get("position_id") else None


def revise_permission(activation) -> str | None:
    obj = request_of(activation)
    return PERMISSION.format(obj.requester_position_id) if obj.requester_position_id else None


def _payment_permission(step: str):
    def permission(activation) -> str | None:
        from .policy import payment_position_ids

        ids = payment_position_ids(request_of(activation), step, addressed_only=True)
        return PERMISSION.format(ids[0]) if ids else None

    permission.__name__ = f"{step}_permission"
    return permission


def task_page(request, **kwargs):
    """Every human task is done on the request's own page (forms call the services)."""
    activation = getattr(request, "activation", None)
    if activation is None:
        raise Http404
    obj = request_of(activation)
    try:
        return redirect(reverse("budget_requests:request_detail", args=[obj.pk]))
    except NoReverseMatch:
        raise Http404


def _state_is(*states):
    def check(self, activation) -> bool:
        return request_of(activation).state in states

    return check


class RepairFlow(flow.Flow):
    process_class = RepairProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Permohonan perbaikan TI")
    process_description = _("Persetujuan biaya perbaikan perangkat TI sesuai matriks pelimpahan wewenang.")
    # What an inbox entry is about: number, asset, unit and amount.
    process_summary_template = (
        "{% load humanize %}{% with r=process.repair_request %}{{ r.number|default:'Draf' }} · {{ r.asset.tag }} · "
        "{{ r.org_unit }} · Rp{{ r.amount|intcomma }}{% endwith %}"
    )
    icon = "build"
    # Unit-scoped users see the scoped request list instead of viewflow's flow-wide lists (workflows.site).
    scoped_list_url_name = "budget_requests:request_list"

    def document_url(self, task) -> str | None:
        """The request's page, where the decision forms are (``workflows.site.task_document_url``)."""
        pk = RepairRequest.objects.filter(process_id=task.process_id).values_list("pk", flat=True).first()
        return reverse("budget_requests:request_detail", args=[pk]) if pk else None

    def has_view_permission(self, user, obj=None) -> bool:
        """Staff who act for a position today see the flow; a process only if its unit is in their scope."""
        from workflows.policy import visible_unit_paths

        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        paths = visible_unit_paths(user)
        if paths is None:
            return True
        if not paths:
            return False
        if obj is None:
            return True
        unit_path = (
            RepairRequest.objects.filter(process_id=obj.pk).values_list("org_unit__path", flat=True).first() or ""
        )
        return any(unit_path == p or unit_path.startswith(p + "/") for p in paths)

    start = flow.StartHandle(this.start_process).Annotation(title=_("Diajukan")).Next(this.after_submit)

    after_submit = (
        flow.Switch()
        .Annotation(title=_("Penentuan rute"))
        .Case(this.end_forwarded, this.is_forwarded)
        .Default(this.review)
    )

    review = (
        RoutedView(task_page)
        .Annotation(title=_("Telaah dan putuskan"))
        .Permission(review_permission)
        .OnTimeout(this.review_due, this.escalate, title=_("Lewat waktu tanggap"))
        .Route(this.review, this.is_under_review)  # the next step of the route
        .Route(this.spp, this.is_approved_ls)
        .Route(this.up_spend, this.is_approved_up)
        .Route(this.revise, this.is_returned)
        .Route(this.end_rejected, this.is_rejected)
        .Route(this.end_cancelled)
    )

    escalate = flow.Function(this.escalate_step).Annotation(title=_("Pengingat / eskalasi")).Next(this.review)

    revise = (
        RoutedView(task_page)
        .Annotation(title=_("Perbaiki dan ajukan ulang"))
        .Permission(revise_permission)
        .Assign(this.revise_owner)
        .Route(this.review, this.is_under_review)
        .Route(this.end_forwarded, this.is_forwarded)
        .Route(this.end_cancelled)
    )

    # LS: SPP (bendahara/PPTK) → verification (PPK-SKPD) → SPM (PA/KPA) → SP2D (Kuasa BUD); a refusal goes
    # back one document with its reason.
    spp = (
        RoutedView(task_page)
        .Annotation(title=_("Siapkan SPP-LS"))
        .Permission(_payment_permission("spp"))
        .Route(this.verify, this.is_spp_submitted)
        .Route(this.end_cancelled)
    )

    verify = (
        RoutedView(task_page)
        .Annotation(title=_("Verifikasi SPP (PPK-SKPD)"))
        .Permission(_payment_permission("verify"))
        .Route(this.spm, this.is_spp_verified)
        .Route(this.spp)  # refused: back to the SPP
    )

    spm = (
        RoutedView(task_page)
        .Annotation(title=_("Tanda tangani SPM (PA/KPA)"))
        .Permission(_payment_permission("spm"))
        .Route(this.sp2d, this.is_spm_issued)
        .Route(this.spp)  # refused: back to the SPP
    )

    sp2d = (
        RoutedView(task_page)
        .Annotation(title=_("Terbitkan SP2D (Kuasa BUD)"))
        .Permission(_payment_permission("sp2d"))
        .Route(this.end_paid, this.is_paid)
        .Route(this.spm)  # refused: back to the PA/KPA
    )

    # UP: paid from the bendahara's UP cash against its evidence; accounted in the SPJ, replenished by GU.
    up_spend = (
        RoutedView(task_page)
        .Annotation(title=_("Bayar dari UP dengan bukti"))
        .Permission(_payment_permission("up_spend"))
        .Route(this.end_paid, this.is_paid)
        .Route(this.end_cancelled)
    )

    end_paid = flow.End().Annotation(title=_("Dibayar"))
    end_rejected = flow.End().Annotation(title=_("Ditolak"))
    end_cancelled = flow.End().Annotation(title=_("Dibatalkan"))
    end_forwarded = flow.End().Annotation(title=_("Diteruskan ke Provinsi"))

    # --- node handlers ---
    def start_process(self, activation, request_obj: RepairRequest):
        activation.process.artifact = request_obj
        activation.process.save()
        RepairRequest.objects.filter(pk=request_obj.pk).update(process=activation.process)
        request_obj.process = activation.process
        remember(activation, request_obj)
        return activation.process

    def review_due(self, activation):
        from .services.common import step_due

        obj = request_of(activation)
        step = obj.current_route_step or {}
        return step_due(obj.step_started_at or timezone.now(), int(step.get("response_time_value") or 1),
                        step.get("response_time_unit") or "working_days")

    def escalate_step(self, activation):
        from .services.requests import request_escalate

        remember(activation, request_escalate(request_obj=request_of(activation)))

    def revise_owner(self, activation):
        obj = request_of(activation)
        return None if obj.requester_position_id else obj.requester

    is_forwarded = _state_is(S.FORWARDED_TO_PROVINCE)
    is_under_review = _state_is(S.UNDER_REVIEW)
    is_approved = _state_is(S.APPROVED)
    is_returned = _state_is(S.RETURNED)
    is_rejected = _state_is(S.REJECTED)
    is_paid = _state_is(S.PAID, S.CLOSED)
    is_spp_submitted = _state_is(S.SPP_SUBMITTED)
    is_spp_verified = _state_is(S.SPP_VERIFIED)
    is_spm_issued = _state_is(S.SPM_ISSUED)

    def is_approved_ls(self, activation) -> bool:
        obj = request_of(activation)
        return obj.state == S.APPROVED and obj.payment_route == PaymentRoute.LS

    def is_approved_up(self, activation) -> bool:
        obj = request_of(activation)
        return obj.state == S.APPROVED and obj.payment_route != PaymentRoute.LS


# Which End node matches which document states (a test walks every path and checks this).
END_STATES = {
    "end_paid": {S.PAID, S.CLOSED},
    "end_rejected": {S.REJECTED},
    "end_cancelled": {S.CANCELLED},
    "end_forwarded": {S.FORWARDED_TO_PROVINCE, S.CLOSED},
}
