"""Pages of complaints: the list, a complaint with its triage forms, and the outbox of status updates.

Every write calls one service; a ``RequestError`` shows the page again with the input kept (400), a ``Denied``
answers 403 (the service has already recorded it)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.calendar import deadline_rule
from workflows.models import OrgUnitKind
from workflows.policy import Denied

from ..errors import RequestError
from ..forms import QuoteFormSet, RequestForm
from ..views.common import add_service_error, denied
from ..views.requests import _form_kwargs
from . import selectors
from .clocks import CLOCK_BY_LEVEL, clock_due_date
from .forms import CloseForm, RouteForm
from .models import ComplaintState, ComplaintUpdate, DeliveryStatus
from .policy import authorize_triage, may_see_complaints
from .services import SUGGESTED_CATEGORY, complaint_close, complaint_route, complaint_to_repair, outbox_retry_now

PER_PAGE = 25


def _guard(request):
    if not may_see_complaints(request.user):
        return denied(request, _("Halaman ini untuk petugas yang menjabat di sebuah unit."))
    return None


@login_required
def complaint_list(request):
    if (refused := _guard(request)) is not None:
        return refused
    state = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.complaint_list(request.user, state=state if state in ComplaintState.values else "",
                                              q=q), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "budget_requests/complaints/list.html", {
        "page": page, "rows": page.object_list, "state": state, "q": q, "states": ComplaintState.choices})


def _may_triage(user, complaint) -> bool:
    if complaint.state != ComplaintState.TRIAGE:
        return False
    try:
        authorize_triage(user=user, complaint=complaint)
    except Denied:
        return False
    return True


def _repair_forms(complaint, data=None):
    unit = complaint.org_unit
    if unit is None or unit.kind not in (OrgUnitKind.KELURAHAN, OrgUnitKind.KECAMATAN):
        return None, None
    initial = {"org_unit": str(unit.pk), "asset": complaint.asset_id,
               "category": SUGGESTED_CATEGORY.get(complaint.category, ""),
               "problem": _("Pengaduan %(source)s %(id)s: %(title)s\n\n%(text)s\n\nLokasi: %(loc)s") % {
                   "source": complaint.source.name, "id": complaint.external_id, "title": complaint.title,
                   "text": complaint.description, "loc": complaint.location_text or "-"}}
    form = RequestForm(data, initial=initial, **_form_kwargs([unit]))
    form.fields.pop("photos")
    return form, QuoteFormSet(data, prefix="quotes")


def _clocks(complaint) -> list[dict]:
    rows = []
    for code in CLOCK_BY_LEVEL:
        try:
            rule = deadline_rule(code, complaint.received_at)
        except LookupError:
            continue
        rows.append({"rule": rule, "due": clock_due_date(code, complaint.received_at)})
    return rows


def _render_detail(request, complaint, *, repair=None, quotes=None, close=None, route=None, status=200):
    may_triage = _may_triage(request.user, complaint)
    if may_triage and repair is None:
        repair, quotes = _repair_forms(complaint)
    return render(request, "budget_requests/complaints/detail.html", {
        "c": complaint, "may_triage": may_triage, "repair": repair, "quotes": quotes,
        "close": close or CloseForm(prefix="close"), "route": route or RouteForm(prefix="route"),
        "updates": selectors.complaint_updates(complaint),
        "clocks": _clocks(complaint) if complaint.source.uses_lapor_clocks else [],
    }, status=status)


@login_required
def complaint_detail(request, pk: int):
    complaint = selectors.complaint_for_page(request.user, pk)
    if complaint is None:
        raise Http404
    return _render_detail(request, complaint)


@login_required
@require_POST
def complaint_action(request, pk: int, action: str):
    complaint = selectors.complaint_for_page(request.user, pk)
    if complaint is None:
        raise Http404
    try:
        if action == "perbaikan":
            repair, quotes = _repair_forms(complaint, request.POST)
            if repair is None:
                raise RequestError("invalid_unit", _("Arahkan pengaduan ke kelurahannya lebih dulu."))
            if not (repair.is_valid() & quotes.is_valid()):
                return _render_detail(request, complaint, repair=repair, quotes=quotes, status=400)
            d = repair.cleaned_data
            try:
                obj = complaint_to_repair(
                    complaint=complaint, actor=request.user, org_unit=d["org_unit"], asset=d["asset"],
                    category=d["category"], problem=d["problem"], amount=d["amount"], envelope=d["envelope"],
                    urgency=d["urgency"], payment_route=d["payment_route"], submit="submit" in request.POST,
                    quotes=[{k: v for k, v in q.items() if v not in (None, "")} for q in quotes.cleaned_data if q],
                    request=request)
            except RequestError as exc:
                add_service_error(repair, exc)
                return _render_detail(request, complaint, repair=repair, quotes=quotes, status=400)
            messages.success(request, _("Permohonan perbaikan %(n)s dibuat dari pengaduan ini.") % {"n": obj})
            return redirect("budget_requests:request_detail", obj.pk)
        if action == "tutup":
            close = CloseForm(request.POST, prefix="close")
            if not close.is_valid():
                return _render_detail(request, complaint, close=close, status=400)
            try:
                complaint_close(complaint=complaint, actor=request.user, reason=close.cleaned_data["reason"],
                                request=request)
            except RequestError as exc:
                add_service_error(close, exc)
                return _render_detail(request, complaint, close=close, status=400)
            messages.success(request, _("Pengaduan ditutup; alasannya dikirim kepada pelapor."))
        elif action == "arahkan":
            route = RouteForm(request.POST, prefix="route")
            if not route.is_valid():
                return _render_detail(request, complaint, route=route, status=400)
            try:
                complaint_route(complaint=complaint, actor=request.user, org_unit=route.cleaned_data.get("kelurahan"),
                                asset=route.cleaned_data.get("asset"), note=route.cleaned_data.get("note", ""),
                                request=request)
            except RequestError as exc:
                add_service_error(route, exc)
                return _render_detail(request, complaint, route=route, status=400)
            messages.success(request, _("Pengaduan diteruskan kepada operator kelurahannya."))
        else:
            raise Http404
    except Denied as exc:
        return denied(request, exc.message)
    return redirect("complaints:complaint_detail", complaint.pk)


@login_required
def outbox(request):
    if (refused := _guard(request)) is not None:
        return refused
    status = request.GET.get("status", "undelivered")
    page = Paginator(selectors.outbox_list(request.user, status=status), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "budget_requests/complaints/outbox.html", {
        "page": page, "rows": page.object_list, "status": status, "statuses": DeliveryStatus.choices})


@login_required
@require_POST
def outbox_retry(request, pk: int):
    update = get_object_or_404(ComplaintUpdate, pk=pk)
    try:
        outbox_retry_now(update=update, actor=request.user, request=request)
    except Denied:
        raise Http404
    except RequestError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pembaruan dijadwalkan untuk dikirim ulang sekarang."))
    return redirect("complaints:outbox")
