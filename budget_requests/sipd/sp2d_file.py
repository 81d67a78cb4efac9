"""Reading an SP2D file exported from SIPD (xlsx or CSV) into checked rows, or every problem per row.

Pure: no database access. A problem names the spreadsheet row (the header is row 1), the column and what is
wrong, in Indonesian. The whole file is read before anything is decided, so a caller writes all or nothing.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..money import AmountSyntaxError, parse_rupiah, rupiah
from .layout import SP2D_COLUMNS, header_key

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y")


@dataclass(frozen=True)
class Sp2dRow:
    row_number: int
    sp2d_number: str
    sp2d_date: dt.date
    amount: int
    spm_number: str
    payee_name: str
    payee_npwp: str
    deductions: int | None


@dataclass(frozen=True)
class RowProblem:
    row_number: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Baris %(row)s, kolom %(col)s: %(msg)s") % {"row": self.row_number, "col": self.column,
                                                               "msg": self.message}
        return _("Baris %(row)s: %(msg)s") % {"row": self.row_number, "msg": self.message}


@dataclass
class Sp2dFile:
    rows: list[Sp2dRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _raw_rows(content: bytes, name: str) -> list[list]:
    """The file's cells, row by row (strings for CSV; typed values for xlsx)."""
    if content[:2] == b"PK":  # an xlsx is a zip archive, whatever its name says
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise ValueError(_("Berkas Excel tidak dapat dibaca.")) from exc
        try:
            return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
    if name.lower().endswith((".xlsx", ".xls")):
        raise ValueError(_("Berkas Excel tidak dapat dibaca; simpan sebagai .xlsx atau CSV."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("tanggal \"%(v)s\" tidak dikenali (gunakan DD/MM/YYYY).") % {"v": text})


def _required_date(value) -> dt.date:
    if not isinstance(value, dt.date) and not _text(value):
        raise ValueError(_("wajib diisi."))
    return _date(value)


def _rupiah(value) -> int:
    """Whole rupiah from a number cell or text such as "1.500.000", "Rp1.500.000,00" or "1500000"."""
    if isinstance(value, bool):
        raise ValueError(_("bukan angka rupiah."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_("rupiah harus bilangan bulat (tanpa sen)."))
        return int(value)
    try:
        value = parse_rupiah(_text(value))
    except AmountSyntaxError as exc:
        raise ValueError(_("rupiah harus bilangan bulat (tanpa sen).") if exc.code == "has_cents"
                         else _("\"%(v)s\" bukan angka rupiah bulat.") % {"v": _text(value)}) from exc
    if value < 0:
        raise ValueError(_("tidak boleh negatif."))
    return value


def read_sp2d_file(content: bytes, name: str, *, today: dt.date) -> Sp2dFile:
    """Every row of the file checked; ``problems`` lists what is wrong (nothing is partially accepted)."""
    result = Sp2dFile()
    if len(content) > MAX_BYTES:
        result.problems.append(RowProblem(0, "", _("Berkas terlalu besar (maksimal 5 MB).")))
        return result
    try:
        raw = _raw_rows(content, name)
    except ValueError as exc:
        result.problems.append(RowProblem(0, "", str(exc)))
        return result
    if not raw:
        result.problems.append(RowProblem(1, "", _("Berkas kosong.")))
        return result
    headers = [header_key(h) for h in raw[0]]
    index: dict[str, int] = {}
    for key, (label, spellings, required) in SP2D_COLUMNS.items():
        found = next((i for i, h in enumerate(headers) if h in spellings), None)
        if found is not None:
            index[key] = found
        elif required:
            result.problems.append(RowProblem(1, str(label), _("kolom ini tidak ada di baris judul.")))
    if result.problems:
        return result
    seen: dict[str, int] = {}
    for number, cells in enumerate(raw[1:], start=2):
        if all(_text(c) == "" for c in cells):
            continue
        if len(result.rows) + len(seen) >= MAX_ROWS * 2:
            break
        cell = (lambda key: cells[index[key]] if key in index and index[key] < len(cells) else None)
        problems = []

        def check(key, convert):
            try:
                return convert(cell(key))
            except ValueError as exc:
                problems.append(RowProblem(number, str(SP2D_COLUMNS[key][0]), str(exc)))
                return None

        def required_text(value):
            text = _text(value)
            if not text:
                raise ValueError(_("wajib diisi."))
            if len(text) > 64:
                raise ValueError(_("terlalu panjang (maksimal 64 karakter)."))
            return text

        sp2d_number = check("sp2d_number", required_text)
        spm_number = check("spm_number", required_text)
        sp2d_date = check("sp2d_date", _required_date)
        if sp2d_date and sp2d_date > today:
            problems.append(RowProblem(number, str(SP2D_COLUMNS["sp2d_date"][0]),
                                       _("tanggal tidak boleh di masa depan.")))
        amount = check("amount", _rupiah)
        if amount is not None and amount <= 0:
            problems.append(RowProblem(number, str(SP2D_COLUMNS["amount"][0]), _("nilai harus lebih dari nol.")))
        deductions = check("deductions", lambda v: _rupiah(v) if _text(v) else None)
        if deductions is not None and amount and deductions >= amount:
            problems.append(RowProblem(number, str(SP2D_COLUMNS["deductions"][0]),
                                       _("potongan %(d)s tidak boleh sama dengan atau melebihi nilai %(a)s.")
                                       % {"d": rupiah(deductions), "a": rupiah(amount)}))
        npwp = _text(cell("payee_npwp"))
        if npwp and not re.fullmatch(r"[0-9]{15,16}", re.sub(r"[.\-\s]", "", npwp)):
            problems.append(RowProblem(number, str(SP2D_COLUMNS["payee_npwp"][0]),
                                       _("NPWP harus 15 atau 16 digit angka.")))
        if sp2d_number:
            if sp2d_number in seen:
                problems.append(RowProblem(number, str(SP2D_COLUMNS["sp2d_number"][0]),
                                           _("nomor SP2D %(n)s sudah ada di baris %(r)s.")
                                           % {"n": sp2d_number, "r": seen[sp2d_number]}))
            else:
                seen[sp2d_number] = number
        if problems:
            result.problems.extend(problems)
            continue
        result.rows.append(Sp2dRow(row_number=number, sp2d_number=sp2d_number, sp2d_date=sp2d_date, amount=amount,
                                   spm_number=spm_number, payee_name=_text(cell("payee_name"))[:200],
                                   payee_npwp=npwp[:32], deductions=deductions))
    if not result.rows and not result.problems:
        result.problems.append(RowProblem(2, "", _("Berkas tidak memuat baris SP2D.")))
    if len(result.rows) > MAX_ROWS:
        result.problems.append(RowProblem(0, "", _("Berkas memuat lebih dari %(n)s baris; pecah per periode.")
                                          % {"n": MAX_ROWS}))
    return result
