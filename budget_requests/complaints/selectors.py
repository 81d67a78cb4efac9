"""Reads of complaints and of the outbox, scoped to what the user may see, in a fixed number of queries."""
from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet

from workflows import calendar
from workflows.acting import positions_today
from workflows.models import OrgUnit, OrgUnitKind, User
from workflows.policy import unit_scope_q, visible_unit_paths

from ..finance.selectors import weighted_median
from .models import Complaint, ComplaintState, ComplaintUpdate, DeliveryStatus

S = ComplaintState


def _scope_q(user: User, prefix: str = "") -> Q:
    """Complaints of the units the user sees, plus those addressed to a position they act for."""
    if user.is_superuser or visible_unit_paths(user) is None:
        return Q()
    position_ids = [a.position.pk for a in positions_today(user)]
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


# --- public figures -----------------------------------------------------------------------------------------
@dataclass
class ComplaintRepairRow:
    """Complaints reported in a year for one kecamatan: how many were repaired and how long that took."""

    kecamatan: str
    received: int = 0
    repaired: int = 0
    closed: int = 0
    days: dict[int, int] = field(default_factory=dict)

    @property
    def open(self) -> int:
        return self.received - self.repaired - self.closed

    @property
    def median_days(self) -> Decimal | None:
        return weighted_median(self.days)


def public_repair_times(year: int) -> list[ComplaintRepairRow]:
    """Per kecamatan, the working days from a resident's complaint (as the source reported it) to the repair,
    for complaints reported in ``year``: aggregates only, for the public transparency page. Two queries; the
    second reads one short row per complaint of that year."""
    kecamatan = list(OrgUnit.objects.filter(kind=OrgUnitKind.KECAMATAN, is_active=True).order_by("name")
                     .values_list("path", "name"))
    rows = {path: ComplaintRepairRow(name) for path, name in kecamatan}
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    complaints = (Complaint.objects.filter(org_unit__isnull=False, reported_at__gte=start,
                                           reported_at__lt=start.replace(year=year + 1))
                  .values_list("org_unit__path", "state", "reported_at", "repaired_at"))
    for path, state, reported_at, repaired_at in complaints:
        row = next((rows[k] for k in rows if path == k or path.startswith(k + "/")), None)
        if row is None:
            continue
        row.received += 1
        if state == S.CLOSED:
            row.closed += 1
        elif repaired_at is not None:
            row.repaired += 1
            days = calendar.working_days_between(reported_at.astimezone(tz), repaired_at.astimezone(tz))
            row.days[days] = row.days.get(days, 0) + 1
    return list(rows.values())
