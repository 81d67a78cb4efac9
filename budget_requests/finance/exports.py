"""Every dashboard table (and the drill-down) as Excel (.xlsx) and CSV, read from the same selectors.

* Excel: openpyxl in ``write_only`` mode (rows go to a temporary file as they are produced, so memory does not
  grow with the number of rows), Indonesian headers in bold, rupiah as integers formatted ``#,##0``,
  percentages as numbers with ``0.0``, dates as real dates (``DD/MM/YYYY``). The finished file is streamed
  from disk.
* CSV: a ``StreamingHttpResponse`` writing one line per row as the database cursor yields it (UTF-8 with BOM
  so spreadsheet programs read the Indonesian text correctly; ``;`` separated as Indonesian Excel expects).

Each export is audited (``finance.exported`` on the ``finance`` stream).
"""
from __future__ import annotations

import csv
import datetime as dt
import tempfile
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from django.db import transaction
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from workflows.acting import local_date
from workflows.models import User
from workflows.services.audit import audit_record

from . import selectors as sel
from .selectors import FinanceFilter

MONEY, INT, PCT, DATE, TEXT = "money", "int", "pct", "date", "text"
FORMATS = {MONEY: "#,##0", INT: "0", PCT: "0.0", DATE: "DD/MM/YYYY"}


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (Indonesian header, kind)
    rows: Callable[[], Iterable[tuple]]


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


def table(key: str, user: User, f: FinanceFilter, params: dict | None = None) -> Table:
    """The export of dashboard table ``key`` (see ``TABLES``)."""
    params = params or {}
    if key == "pagu":
        def rows():
            data = sel.envelope_summary(user, f)
            for r in [*data, sel.envelope_totals(data)]:
                yield (r.unit, r.account_code, r.name, r.allocated, r.reserved, r.paid, r.room,
                       r.absorption_paid, r.absorption_committed)
        return Table(key, _("Pagu dan penyerapan"), [
            (_("Unit"), TEXT), (_("Kode rekening"), TEXT), (_("Nama pagu"), TEXT), (_("Pagu (Rp)"), MONEY),
            (_("Terikat (Rp)"), MONEY), (_("Terbayar (Rp)"), MONEY), (_("Sisa pagu (Rp)"), MONEY),
            (_("Penyerapan terbayar (%)"), PCT), (_("Penyerapan terikat + terbayar (%)"), PCT)], rows)
    if key == "status":
        return Table(key, _("Permohonan per status"), [
            (_("Status"), TEXT), (_("Jumlah permohonan"), INT), (_("Nilai (Rp)"), MONEY)],
            lambda: ((r.label, r.count, r.amount) for r in sel.requests_by_state(user, f)))
    if key == "umur":
        return Table(key, _("Umur permohonan terbuka"), [
            (_("Umur sejak diajukan"), TEXT), (_("Jumlah permohonan"), INT), (_("Nilai (Rp)"), MONEY)],
            lambda: ((r.label, r.count, r.amount) for r in sel.ageing(user, f)))
    if key == "waktu-putusan":
        return Table(key, _("Waktu sampai keputusan"), [
            (_("Rute"), TEXT), (_("Jumlah diputus"), INT), (_("Nilai (Rp)"), MONEY),
            (_("Median (hari kerja)"), PCT), (_("Persentil 90 (hari kerja)"), INT)],
            lambda: ((r.label, r.count, r.amount, r.median, r.p90) for r in sel.decision_times(user, f)))
    if key == "tren":
        return Table(key, _("Tren bulanan"), [
            (_("Bulan"), TEXT), (_("Diajukan"), INT), (_("Nilai diajukan (Rp)"), MONEY), (_("Diputus"), INT),
            (_("Nilai disetujui (Rp)"), MONEY), (_("Nilai dibayar (Rp)"), MONEY)],
            lambda: ((r.label, r.submitted, r.submitted_amount, r.decided, r.approved_amount, r.paid_amount)
                     for r in sel.monthly_trend(user, f)))
    if key == "tanda-merah":
        def rows():
            for flag in sel.red_flags(user, f).iterator(chunk_size=2000):
                yield (flag.request.number or "", str(flag.request.org_unit), str(sel.BASIS_LABELS.get(flag.basis, flag.basis)), flag.total, flag.threshold,
                       _local_date(flag.window_start), _local_date(flag.window_end), _local_date(flag.created_at),
                       _("Sudah ditelaah") if flag.reviewed_at else _("Belum ditelaah"),
                       flag.get_finding_display() if flag.finding else "", flag.review_note,
                       str(flag.reviewed_by or ""), flag.explanation)
        return Table(key, _("Tanda merah"), [
            (_("Nomor permohonan"), TEXT), (_("Unit"), TEXT), (_("Dasar pengelompokan"), TEXT),
            (_("Jumlah dalam jendela (Rp)"), MONEY), (_("Batas (Rp)"), MONEY), (_("Awal jendela"), DATE),
            (_("Akhir jendela"), DATE), (_("Tanggal tanda"), DATE), (_("Telaah"), TEXT),
            (_("Temuan telaah"), TEXT), (_("Catatan telaah"), TEXT), (_("Penelaah"), TEXT),
            (_("Penjelasan"), TEXT)], rows)
    if key == "rincian":
        state_labels = {k: str(v) for k, v in sel.STATE_CHOICES}
        category_labels = {k: str(v) for k, v in sel.CATEGORY_CHOICES}
        yes, no = str(_("Ya")), str(_("Tidak"))
        tz = sel.wib()

        def rows():
            qs = sel.drilldown(user, f, params).values_list(
                "number", "org_unit__name", "asset__tag", "category", "amount", "state", "submitted_at",
                "decided_at", "is_flagged")
            for number, unit, tag, cat, amount, state, sub, dec, flagged in qs.iterator(chunk_size=2000):
                yield (number or "", unit, tag, category_labels.get(cat, cat), amount, state_labels.get(state, state),
                       sub.astimezone(tz).date() if sub else None, dec.astimezone(tz).date() if dec else None,
                       yes if flagged else no)
        return Table(key, _("Rincian permohonan"), [
            (_("Nomor"), TEXT), (_("Unit"), TEXT), (_("Aset"), TEXT), (_("Kategori"), TEXT),
            (_("Nilai (Rp)"), MONEY), (_("Status"), TEXT), (_("Tanggal diajukan"), DATE),
            (_("Tanggal diputus"), DATE), (_("Tanda merah"), TEXT)], rows)
    raise KeyError(key)


