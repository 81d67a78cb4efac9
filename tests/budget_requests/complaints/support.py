"""Builders for the complaint tests."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone


def receive(source, **overrides):
    """A complaint received from ``source`` through the service (the API's checks are tested on their own)."""
    from budget_requests.complaints.services import complaint_receive

    data = {"external_id": "SRN-1", "title": "CCTV mati", "description": "Layar gelap sejak Senin.",
            "category": "cctv", "reported_at": timezone.now() - dt.timedelta(hours=1), "location": ""}
    data.update(overrides)
    complaint, _ = complaint_receive(source=source, data=data, payload={"external_id": data["external_id"]})
    return fresh(complaint)


def fresh(complaint):
    from budget_requests.complaints.models import Complaint

    return Complaint.objects.select_related("source", "org_unit", "asset", "triage_position", "escalated_to",
                                            "repair_request").get(pk=complaint.pk)


def open_tasks(complaint):
    from viewflow.workflow.models import Task

    return list(Task.objects.filter(process_id=complaint.process_id, status__in=("NEW", "ASSIGNED", "STARTED",
                                                                                    "SCHEDULED")).order_by("pk"))


def ended_at(complaint) -> list[str]:
    from viewflow.workflow.models import Task

    return [t.flow_task.name for t in Task.objects.filter(process_id=complaint.process_id, flow_task_type="END",
                                                          status="DONE")]


def to_repair(w, complaint, *, actor=None, amount=3_000_000, asset=None, submit=True):
    from budget_requests.complaints.services import complaint_to_repair

    return complaint_to_repair(
        complaint=complaint, actor=actor or w.operator_babakan, org_unit=complaint.org_unit,
        asset=asset or complaint.asset, category="cctv", problem=complaint.description, amount=amount,
        envelope=w.env_setu, urgency="normal", payment_route="UP",
        quotes=[{"vendor_name": "CV Kamera Jaya", "amount": amount}], submit=submit)
