"""The monthly finance report (PDF) of a kecamatan or of the whole city.

``monthly_report_request`` finds or creates the ``MonthlyReport`` row and asks
``workflows.services.documents.document_request`` for its PDF; the HTML comes from ``render_monthly_report``
(the same selectors as the dashboard, for a city-wide viewer restricted to the report's unit) and WeasyPrint
renders it in the Celery task. ``can_view`` is the download hook: a city-wide finance viewer sees every
report (the city's included); a camat or lurah only reports of units inside their own scope.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.acting import who_acts_for
from workflows.models import Capacity, OrgUnitKind, Position, PositionKind, User
from workflows.policy import Denied, visible_unit_paths
from workflows.selectors import audit_seal_list
from workflows.services.audit import audit_record
from workflows.services.documents import document_request
from workflows.formatting import BULAN
from workflows.region import current_region

from . import selectors as sel
from .models import MonthlyReport
from .policy import can_view_finance

REPORT_KIND = "laporan-keuangan-bulanan"
RENDERER = "budget_requests.finance.reports.render_monthly_report"


class _CityViewer:
    """A stand-in user for rendering: sees the whole city (the report's own unit filter narrows it)."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None


def can_view(user: User, obj: MonthlyReport) -> bool:
    return report_can_view(user, obj)


def report_can_view(user: User, report: MonthlyReport) -> bool:
    if not can_view_finance(user):
        return False
    paths = visible_unit_paths(user)
    if paths is None:
        return True
    if report.org_unit_id is None:
        return False
    return any(report.org_unit.path == p or report.org_unit.path.startswith(p + "/") for p in paths)


def report_filter(report: MonthlyReport) -> sel.FinanceFilter:
    return sel.FinanceFilter(year=report.year, month_from=report.month, month_to=report.month, unit=report.org_unit)


def _month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The report month as aware datetimes in the project's time zone (WIB): [first day, next month's)."""
    tz = timezone.get_default_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start, end


def envelope_groups(rows) -> list[tuple[sel.EnvelopeRow | None, list[sel.EnvelopeRow]]]:
    """The pagu rows grouped per kecamatan (its own envelopes and those of its kelurahan, in tree order) with the
    group's subtotal; rows outside any kecamatan form groups without a subtotal."""
    rows = list(rows)
    sums = {g.unit_path: g for g in sel.envelopes_by_kecamatan(rows)}
    groups: list[tuple[sel.EnvelopeRow | None, list[sel.EnvelopeRow]]] = []
    current = None
    for r in rows:
        parts = r.unit_path.split("/")
        key = "/".join(parts[:2]) if len(parts) >= 2 else r.unit_path
        if current is None or current[0] != key:
            current = (key, [])
            groups.append(current)
        current[1].append(r)
    return [(sums.get(key) if len(key.split("/")) == 2 else None, members) for key, members in groups]


@dataclass(frozen=True)
class ReportSigner:
    """The signature block of a monthly report: the office with the signer's capacity ("Plh. Camat Setu"), and the
    name and NIP of whoever holds or acts for it on the signing date (empty when nobody does: the block keeps its
    dotted lines for a hand-written name)."""

    title: str
    name: str
    nip: str


def report_signer(report: MonthlyReport, on: dt.date) -> ReportSigner:
    """Who signs the monthly report on ``on``: the camat for a kecamatan, the head of BPKAD for the city — the
    person who holds the position that day, or the Plh/Plt acting for it (``workflows.acting``: Plh > Plt >
    definitif), whose capacity then stands before the office."""
    if report.org_unit_id and report.org_unit.kind == OrgUnitKind.KECAMATAN:
        office = _("Camat %(name)s") % {"name": report.org_unit.name}
        position = Position.objects.filter(kind=PositionKind.CAMAT, org_unit=report.org_unit, is_active=True)
    else:
        office = _("Kepala Badan Pengelolaan Keuangan dan Aset Daerah")
        position = Position.objects.filter(kind=PositionKind.KEPALA_BPKAD, is_active=True)
    position = position.order_by("pk").first()
    acting = next(iter(who_acts_for(position, on)), None) if position is not None else None
    if acting is None:
        return ReportSigner(title=office, name="", nip="")
    return ReportSigner(title=f"{Capacity(acting.capacity).prefix}{office}",
                        name=acting.user.get_full_name() or acting.user.username, nip=acting.user.nip)


def render_monthly_report(report: MonthlyReport) -> str:
    viewer = _CityViewer()
    since, until = _month_bounds(report.year, report.month)
    f = report_filter(report)
    year_f = sel.FinanceFilter(year=report.year, month_from=1, month_to=report.month, unit=report.org_unit)
    figures = sel.dashboard_figures(viewer, f)
    generated_on = timezone.localdate()  # also the signing date printed above the signature
    return render_to_string("budget_requests/finance/report_pdf.html", {
        "report": report, "unit_name": str(report.org_unit) if report.org_unit_id else current_region().full_name,
        "month_name": BULAN[report.month - 1], "f": f,
        "envelopes": figures["envelopes"], "envelope_groups": envelope_groups(figures["envelopes"]),
        "totals": figures["totals"], "states": figures["states"],
        "city": current_region().full_name, "region": current_region(), "signer": report_signer(report, generated_on),
        "kop_units": [str(report.org_unit).upper() if report.org_unit_id
                      else _("BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH")],
        "times": figures["times"], "trend": sel.monthly_trend(viewer, year_f),
        "flags": list(sel.red_flags(viewer, f)[:50]), "basis_labels": sel.BASIS_LABELS,
        "generated_on": generated_on,
        # The audit trail's seals of the month, published outside the database (see verify_audit --against).
        "seals": audit_seal_list(since=since, until=until),
    })


def monthly_report_request(*, actor: User, org_unit, year: int, month: int, request=None):
    """The report row for (unit, year, month) and its PDF document (pending until the task renders it)."""
    probe = MonthlyReport(org_unit=org_unit, year=year, month=month)
    if not report_can_view(actor, probe):
        raise Denied("finance_not_allowed", _("Anda tidak berwenang meminta laporan unit ini."))
    with transaction.atomic():
        report = MonthlyReport.objects.filter(org_unit=org_unit, year=year, month=month).first()
        if report is None:
            try:
                with transaction.atomic():
                    report = MonthlyReport.objects.create(org_unit=org_unit, year=year, month=month,
                                                          requested_by=actor)
            except IntegrityError:
                report = MonthlyReport.objects.get(org_unit=org_unit, year=year, month=month)
        doc = document_request(obj=report, kind=REPORT_KIND, renderer=RENDERER, actor=actor,
                               filename=f"laporan-keuangan-{(org_unit.code if org_unit else 'kota')}-{year}-{month:02d}.pdf")
        audit_record(actor=actor, action="finance.report_requested", obj=report,
                     after={"document": doc.pk, "status": doc.status}, request=request)
    return report, doc
