"""Importing an SP2D file from SIPD and reconciling it with Pamong's ledger, and BPKAD's action on each line.

Outcomes (``Outcome``): an SP2D whose SPM is Pamong's latest signed SPM of an LS request, with the same gross
value and deductions (matched) or not (different amount); an SP2D whose SPM Pamong does not know (missing in
Pamong); and an SPM sent to SIPD in an export batch, still waiting for its SP2D, that the file does not list
(missing in SIPD). Actions: a matched SP2D is recorded on its payment through ``payment_sp2d_issue`` (the
Kuasa BUD's own act, with the ledger movement), any open line can be marked resolved with a note.

Idempotent: an import is identified by the SHA-256 of the rows read; importing the same SP2D list again
returns the first reconciliation and writes nothing. An SP2D already recorded on its payment is shown as recorded, and
recording is refused once the payment has its SP2D, so nothing is paid twice.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.acting import local_date
from workflows.models import User
from workflows.services.audit import audit_record

from ..errors import RequestError
from ..models import PaymentDocument, PaymentDocumentKind as K, RequestState as S
from ..services.payments import payment_sp2d_issue
from .models import LineStatus, Outcome, Sp2dImport, Sp2dLine, SipdExportLine
from .policy import require_bpkad
from .sp2d_file import RowProblem, read_sp2d_file


class Sp2dFileError(RequestError):
    """The file has problems; ``problems`` lists each (row, column, message). Nothing was written."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__("bad_file", _("Berkas SP2D memuat %(n)s kesalahan; tidak ada yang disimpan.")
                         % {"n": len(problems)}, "file")
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    imported: Sp2dImport
    created: bool  # False: the same file had been imported before


def _latest_docs(request_ids, kind: str) -> dict[int, PaymentDocument]:
    docs = {}
    for doc in PaymentDocument.objects.filter(request_id__in=request_ids, kind=kind, refused=False).order_by("pk"):
        docs[doc.request_id] = doc
    return docs


