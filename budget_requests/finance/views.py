"""Finance pages: dashboard ``/keuangan/``, drill-down ``/keuangan/rincian/``, exports, monthly PDF reports,
the delegation what-if, and the public transparency page ``/publik/transparansi/`` (no login)."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workflows.acting import local_date
from workflows.formatting import BULAN, rupiah
from workflows.models import OrgUnit, OrgUnitKind
from workflows.policy import Denied
from workflows.selectors import SEAL_PAGE_SIZE, audit_seal_list
from workflows.services.documents import document_latest

from . import exports, selectors as sel, whatif
from .charts import Bar, column_chart, hbar_chart
from .forms import filter_from_params
from .models import MonthlyReport, Scenario
from ..complaints import selectors as complaint_selectors
from ..sipd.policy import may_exchange_with_sipd
from .policy import can_manage_scenarios, require_finance_viewer, require_scenario_manager
from .reports import REPORT_KIND, monthly_report_request, report_can_view

PAGE_SIZE = 50


def _forbidden(message: str) -> HttpResponse:
    return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")


def finance_viewer(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        try:
            require_finance_viewer(request.user, request=request)
        except Denied as exc:
            return _forbidden(exc.message)
        return view(request, *args, **kwargs)
    return wrapped


def scenario_manager(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        try:
            require_scenario_manager(request.user, request=request)
        except Denied as exc:
            return _forbidden(exc.message)
        return view(request, *args, **kwargs)
    return wrapped


def _drill(f: sel.FinanceFilter, **extra) -> str:
    return reverse("finance:drilldown") + "?" + urlencode(f.params(**extra))


def _export(f: sel.FinanceFilter, key: str, fmt: str, **extra) -> str:
    return reverse("finance:export", args=[key, fmt]) + "?" + urlencode(f.params(**extra))


@finance_viewer
def dashboard(request: HttpRequest) -> HttpResponse:
    f, form = filter_from_params(request.GET, request.user)
    figures = sel.dashboard_figures(request.user, f)
    envelopes, totals, states = figures["envelopes"], figures["totals"], figures["states"]
    ageing, times, trend = figures["ageing"], figures["times"], figures["trend"]
    flags = list(sel.red_flags(request.user, f)[:20])
    flag_count = figures["flagged"]  # flagged requests, from the summaries

    if len(envelopes) > 12:  # city-wide: one group of bars per kecamatan, linking to that kecamatan
        chart_rows = [(g, _drill(f, unit=g.unit_code)) for g in sel.envelopes_by_kecamatan(envelopes)]
    else:
        chart_rows = [(e, _drill(f, envelope=e.id)) for e in envelopes]
    env_chart = hbar_chart(
        [(e.unit, [
            Bar(e.allocated, _("Pagu %(v)s") % {"v": rupiah(e.allocated)}, url),
            Bar(e.reserved, _("Terikat %(v)s") % {"v": rupiah(e.reserved)}, url),
            Bar(e.paid, _("Terbayar %(v)s") % {"v": rupiah(e.paid)}, url),
        ]) for e, url in chart_rows],
        [_("Pagu"), _("Terikat"), _("Terbayar")], label=_("Pagu, terikat dan terbayar"))
    routes = times[:3]
    hist_chart = column_chart(
        [(sel.bin_label(lo, hi), [
            Bar(rt.bins[i][2], f"{rt.label}: {rt.bins[i][2]}", _drill(f, route=rt.route, dt_lo=lo, dt_hi=hi))
            for rt in routes]) for i, (lo, hi) in enumerate(sel.DECISION_BINS)],
        [rt.label for rt in routes], label=_("Sebaran waktu sampai keputusan (hari kerja)"))
    trend_chart = column_chart(
        [(BULAN[m.month - 1][:3], [
            Bar(m.submitted, _("Diajukan: %(n)s") % {"n": m.submitted}, _drill(f, month=m.key)),
            Bar(m.decided, _("Diputus: %(n)s") % {"n": m.decided}, _drill(f, decided_month=m.key)),
        ]) for m in trend],
        [_("Diajukan"), _("Diputus")], label=_("Tren bulanan permohonan"))

    context = {
        "form": form, "f": f, "envelopes": [(e, _drill(f, envelope=e.id)) for e in envelopes], "totals": totals,
        "states": [(s, _drill(f, state=s.state)) for s in states],
        "ageing": [(a, _drill(f, bucket=a.key)) for a in ageing],
        "times": [(t, _drill(f, route=t.route) if t.route != "all" else _drill(f, decided="1")) for t in times],
        "trend": [(m, _drill(f, month=m.key), _drill(f, decided_month=m.key)) for m in trend],
        "kpi_urls": {"all": _drill(f), "reserved": _drill(f, state="approved"), "paid": _drill(f, state="paid")},
        "flags": flags, "flag_count": flag_count, "flags_url": _drill(f, flagged="1"),
        "env_chart": env_chart, "hist_chart": hist_chart, "trend_chart": trend_chart,
        "exports": {key.replace("-", "_"): (_export(f, key, "xlsx"), _export(f, key, "csv"))
                    for key in exports.TABLES if key != "rincian"},
        "can_whatif": can_manage_scenarios(request.user),
        "can_sipd": may_exchange_with_sipd(request.user),
        "basis_labels": sel.BASIS_LABELS,
    }
    return render(request, "budget_requests/finance/dashboard.html", context)


@finance_viewer
def drilldown(request: HttpRequest) -> HttpResponse:
    f, form = filter_from_params(request.GET, request.user)
    extra = {k: request.GET.get(k) for k in sel.DRILL_KEYS if request.GET.get(k)}
    qs = sel.drilldown(request.user, f, extra)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    base = f.params(**extra)
    return render(request, "budget_requests/finance/drilldown.html", {
        "form": form, "f": f, "page": page, "extra": extra,
        "query": urlencode(base), "dashboard_url": reverse("finance:dashboard") + "?" + urlencode(f.params()),
        "xlsx_url": _export(f, "rincian", "xlsx", **extra), "csv_url": _export(f, "rincian", "csv", **extra),
        "describe": _describe(extra),
    })


def _describe(extra: dict) -> list[str]:
    out = []
    labels = {b[0]: b[1] for b in sel.AGEING_BUCKETS}
    if extra.get("bucket") in labels:
        out.append(_("Permohonan terbuka berumur %(b)s") % {"b": labels[extra["bucket"]]})
    if extra.get("route") in sel.ROUTE_LABELS:
        out.append(str(sel.ROUTE_LABELS[extra["route"]]))
    if extra.get("dt_lo"):
        out.append(_("Waktu sampai keputusan: %(b)s hari kerja") % {
            "b": sel.bin_label(int(extra["dt_lo"]), int(extra["dt_hi"]) if extra.get("dt_hi") else None)})
    if extra.get("flagged"):
        out.append(_("Bertanda merah"))
    if extra.get("month"):
        out.append(_("Diajukan pada bulan %(m)s") % {"m": extra["month"]})
    if extra.get("decided_month"):
        out.append(_("Diputus pada bulan %(m)s") % {"m": extra["decided_month"]})
    if extra.get("envelope"):
        out.append(_("Pagu #%(id)s") % {"id": extra["envelope"]})
    return out


@finance_viewer
def export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    if key not in exports.TABLES or fmt not in ("xlsx", "csv"):
        raise Http404
    f, _form = filter_from_params(request.GET, request.user)
    extra = {k: request.GET.get(k) for k in sel.DRILL_KEYS if request.GET.get(k)}
    t = exports.table(key, request.user, f, extra)
    if fmt == "xlsx":
        return exports.xlsx_response(t, f, user=request.user, request=request)
    return exports.csv_response(t, f, user=request.user, request=request)


# --- monthly report PDFs --------------------------------------------------------------------------------------
@finance_viewer
@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest) -> HttpResponse:
    units = [u for u in sel.visible_units(request.user) if u.kind == OrgUnitKind.KECAMATAN]
    city_allowed = report_can_view(request.user, MonthlyReport(org_unit=None, year=2000, month=1))
    today = local_date()
    error = ""
    if request.method == "POST":
        code = request.POST.get("unit", "")
        try:
            year, month = int(request.POST.get("year", "")), int(request.POST.get("month", ""))
            if not (2000 <= year <= 2100 and 1 <= month <= 12):
                raise ValueError
        except ValueError:
            error = _("Pilih bulan dan tahun yang benar.")
        else:
            unit = next((u for u in units if u.code == code), None)
            if unit is None and not (code == "" and city_allowed):
                error = _("Pilih kecamatan dalam wewenang Anda.")
            else:
                try:
                    report, _doc = monthly_report_request(actor=request.user, org_unit=unit, year=year, month=month,
                                                          request=request)
                except Denied as exc:
                    return _forbidden(exc.message)
                return redirect("finance:report_detail", pk=report.pk)
    recent = MonthlyReport.objects.select_related("org_unit").order_by("-created_at")[:50]
    recent = [r for r in recent if report_can_view(request.user, r)][:20]
    return render(request, "budget_requests/finance/reports.html", {
        "units": units, "city_allowed": city_allowed, "months": list(enumerate(BULAN, start=1)),
        "year": today.year, "month": today.month, "error": error, "recent": recent,
        "posted": request.POST if request.method == "POST" else None,
    })


@finance_viewer
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(MonthlyReport.objects.select_related("org_unit"), pk=pk)
    if not report_can_view(request.user, report):
        return _forbidden(_("Anda tidak berwenang melihat laporan ini."))
    doc = document_latest(obj=report, kind=REPORT_KIND)
    return render(request, "budget_requests/finance/report_detail.html", {"report": report, "doc": doc})


# --- what-if --------------------------------------------------------------------------------------------------
@scenario_manager
@require_http_methods(["GET", "POST"])
def scenarios(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()[:200]
        try:
            year = int(request.POST.get("year") or local_date().year)
        except ValueError:
            year = local_date().year
        if not name:
            messages.error(request, _("Beri nama skenario."))
        else:
            scenario = whatif.scenario_copy_current(actor=request.user, name=name, fiscal_year=year, request=request)
            return redirect("finance:scenario_edit", pk=scenario.pk)
    return render(request, "budget_requests/finance/scenarios.html", {
        "scenarios": Scenario.objects.select_related("created_by")[:100], "year": local_date().year,
    })


@scenario_manager
@require_http_methods(["GET", "POST"])
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=pk)
    errors: dict[int, str] = {}
    rows = scenario.rules
    if request.method == "POST":
        rows, errors = whatif.parse_rule_edits(scenario.rules, request.POST)
        if not errors:
            whatif.scenario_update(scenario=scenario, actor=request.user, rules=rows,
                                   name=(request.POST.get("name") or scenario.name).strip()[:200], request=request)
            messages.success(request, _("Skenario disimpan."))
            return redirect("finance:scenario_run", pk=scenario.pk)
    return render(request, "budget_requests/finance/scenario_edit.html", {
        "scenario": scenario, "rows": list(enumerate(rows)), "errors": errors,
        "posted": request.POST if request.method == "POST" else None,
    })


@scenario_manager
def scenario_run(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=pk)
    f, form = filter_from_params(request.GET or {"year": str(scenario.base_fiscal_year)}, request.user)
    limit = int(getattr(settings, "BUDGET_WHATIF_MAX_REQUESTS", 20_000))
    synthetic = request.GET.get("sintetis") == "1"
    try:
        seed = int(request.GET.get("seed") or 1)
    except ValueError:
        seed = 1
    if synthetic:  # the documented synthetic year with its own synthetic duration history (as `whatif_replay`)
        requests = whatif.synthetic_year(f.year, seed)
        count, too_many = len(requests), False
        results = whatif.compare(requests, year=f.year, scenarios=[scenario],
                                 history=whatif.synthetic_history(seed), seed=seed)
    else:
        count = sel.scoped_requests(request.user, f).count()
        results, too_many = [], count > limit
        if not too_many:
            results = whatif.replay_period(user=request.user, f=f, scenario=scenario)
    return render(request, "budget_requests/finance/scenario_run.html", {
        "scenario": scenario, "form": form, "f": f, "results": results, "too_many": too_many,
        "count": count, "limit": limit, "synthetic": synthetic, "seed": seed,
    })


# --- public ---------------------------------------------------------------------------------------------------
TRANSPARENCY_SEALS = 10  # newest audit seals shown; the download holds all of them


def transparency(request: HttpRequest) -> HttpResponse:
    """Repairs per kecamatan this year: aggregates only, no names, no request details. No login."""
    try:
        year = int(request.GET.get("tahun") or local_date().year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        year = local_date().year
    rows = sel.public_summary(year)
    total = sel.PublicRow(_("Seluruh kota"))
    for r in rows:
        total.count += r.count
        total.amount += r.amount
        total.decided += r.decided
        total.decided_locally += r.decided_locally
        for k, v in r.values.items():
            total.values[k] = total.values.get(k, 0) + v
    chart = hbar_chart([(r.kecamatan, [Bar(r.count, f"{r.kecamatan}: {r.count}"),
                                       Bar(r.decided_locally, f"{r.kecamatan}: {r.decided_locally}")]) for r in rows],
                       [_("Permohonan"), _("Diputus di tingkat lokal")], label=_("Perbaikan per kecamatan"))
    complaint_rows = complaint_selectors.public_repair_times(year)
    return render(request, "budget_requests/finance/transparency.html", {
        "rows": rows, "total": total, "year": year, "chart": chart, "complaint_rows": complaint_rows,
        "seals": audit_seal_list(newest_first=True, limit=TRANSPARENCY_SEALS), "seal_page_size": SEAL_PAGE_SIZE,
    })