TABLES = ("pagu", "status", "umur", "waktu-putusan", "tren", "tanda-merah", "rincian")


def _filename(t: Table, f: FinanceFilter, ext: str) -> str:
    unit = f"-{f.unit.code}" if f.unit else ""
    return f"keuangan-{t.key}-{f.year}-{f.month_from:02d}-{f.month_to:02d}{unit}.{ext}"


# Column widths (characters) by kind, so amounts never show as ######## and dates fit.
WIDTHS = {MONEY: 18, INT: 12, PCT: 14, DATE: 13, TEXT: 24}


def filter_label(f: FinanceFilter) -> str:
    """The filter in words, for the title row: "Maret–Juni 2026 · Unit: Kecamatan Setu · Status: Disetujui"."""
    parts = [f.period_label]
    if f.unit is not None:
        parts.append(_("Unit: %(unit)s") % {"unit": f.unit})
    if f.category:
        labels = {k: str(v) for k, v in sel.CATEGORY_CHOICES}
        parts.append(_("Kategori: %(c)s") % {"c": labels.get(f.category, f.category)})
    if f.state:
        labels = {k: str(v) for k, v in sel.STATE_CHOICES}
        parts.append(_("Status: %(s)s") % {"s": labels.get(f.state, f.state)})
    return " · ".join(str(p) for p in parts)


def write_xlsx(t: Table, f: FinanceFilter, target) -> None:
    """Write the table to ``target`` (a path or a binary file) with openpyxl in write-only mode: a title row
    stating the filter, a bold header row that stays in view (frozen) and carries the spreadsheet's filter
    buttons, and columns wide enough for their values."""
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=t.title[:31])
    for i, (name, kind) in enumerate(t.columns, start=1):  # before the first row, as write-only mode needs
        ws.column_dimensions[get_column_letter(i)].width = max(WIDTHS[kind], min(len(str(name)) + 2, 40))
    ws.freeze_panes = "A3"  # title and header rows stay in view
    bold = Font(bold=True)
    title = WriteOnlyCell(ws, value=f"{t.title} — {filter_label(f)}")
    title.font = bold
    ws.append([title])
    header = []
    for name, _kind in t.columns:
        c = WriteOnlyCell(ws, value=name)
        c.font = bold
        header.append(c)
    ws.append(header)
    # One reusable cell per formatted column: write-only rows are serialised on append, so the cell can be
    # refilled for the next row (creating a cell object per value dominates the time at 100,000 rows).
    formatted: list = []
    for _name, kind in t.columns:
        if kind == TEXT:
            formatted.append(None)
            continue
        cell = WriteOnlyCell(ws)
        cell.number_format = FORMATS[kind]
        formatted.append((cell, kind == PCT))
    count = 0
    for row in t.rows():
        count += 1
        out = []
        for value, fmt in zip(row, formatted):
            if fmt is None or value is None:
                out.append(safe_text(value))
                continue
            cell, is_pct = fmt
            cell.value = float(value) if is_pct else value
            out.append(cell)
        ws.append(out)
    ws.auto_filter.ref = f"A2:{get_column_letter(len(t.columns))}{2 + count}"
    wb.save(target)


def _audit(user: User, t: Table, fmt: str, f: FinanceFilter, request=None) -> None:
    with transaction.atomic():
        audit_record(actor=user, action="finance.exported", stream="finance",
                     after={"table": t.key, "format": fmt, "filter": f.params()}, request=request)


def xlsx_response(t: Table, f: FinanceFilter, *, user: User, request=None) -> FileResponse:
    _audit(user, t, "xlsx", f, request)
    tmp = tempfile.TemporaryFile()
    write_xlsx(t, f, tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=_filename(t, f, "xlsx"),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class _Echo:
    def write(self, value):
        return value


def csv_lines(t: Table) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([name for name, _k in t.columns])
    for row in t.rows():
        yield writer.writerow([_csv_value(v) for v in row])


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return safe_text(value)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """Text cells never become formulas: user text starting with = + - @ gets a leading apostrophe (OWASP
    CSV/formula injection). Non-text values pass through."""
    if value is None or isinstance(value, (int, float, dt.date)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_response(t: Table, f: FinanceFilter, *, user: User, request=None) -> StreamingHttpResponse:
    _audit(user, t, "csv", f, request)
    response = StreamingHttpResponse(csv_lines(t), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(t, f, "csv")}"'
    return response


__all__ = ["TABLES", "table", "write_xlsx", "xlsx_response", "csv_response", "csv_lines", "local_date"]