def _content_digest(rows) -> str:
    """SHA-256 of the rows read, without their row numbers: an xlsx saved again differs in its bytes (timestamps
    in its metadata) but not here."""
    canonical = json.dumps([[r.sp2d_number, r.sp2d_date.isoformat(), r.amount, r.spm_number, r.payee_name,
                             r.payee_npwp, r.deductions] for r in rows], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def sp2d_import(*, file, actor: User, request=None) -> ImportResult:
    """Read ``file`` (an uploaded xlsx or CSV), reconcile and record it in one transaction; audited
    (``sipd.sp2d_imported``). ``Sp2dFileError`` with every problem when any row is wrong."""
    capacity = require_bpkad(actor, attempted="sp2d_import", request=request)
    file.seek(0)
    parsed = read_sp2d_file(file.read(), getattr(file, "name", "") or "", today=local_date())
    if not parsed.ok:
        raise Sp2dFileError(parsed.problems)
    digest = _content_digest(parsed.rows)
    existing = Sp2dImport.objects.filter(content_sha256=digest).first()
    if existing is not None:
        return ImportResult(existing, False)
    with transaction.atomic():
        imported = Sp2dImport.objects.create(created_by=actor, capacity_label=capacity,
                                             file_name=(getattr(file, "name", "") or "sp2d")[-200:],
                                             content_sha256=digest, row_count=len(parsed.rows))
        spm_numbers = {r.spm_number for r in parsed.rows}
        spms: dict[str, PaymentDocument] = {}
        for doc in (PaymentDocument.objects.filter(kind=K.SPM, refused=False, number__in=spm_numbers)
                    .select_related("request").order_by("pk")):
            spms[doc.number] = doc  # a re-signed SPM with the same number: the latest
        request_ids = [d.request_id for d in spms.values()]
        spps = _latest_docs(request_ids, K.SPP)
        sp2ds = _latest_docs(request_ids, K.SP2D)
        lines = []
        for row in parsed.rows:
            line = Sp2dLine(imported=imported, row_number=row.row_number, sp2d_number=row.sp2d_number,
                            sp2d_date=row.sp2d_date, amount=row.amount, deductions=row.deductions,
                            spm_number=row.spm_number, payee_name=row.payee_name, payee_npwp=row.payee_npwp)
            spm = spms.get(row.spm_number)
            if spm is None:
                line.outcome = Outcome.MISSING_IN_PAMONG
            else:
                spp = spps.get(spm.request_id)
                line.request, line.spm, line.pamong_amount = spm.request, spm, spm.amount
                line.pamong_deductions = (spp.ppn + spp.pph) if spp else 0
                differs = row.amount != spm.amount or (row.deductions is not None
                                                        and row.deductions != line.pamong_deductions)
                line.outcome = Outcome.DIFFERENT_AMOUNT if differs else Outcome.MATCHED
                paid = sp2ds.get(spm.request_id)
                if line.outcome == Outcome.MATCHED and paid is not None and paid.number == row.sp2d_number:
                    line.status = LineStatus.RECORDED
                    line.note = _("SP2D ini sudah tercatat di Pamong.")
                elif paid is not None:  # paid in Pamong under another SP2D number: BPKAD explains it
                    line.note = _("Pamong mencatat SP2D %(n)s untuk SPM ini.") % {"n": paid.number}
            lines.append(line)
        lines.extend(_missing_in_sipd(imported, {r.spm_number for r in parsed.rows}))
        Sp2dLine.objects.bulk_create(lines)
        counts = {o: sum(1 for line in lines if line.outcome == o) for o in Outcome.values}
        audit_record(actor=actor, action="sipd.sp2d_imported", obj=imported, capacity=capacity, request=request,
                     after={"file": imported.file_name, "content_sha256": digest, "rows": len(parsed.rows), **counts})
    return ImportResult(imported, True)


def _missing_in_sipd(imported: Sp2dImport, listed: set[str]) -> list[Sp2dLine]:
    """An SPM exported to SIPD whose request still waits for its SP2D, and that the file does not list."""
    waiting = (SipdExportLine.objects.filter(request__state=S.SPM_ISSUED)
               .select_related("spm", "request").order_by("spm_id"))
    latest = {}
    for exported in waiting:
        latest[exported.request_id] = exported.spm  # the latest exported SPM of each request
    current = _latest_docs(latest.keys(), K.SPM)
    out = []
    for request_id, spm in latest.items():
        if current.get(request_id) != spm or spm.number in listed:
            continue
        out.append(Sp2dLine(imported=imported, outcome=Outcome.MISSING_IN_SIPD, spm_number=spm.number,
                            request_id=request_id, spm=spm, pamong_amount=spm.amount))
    return out


def _locked_line(line: Sp2dLine) -> Sp2dLine:
    return Sp2dLine.objects.select_for_update().select_related("imported").get(pk=line.pk)


def sp2d_line_record(*, line: Sp2dLine, actor: User, request=None) -> Sp2dLine:
    """Record a matched SP2D on its payment through the payment service (the Kuasa BUD's act: its own authority
    check, ledger movement and audit), then mark the line recorded (``sipd.sp2d_line_recorded``)."""
    capacity = require_bpkad(actor, attempted="sp2d_line_record", request=request)
    if line.outcome != Outcome.MATCHED or line.status != LineStatus.OPEN:
        raise RequestError("wrong_state", _("Baris ini tidak dapat dicatat sebagai SP2D (hasil: %(o)s, status: "
                                            "%(s)s).") % {"o": line.get_outcome_display(),
                                                          "s": line.get_status_display()})
    obj = line.request
    obj.refresh_from_db()
    if obj.state == S.SPM_ISSUED:
        # Outside any transaction of ours: a refusal is audited by the payment service in its own.
        payment_sp2d_issue(request_obj=obj, actor=actor, number=line.sp2d_number, issued_on=line.sp2d_date,
                           request=request)
    elif not PaymentDocument.objects.filter(request=obj, kind=K.SP2D, refused=False,
                                            number=line.sp2d_number).exists():
        raise RequestError("wrong_state", _("Permohonan %(n)s tidak sedang menunggu SP2D (status: %(s)s).")
                           % {"n": obj, "s": obj.get_state_display()})
    return _close_line(line=line, actor=actor, capacity=capacity, status=LineStatus.RECORDED, note="",
                       request=request, action="sipd.sp2d_line_recorded")


def sp2d_line_resolve(*, line: Sp2dLine, actor: User, note: str, request=None) -> Sp2dLine:
    """Close an open line with BPKAD's explanation (e.g. "SP2D diterbitkan ulang dengan nilai koreksi")."""
    capacity = require_bpkad(actor, attempted="sp2d_line_resolve", request=request)
    note = (note or "").strip()
    if not note:
        raise RequestError("required", _("Catatan penyelesaian wajib diisi."), "note")
    return _close_line(line=line, actor=actor, capacity=capacity, status=LineStatus.RESOLVED, note=note[:2000],
                       request=request, action="sipd.sp2d_line_resolved")


def _close_line(*, line: Sp2dLine, actor: User, capacity: str, status: str, note: str, request,
                action: str) -> Sp2dLine:
    with transaction.atomic():
        locked = _locked_line(line)
        if locked.status != LineStatus.OPEN:
            raise RequestError("wrong_state", _("Baris ini sudah ditangani (%(s)s).")
                               % {"s": locked.get_status_display()})
        before = {"status": locked.status}
        locked.status, locked.note = status, note
        locked.handled_by, locked.handled_at = actor, timezone.now()
        locked.save(update_fields=["status", "note", "handled_by", "handled_at"])
        audit_record(actor=actor, action=action, obj=locked.imported, capacity=capacity, before=before,
                     reason=note, request=request,
                     after={"line": locked.pk, "row": locked.row_number, "outcome": locked.outcome,
                            "status": status, "sp2d": locked.sp2d_number, "spm": locked.spm_number,
                            "request": locked.request_id})
    return locked
