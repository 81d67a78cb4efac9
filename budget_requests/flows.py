"""The approval chain of a repair request as a viewflow flow. The flow decides who acts next; the FSM on
``RepairRequest.state`` decides what state the document is in; the services do the work and complete the
tasks (``budget_requests.services.requests``). Graph::

    start (StartHandle, run by request_submit)
      └─ after_submit ─┬─ forwarded_to_province ─────────────────────────────▶ end_forwarded
                       └─ review (RoutedView, addressed to the current step's position;
                                  OnTimeout = the step's response time → escalate → review)
                            ├─ under_review (next step) ──▶ review
                            ├─ approved ──▶ pay (RoutedView, bendahara) ─┬─ paid ─▶ end_paid
                            │                                            └─ cancelled ─▶ end_cancelled
                            ├─ returned ──▶ revise (RoutedView, requester's position)
                            │                 ├─ under_review ─▶ review
                            │                 ├─ forwarded ─▶ end_forwarded
                            │                 └─ cancelled ─▶ end_cancelled
                            ├─ rejected ──▶ end_rejected
                            └─ cancelled ─▶ end_cancelled

A ``RoutedView`` is a human task that picks its successor from the document's state when it completes
(``.Route(node, condition)``, first true wins) — a View followed by a Switch without the Switch's own task
row, which saves about five SQL statements per approval step.

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
from contextlib import contextmanager

from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.base import Edge
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.boundary import TimerBoundary
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.status import STATUS

from workflows.models import PositionKind

from .models import RepairProcess, RepairRequest, RequestState as S

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
        cached = RepairRequest.objects.select_related("org_unit").get(process_id=process.pk)
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


def pay_permission(activation) -> str | None:
    from .services.common import resolve_position_id

    obj = request_of(activation)
    position_id = resolve_position_id(PositionKind.BENDAHARA, obj.org_unit)
    return PERMISSION.format(position_id) if position_id else None


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


class RoutedViewActivation(ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        """``ViewActivation.create`` (same fields, same order of effects) with the task row and its link to the
        previous task written by ``insert_row``: statements built once instead of by the ORM on every step."""
        from workflows.services.audit import insert_row

        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        owner_permission = flow_task.calc_owner_permission(activation)
        if owner_permission:
            task.owner_permission = owner_permission
            task.owner_permission_obj = flow_task.calc_owner_permission_obj(activation)
        owner = flow_task.calc_owner(activation)
        if owner:
            task.owner = owner
            task.status = STATUS.ASSIGNED
        _insert_task(task, prev_activation.task)
        if flow_task._on_create is not None:
            flow_task._on_create(activation)
        return activation

    @Activation.status.super()
    def create_next(self):
        yield self.flow_task.next_node(self)._create(self, self.task.token)


def _insert_task(task, previous) -> None:
    """``task.save(); task.previous.add(previous)`` for a new task row, through ``insert_row`` (what
    ``Task.save`` adds — the node's task type — is set here)."""
    from workflows.services.audit import insert_row

    if task.flow_task and not task.flow_task_type:
        task.flow_task_type = task.flow_task.task_type
    insert_row(task)
    insert_row(type(task).previous.through(from_task_id=task.pk, to_task_id=previous.pk))


class ProcessRowLock(lock.SelectForUpdateLock):
    """viewflow's ``select_for_update_lock`` (the process row ``FOR UPDATE NOWAIT``, retried with the same
    back-off, then ``FlowLockFailed``) with its statement written once instead of built by the ORM on every
    task: the lock is taken on every decision, and building ``….select_for_update(nowait=True).exists()``
    costs more than running it."""

    @contextmanager
    def __call__(self, flow_class, process_pk):
        import random
        import time

        from django.db import DatabaseError, connection, transaction
        from viewflow.workflow.exceptions import FlowLockFailed

        opts = flow_class.process_class._meta
        sql = f"SELECT 1 FROM {opts.db_table} WHERE {opts.pk.column} = %s"
        if connection.features.has_select_for_update:
            sql += " FOR UPDATE"
            if self.nowait and connection.features.has_select_for_update_nowait:
                sql += " NOWAIT"
        for i in range(self.attempts):
            with transaction.atomic():
                try:
                    with connection.cursor() as cursor:
                        cursor.execute(sql, [process_pk])
                except DatabaseError:
                    if i != self.attempts - 1:
                        time.sleep((((i + 1) * random.random()) + 2**i) / 2.5)
                    else:
                        raise FlowLockFailed("Lock failed for {}".format(flow_class))
                else:
                    yield
                    break


class ResponseTimer(TimerBoundary):
    """viewflow's timer boundary with the same behaviour in fewer SQL statements.

    * Arming (a review task is created): the stock node inserts the timer row, links it, then computes the due
      moment and updates the row in a savepoint (five statements). Here the due moment is computed first and
      the row is inserted already scheduled (two statements). A failing due-moment callable still rolls the
      whole step back, as before.
    * Disarming (the review task is completed or cancelled): the stock node selects the armed timers, loads
      each one's process and saves each one ``CANCELED`` (three statements for one timer); here one
      ``UPDATE`` does the same (status ``CANCELED``, ``finished`` set; ``TimerActivation.cancel`` does nothing
      else: no signal, no other field).
    """

    def _arm(self, host_activation):
        from django.utils.timezone import now as _now

        flow_class = self.flow_class
        task = flow_class.task_class(process=host_activation.process, flow_task=self,
                                     token=host_activation.task.token)
        task.data = {}
        activation = self.activation_class(task)
        delay = self._delay(activation) if callable(self._delay) else self._delay
        if isinstance(delay, dt.timedelta):
            delay = _now() + delay
        if not isinstance(delay, dt.datetime):
            raise ValueError(f"Timer delay must be a timedelta or datetime, got {delay!r}")
        task.scheduled = delay
        task.status = STATUS.SCHEDULED
        _insert_task(task, host_activation.task)

    def _on_host_finished(self, **signal_kwargs):
        from django.utils.timezone import now as _now

        from django.db import connection

        host_task = signal_kwargs["task"]
        if host_task.flow_task != self._attached_to:
            return
        # Plain SQL (the ORM's UPDATE … IN (subquery over the M2M) costs more to build than to run), same rows
        # as the stock filter: this node's armed timers of the process whose previous task is the host.
        task_model = self.flow_class.task_class
        through = task_model._meta.get_field("previous").remote_field.through._meta
        flow_task_ref = task_model._meta.get_field("flow_task").get_prep_value(self)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {task_model._meta.db_table} SET status = %s, finished = %s "
                f"WHERE flow_task = %s AND process_id = %s AND status IN (%s, %s) AND id IN ("
                f"SELECT from_task_id FROM {through.db_table} WHERE to_task_id = %s)",
                [STATUS.CANCELED, _now(), flow_task_ref, host_task.process_id, STATUS.NEW, STATUS.SCHEDULED,
                 host_task.pk],
            )


