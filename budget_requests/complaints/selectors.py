"""Reads of complaints and of the outbox, scoped to what the user may see, in a fixed number of queries."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from workflows.acting import positions_for
from workflows.models import User
from workflows.policy import unit_scope_q, visible_unit_paths

from .models import Complaint, ComplaintUpdate, DeliveryStatus


def _scope_q(user: User, prefix: str = "") -> Q:
    """Complaints of the units the user sees, plus those addressed to a position they act for."""
    if user.is_superuser or visible_unit_paths(user) is None:
        return Q()
    position_ids = [a.position.pk for a in positions_for(user)]
    return (unit_scope_q(user, f"{prefix}org_unit") & Q(**{f"{prefix}org_unit__isnull": False})) | \
        Q(**{f"{prefix}triage_position_id__in": position_ids}) | Q(**{f"{prefix}escalated_to_id__in": position_ids})


def complaints_visible(user: User) -> QuerySet[Complaint]:
    return (Complaint.objects.filter(_scope_q(user))
            .select_related("source", "org_unit", "asset", "triage_position", "escalated_to", "repair_request"))


def complaint_list(user: User, *, state: str = "", q: str = "") -> QuerySet[Complaint]:
    qs = complaints_visible(user)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(external_id__icontains=q) | Q(title__icontains=q) | Q(location_text__icontains=q))
    return qs.order_by("-received_at", "-pk")


def complaint_for_page(user: User, pk: int) -> Complaint | None:
    return complaints_visible(user).filter(pk=pk).first()


def complaint_updates(complaint: Complaint) -> list[ComplaintUpdate]:
    return list(complaint.updates.order_by("pk"))


def outbox_list(user: User, *, status: str = "undelivered") -> QuerySet[ComplaintUpdate]:
    """Status updates of the complaints the user sees; by default those not yet delivered."""
    qs = ComplaintUpdate.objects.filter(_scope_q(user, "complaint__")).select_related(
        "complaint__source", "complaint__org_unit")
    if status == "undelivered":
        qs = qs.exclude(status=DeliveryStatus.DELIVERED)
    elif status in DeliveryStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-pk")
