"""Export batches of SPP-LS/SPM data for SIPD penatausahaan: choosing the SPMs, freezing the rows, the files.

A batch is chosen by BPKAD (SPM date range, unit, only what was never exported) and holds the latest signed SPM
of each LS request that is waiting for its SP2D or already paid. The values are frozen in the batch's lines, so
downloading a batch again (xlsx or CSV) gives the same rows even after the payment moved on.
"""
from __future__ import annotations

import csv
import datetime as dt
import io

from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from workflows.models import OrgUnit, User
from workflows.services.audit import audit_record

from ..codelist import code_list
from ..errors import RequestError
from ..models import PaymentDocument, PaymentDocumentKind as K, PaymentRoute, RequestState as S
from .layout import DATE, EXPORT_COLUMNS, MONEY
from .models import SipdExport, SipdExportLine
from .policy import require_bpkad

MAX_ROWS = 5000  # one batch is what an operator keys in; a larger choice is split by date


def _latest(kind: str):
    """The pk of a request's latest non-refused document of ``kind`` (a subquery on ``request``)."""
    return Subquery(PaymentDocument.objects.filter(request=OuterRef("request"), kind=kind, refused=False)
                    .values("request").annotate(last=Max("pk")).values("last")[:1])


def spm_candidates(*, date_from: dt.date | None = None, date_to: dt.date | None = None,
                   org_unit: OrgUnit | None = None, only_new: bool = True):
    """The SPM documents a batch with this choice holds: each LS request's latest signed SPM, the request waiting
    for its SP2D or paid."""
    qs = (PaymentDocument.objects.filter(kind=K.SPM, refused=False, request__payment_route=PaymentRoute.LS,
                                         request__state__in=[S.SPM_ISSUED, S.PAID, S.CLOSED])
          .filter(pk=_latest(K.SPM)))
    if date_from:
        qs = qs.filter(issued_on__gte=date_from)
    if date_to:
        qs = qs.filter(issued_on__lte=date_to)
    if org_unit is not None:
        qs = qs.filter(Q(request__org_unit__path=org_unit.path)
                       | Q(request__org_unit__path__startswith=org_unit.path + "/"))
    if only_new:
        qs = qs.exclude(sipd_export_lines__isnull=False)
    return qs.select_related("request__org_unit", "request__envelope", "request__asset").order_by("issued_on", "pk")


def _row(spm: PaymentDocument, spp: PaymentDocument | None) -> dict:
    obj, env = spm.request, spm.request.envelope
    codes = code_list()
    sub = codes.sub_kegiatan.get(env.sub_kegiatan)
    account = codes.rekening.get(env.account_code)
    spp_value = (lambda name, default="": getattr(spp, name) if spp is not None else default)
    ppn, pph = spp_value("ppn", 0), spp_value("pph", 0)
    return {
        "nomor_spp": spp_value("number"), "tanggal_spp": spp_value("issued_on", None),
        "nomor_spm": spm.number, "tanggal_spm": spm.issued_on, "jenis": "LS Barang dan Jasa",
        "kode_unit": obj.org_unit.code, "unit": str(obj.org_unit),
        "sub_kegiatan": env.sub_kegiatan, "nama_sub_kegiatan": sub.name if sub else "",
        "kode_rekening": env.account_code, "nama_rekening": account.name if account else "",
        "uraian": f"{obj.asset.tag}: {obj.problem}"[:300],
        "nilai": spm.amount, "ppn": ppn, "pph": pph, "pasal_pph": spp_value("pph_article"),
        "nilai_bersih": spm.amount - ppn - pph,
        "pihak_ketiga": spp_value("payee_name"), "npwp": spp_value("payee_npwp"), "bank": spp_value("bank_name"),
        "rekening": spp_value("bank_account"), "nomor_kontrak": spp_value("contract_number"),
        "tanggal_kontrak": spp_value("contract_date", None), "bukti": spp_value("evidence"),
        "nomor_permohonan": obj.number or "",
    }


def sipd_export_create(*, actor: User, date_from: dt.date | None = None, date_to: dt.date | None = None,
                       org_unit: OrgUnit | None = None, only_new: bool = True, request=None) -> SipdExport:
    """Record a batch of the SPMs chosen (see ``spm_candidates``) with their rows, audited (``sipd.exported``)."""
    capacity = require_bpkad(actor, attempted="export", request=request)
    if date_from and date_to and date_from > date_to:
        raise RequestError("invalid_range", _("Tanggal awal tidak boleh sesudah tanggal akhir."), "date_from")
    with transaction.atomic():
        spms = list(spm_candidates(date_from=date_from, date_to=date_to, org_unit=org_unit,
                                   only_new=only_new)[:MAX_ROWS + 1])
        if not spms:
            raise RequestError("empty", _("Tidak ada SPM-LS yang sesuai dengan pilihan ini."))
        if len(spms) > MAX_ROWS:
            raise RequestError("too_many", _("Pilihan ini memuat lebih dari %(n)s SPM; persempit rentang tanggal.")
                               % {"n": MAX_ROWS}, "date_to")
        spps = {}
        for doc in PaymentDocument.objects.filter(request__in=[d.request_id for d in spms], kind=K.SPP,
                                                  refused=False).order_by("pk"):
            spps[doc.request_id] = doc  # the latest SPP of each request wins
        batch = SipdExport.objects.create(
            created_by=actor, capacity_label=capacity, date_from=date_from, date_to=date_to, org_unit=org_unit,
            only_new=only_new, row_count=len(spms), total=sum(d.amount for d in spms),
            code_list_version=code_list().version)
        SipdExportLine.objects.bulk_create([
            SipdExportLine(export=batch, spm=d, request_id=d.request_id, values=_json_row(_row(d, spps.get(d.request_id))))
            for d in spms])
        audit_record(actor=actor, action="sipd.exported", obj=batch, capacity=capacity, request=request,
                     after={"rows": batch.row_count, "total": batch.total, "spm": [d.pk for d in spms],
                            "date_from": date_from, "date_to": date_to,
                            "unit": org_unit.code if org_unit else None, "only_new": only_new,
                            "code_list_version": batch.code_list_version})
    return batch


def _json_row(row: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}


def export_rows(batch: SipdExport) -> list[list]:
    """The batch's rows in column order, dates as ``date`` and money as ``int``."""
    rows = []
    for line in batch.lines.order_by("pk"):
        row = []
        for key, _label, kind in EXPORT_COLUMNS:
            value = line.values.get(key)
            if kind == DATE and value:
                value = dt.date.fromisoformat(value)
            row.append(value if value is not None else "")
        rows.append(row)
    return rows


def export_xlsx(batch: SipdExport) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "SPM-LS"
    ws.append([str(label) for _key, label, _kind in EXPORT_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in export_rows(batch):
        ws.append(row)
    for col, (_key, _label, kind) in enumerate(EXPORT_COLUMNS, start=1):
        fmt = {MONEY: "#,##0", DATE: "DD/MM/YYYY"}.get(kind)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.number_format = fmt
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_csv(batch: SipdExport) -> bytes:
    """UTF-8 with BOM, ``;``-separated, dates DD/MM/YYYY, money as plain integers (as the finance exports)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([str(label) for _key, label, _kind in EXPORT_COLUMNS])
    for row in export_rows(batch):
        writer.writerow([v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
