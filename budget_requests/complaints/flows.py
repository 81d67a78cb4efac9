"""The triage of a complaint as a viewflow flow: who acts next. Graph::

    start (StartHandle, run by complaint_receive)
      └─ triage (RoutedView, addressed to the triage position — the kelurahan's operator or the Diskominfo
                 queue — or to the position it was escalated to; OnTimeout = LAPOR!'s clock → escalate → triage)
           ├─ still in triage (sent to another kelurahan) ─▶ triage
           ├─ accepted (a repair request was raised) ─────▶ end_accepted
           └─ closed with a reason ───────────────────────▶ end_closed

The services (``budget_requests.complaints.services``) do the work and complete the task; the task page only
redirects to the complaint's page. The timer's delay is LAPOR!'s working-day clock for the current escalation
level (``clocks.triage_due``); it is fired by ``workflows.tasks.fire_workflow_timers`` like the repair steps'.
"""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from workflows.nodes import RoutedView

from .models import Complaint, ComplaintProcess, ComplaintState as S

PERMISSION = "workflows.act_for_position_{}"


def complaint_of(activation) -> Complaint:
    """The complaint of the activation's process (cached on the process object; services put the row they have
    just saved there before completing a task)."""
    process = activation.process
    cached = getattr(process, "_complaint", None)
    if cached is None:
        cached = Complaint.objects.select_related("org_unit", "source").get(process_id=process.pk)
        process._complaint = cached
    return cached


def remember(activation, complaint: Complaint) -> None:
    activation.process._complaint = complaint


def triage_permission(activation) -> str | None:
    complaint = complaint_of(activation)
    position_id = complaint.escalated_to_id or complaint.triage_position_id
    return PERMISSION.format(position_id) if position_id else None


def triage_page(request, **kwargs):
    """The triage is done on the complaint's page (forms call the services)."""
    activation = getattr(request, "activation", None)
    if activation is None:
        raise Http404
    return redirect(reverse("complaints:complaint_detail", args=[complaint_of(activation).pk]))


class ComplaintFlow(flow.Flow):
    process_class = ComplaintProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Telaah pengaduan")
    process_description = _("Pengaduan warga dari SIARAN atau SP4N-LAPOR! tentang aset TI publik.")
    process_summary_template = (
        "{% with c=process.complaint %}{{ c.source.name }} {{ c.external_id }} · {{ c.title }}"
        "{% if c.org_unit %} · {{ c.org_unit }}{% endif %}{% endwith %}"
    )
    icon = "campaign"
    scoped_list_url_name = "complaints:complaint_list"

    def document_url(self, task) -> str | None:
        pk = Complaint.objects.filter(process_id=task.process_id).values_list("pk", flat=True).first()
        return reverse("complaints:complaint_detail", args=[pk]) if pk else None

    def has_view_permission(self, user, obj=None) -> bool:
        """Staff acting for a position see the flow; a process only if they may see its complaint."""
        from .policy import may_see_complaints, may_view_complaint

        if not may_see_complaints(user):
            return False
        if obj is None or user.is_superuser:
            return True
        complaint = Complaint.objects.filter(process_id=obj.pk).select_related("org_unit").first()
        return complaint is not None and may_view_complaint(user, complaint)

    start = flow.StartHandle(this.start_process).Annotation(title=_("Pengaduan diterima")).Next(this.triage)

    triage = (
        RoutedView(triage_page)
        .Annotation(title=_("Telaah pengaduan"))
        .Permission(triage_permission)
        .OnTimeout(this.triage_due, this.escalate, title=_("Lewat tenggat SP4N-LAPOR!"))
        .Route(this.triage, this.is_in_triage)
        .Route(this.end_accepted, this.is_accepted)
        .Route(this.end_closed)
    )

    escalate = flow.Function(this.escalate_triage).Annotation(title=_("Pengingat / eskalasi")).Next(this.triage)

    end_accepted = flow.End().Annotation(title=_("Menjadi permohonan perbaikan"))
    end_closed = flow.End().Annotation(title=_("Ditutup dengan alasan"))

    # --- node handlers ---
    def start_process(self, activation, complaint: Complaint):
        activation.process.artifact = complaint
        activation.process.save()
        Complaint.objects.filter(pk=complaint.pk).update(process=activation.process)
        complaint.process = activation.process
        remember(activation, complaint)
        return activation.process

    def triage_due(self, activation):
        from .clocks import triage_due

        complaint = complaint_of(activation)
        return triage_due(received_at=complaint.received_at, level=complaint.escalation_level, now=timezone.now())

    def escalate_triage(self, activation):
        from .services import complaint_escalate

        remember(activation, complaint_escalate(complaint=complaint_of(activation)))

    def is_in_triage(self, activation) -> bool:
        return complaint_of(activation).state == S.TRIAGE

    def is_accepted(self, activation) -> bool:
        return complaint_of(activation).state in (S.ACCEPTED, S.REPAIR_APPROVED, S.REPAIRED)


END_STATES = {
    "end_accepted": {S.ACCEPTED, S.REPAIR_APPROVED, S.REPAIRED, S.CLOSED},
    "end_closed": {S.CLOSED},
}
