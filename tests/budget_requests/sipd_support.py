"""What SIPD would give back for an export batch: an SP2D list with one SP2D per exported SPM (shared by the
unit tests and the browser round trip)."""
from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook, load_workbook

from budget_requests.sipd.layout import EXPORT_COLUMNS

SP2D_HEADER = ["Nomor SP2D", "Tanggal SP2D", "Nilai", "Nomor SPM", "Pihak Ketiga", "NPWP", "Potongan"]


def sp2d_xlsx_from_export(export_xlsx: bytes, *, on: dt.date, change_amount_of: str | None = None) -> bytes:
    ws = load_workbook(io.BytesIO(export_xlsx)).active
    header = [c.value for c in ws[1]]
    col = {key: header.index(str(label)) for key, label, _kind in EXPORT_COLUMNS}
    out = Workbook()
    sheet = out.active
    sheet.append(SP2D_HEADER)
    for i, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=1):
        amount = row[col["nilai"]] + (1000 if row[col["nomor_spm"]] == change_amount_of else 0)
        sheet.append([f"SP2D/{i:04d}", on, amount, row[col["nomor_spm"]], row[col["pihak_ketiga"]],
                      row[col["npwp"]], row[col["ppn"]] + row[col["pph"]]])
    data = io.BytesIO()
    out.save(data)
    return data.getvalue()


def sp2d_rows(sp2d_xlsx_or_export: bytes) -> list[tuple]:
    """The data rows of a workbook (the header left out)."""
    return list(load_workbook(io.BytesIO(sp2d_xlsx_or_export)).active.iter_rows(min_row=2, values_only=True))