class RoutedView(flow.View):
    """A human task that chooses its successor from the document's state when it completes.

    The same as ``View().Next(Switch().Case(...))``, without the gateway's own task row: one approval step
    writes about five SQL statements fewer. ``.Route(node, cond)`` in order; the first true condition wins,
    a route without a condition is the default.
    """

    activation_class = RoutedViewActivation

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._routes: list = []

    def OnTimeout(self, delay, then, interrupting: bool = True, title=None) -> "RoutedView":
        """The stock ``OnTimeout`` with the leaner ``ResponseTimer`` node."""
        boundary = ResponseTimer(None, delay=delay, interrupting=interrupting).Next(then)
        if title is not None:
            boundary.Annotation(title=title)
        self._boundary_specs.append(("timeout", boundary))
        return self

    def Route(self, node, cond=None) -> "RoutedView":
        self._routes.append((node, cond))
        return self

    def _resolve(self, instance):
        super()._resolve(instance)
        self._routes = [(this.resolve(instance, node), this.resolve(instance, cond)) for node, cond in self._routes]

    def _outgoing(self):
        yield from super()._outgoing()
        for node, cond in self._routes:
            yield Edge(src=self, dst=node, edge_class="cond_true" if cond else "default")

    def next_node(self, activation):
        for node, cond in self._routes:
            if cond is None or cond(activation):
                return node
        raise FlowRuntimeError(f"No next task available for {self.name}")


def _state_is(*states):
    def check(self, activation) -> bool:
        return request_of(activation).state in states

    return check


class RepairFlow(flow.Flow):
    process_class = RepairProcess
    lock_impl = ProcessRowLock()  # = lock.select_for_update_lock, leaner
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
        .Route(this.pay, this.is_approved)
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

    pay = (
        RoutedView(task_page)
        .Annotation(title=_("Catat pembayaran (SPP/SPM/SP2D)"))
        .Permission(pay_permission)
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


# Which End node matches which document states (a test walks every path and checks this).
END_STATES = {
    "end_paid": {S.PAID, S.CLOSED},
    "end_rejected": {S.REJECTED},
    "end_cancelled": {S.CANCELLED},
    "end_forwarded": {S.FORWARDED_TO_PROVINCE, S.CLOSED},
}
