"""SIPD exchange pages for BPKAD under ``/keuangan/sipd/``: export batches (choose, list, download xlsx/CSV),
SP2D import with per-row problems (the uploaded file kept), and the reconciliation with an action per line.

Every page asks ``policy.require_bpkad`` first (403, recorded as ``sipd.denied``); a batch, an import or a line
that does not exist — or a line that is not part of the import in the URL — is 404. Writes call the services.
"""
from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.policy import Denied
from workflows.services.audit import audit_record
from workflows.uploads import PendingUploads

from ..errors import RequestError
from .exports import export_csv, export_rows, export_xlsx, sipd_export_create
from .forms import ExportForm, ResolveForm, Sp2dUploadForm
from ..money import rupiah
from .layout import DATE, EXPORT_COLUMNS, MONEY
from .models import LineStatus, Outcome, Sp2dImport, Sp2dLine, SipdExport
from .policy import require_bpkad
from .reconcile import Sp2dFileError, sp2d_import, sp2d_line_record, sp2d_line_resolve

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bpkad_only(view):
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        try:
            require_bpkad(request.user, attempted=view.__name__, request=request)
        except Denied as exc:
            return HttpResponseForbidden(exc.message, content_type="text/plain; charset=utf-8")
        return view(request, *args, **kwargs)
    return wrapped


def _home(request, *, export_form=None, upload_form=None, problems=None, status=200):
    return render(request, "budget_requests/sipd/home.html", {
        "export_form": export_form or ExportForm(),
        "upload_form": upload_form or Sp2dUploadForm(),
        "problems": problems or [],
        "exports": SipdExport.objects.select_related("created_by", "org_unit")[:20],
        "imports": Sp2dImport.objects.select_related("created_by").annotate(
            open_lines=Count("lines", filter=_open_q()))[:20],
    }, status=status)


def _open_q():
    from django.db.models import Q

    return Q(lines__status=LineStatus.OPEN)


@bpkad_only
def sipd_home(request: HttpRequest) -> HttpResponse:
    return _home(request)


@bpkad_only
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            batch = sipd_export_create(actor=request.user, date_from=d["date_from"], date_to=d["date_to"],
                                       org_unit=d["unit"], only_new=d["only_new"], request=request)
        except RequestError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Ekspor %(n)s SPM dibuat.") % {"n": batch.row_count})
            return redirect("finance:sipd_export", batch.pk)
    return _home(request, export_form=form, status=400)


@bpkad_only
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(SipdExport.objects.select_related("created_by", "org_unit"), pk=pk)
    headers = [str(label) for _k, label, _t in EXPORT_COLUMNS]
    shown = {MONEY: rupiah, DATE: lambda d: d.strftime("%d/%m/%Y")}
    rows = [[(h, shown[kind](v) if v != "" and kind in shown else v)
             for h, v, (_k, _l, kind) in zip(headers, row, EXPORT_COLUMNS)] for row in export_rows(batch)]
    return render(request, "budget_requests/sipd/export_detail.html", {"batch": batch, "headers": headers,
                                                                        "rows": rows})


@bpkad_only
def export_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    batch = get_object_or_404(SipdExport, pk=pk)
    if fmt == "xlsx":
        body, content_type = export_xlsx(batch), XLSX
    elif fmt == "csv":
        body, content_type = export_csv(batch), "text/csv; charset=utf-8"
    else:
        return HttpResponse(status=404)
    with transaction.atomic():  # every copy of the batch that leaves Pamong is on record
        audit_record(actor=request.user, action="sipd.export_downloaded", obj=batch, request=request,
                     capacity=require_bpkad(request.user, attempted="export_download", request=request),
                     after={"format": fmt, "rows": batch.row_count})
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="sipd-spm-ls-{batch.pk}.{fmt}"'
    return response


@bpkad_only
@require_POST
def sp2d_upload(request: HttpRequest) -> HttpResponse:
    pending = PendingUploads(request)
    files = pending.files_with_kept(request.POST, request.FILES)
    form = Sp2dUploadForm(request.POST, files)
    problems = []
    if form.is_valid():
        try:
            result = sp2d_import(file=form.cleaned_data["file"], actor=request.user, request=request)
        except Sp2dFileError as exc:
            problems = exc.problems
            form.add_error(None, exc.message)
        except RequestError as exc:
            form.add_error("file", exc.message)
        else:
            pending.discard(request.POST)
            if result.created:
                messages.success(request, _("Berkas SP2D diimpor dan direkonsiliasi."))
            else:
                messages.info(request, _("Berkas ini sudah pernah diimpor; rekonsiliasinya ditampilkan (tidak ada "
                                         "yang dicatat dua kali)."))
            return redirect("finance:sipd_reconciliation", result.imported.pk)
    # Shown again with the file kept: the problems are listed, the file field itself carries no error.
    pending.keep([form], files)
    return _home(request, upload_form=form, problems=problems, status=400)


ORDER = [Outcome.DIFFERENT_AMOUNT, Outcome.MISSING_IN_PAMONG, Outcome.MISSING_IN_SIPD, Outcome.MATCHED]


def _reconciliation(request, pk: int, *, error: str = "", status: int = 200) -> HttpResponse:
    imported = get_object_or_404(Sp2dImport.objects.select_related("created_by"), pk=pk)
    lines = list(imported.lines.select_related("request__org_unit", "handled_by"))
    groups = [(Outcome(o).label, o, [line for line in lines if line.outcome == o]) for o in ORDER]
    return render(request, "budget_requests/sipd/reconciliation.html", {
        "imported": imported, "groups": groups, "error": error,
        "open_count": sum(1 for line in lines if line.status == LineStatus.OPEN),
    }, status=status)


@bpkad_only
def reconciliation(request: HttpRequest, pk: int) -> HttpResponse:
    return _reconciliation(request, pk)


@bpkad_only
@require_POST
def line_action(request: HttpRequest, pk: int, line_pk: int, action: str) -> HttpResponse:
    line = get_object_or_404(Sp2dLine.objects.select_related("request", "imported"), pk=line_pk, imported_id=pk)
    try:
        if action == "catat":
            sp2d_line_record(line=line, actor=request.user, request=request)
            messages.success(request, _("SP2D %(n)s dicatat pada pembayaran %(r)s.")
                             % {"n": line.sp2d_number, "r": line.request})
        elif action == "selesai":
            form = ResolveForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            sp2d_line_resolve(line=line, actor=request.user, note=note, request=request)
            messages.success(request, _("Baris ditandai selesai dengan catatan."))
        else:
            return HttpResponse(status=404)
    except RequestError as exc:
        return _reconciliation(request, pk, error=exc.message, status=400)
    except Denied as exc:  # e.g. recording an SP2D is the Kuasa BUD's act, not every BPKAD officer's
        return _reconciliation(request, pk, error=exc.message, status=403)
    return redirect("finance:sipd_reconciliation", pk)
