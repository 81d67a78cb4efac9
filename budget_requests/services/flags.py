"""Red flags: recording the split-purchase findings of a submitted request, and the Inspektorat's review.

``flags_detect`` runs inside ``request_submit``'s transaction (the request locked, its route frozen);
``redflag_review`` is the Inspektorat marking a flag reviewed with a finding, audited.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.acting import local_date
from workflows.formatting import rupiah, tanggal
from workflows.models import User
from workflows.services.audit import audit_record

from .. import redflags
from ..models import RedFlag, RedFlagFinding, RepairRequest
from ..policy import authorize_flag_review
from .errors import RequestError

MAX_NOTE = 4000


def _basis_label(basis: str) -> str:
    return str(redflags.BASIS_LABELS.get(basis, basis))


def explain(finding: redflags.SplitFinding, request_obj: RepairRequest, related: dict[int, tuple]) -> str:
    """One paragraph for the Inspektorat: which requests, which grouping, which limit, which rule."""
    pieces = [(request_obj.number or str(request_obj.pk), request_obj.amount, request_obj.submitted_at)]
    pieces += [related[i] for i in finding.related_ids if i in related]
    listing = "; ".join(f"{number} {rupiah(amount)} ({tanggal(at)})" for number, amount, at in
                        sorted(pieces, key=lambda p: p[2] or timezone.now()))
    limit = (_("batas pengadaan langsung") if finding.threshold_kind == "procurement"
             else _("batas kewenangan pejabat yang memutus"))
    return _(
        "%(n)s permohonan dari DPA yang sama dengan %(basis)s (%(value)s) antara %(start)s dan %(end)s berjumlah "
        "%(total)s, melampaui %(limit)s %(threshold)s, sedangkan masing-masing tidak melampauinya: %(list)s. "
        "Dasar: %(legal)s."
    ) % {"n": len(pieces), "basis": _basis_label(finding.basis), "value": finding.basis_value,
         "start": tanggal(finding.window_start), "end": tanggal(finding.window_end), "total": rupiah(finding.total),
         "limit": limit, "threshold": rupiah(finding.threshold), "list": listing,
         "legal": finding.legal_basis or _("aturan pelimpahan wewenang yang berlaku")}


def flags_detect(*, request_obj: RepairRequest, at: dt.datetime) -> list[RedFlag]:
    """Record the split-purchase findings of a request being submitted (its route already frozen). A
    resubmission does not repeat a finding already recorded for the same group."""
    window = redflags.settings_window()
    findings = redflags.find_split_purchases(
        redflags.purchase_of(request_obj, at),
        redflags.dpa_history(request_obj, since=redflags.window_start(at, window)),
        window=window, procurement_threshold=redflags.settings_procurement_threshold(),
    )
    if not findings:
        return []
    existing = {(f.basis, tuple(sorted(r.pk for r in f.related_requests.all())))
                for f in request_obj.red_flags.prefetch_related("related_requests")} if request_obj.revision else set()
    ids = {i for f in findings for i in f.related_ids}
    related = {pk: (number or str(pk), amount, submitted) for pk, number, amount, submitted in
               RepairRequest.objects.filter(pk__in=ids).values_list("pk", "number", "amount", "submitted_at")}
    flags = []
    for f in findings:
        if (f.basis, tuple(sorted(f.related_ids))) in existing:
            continue
        if f.basis == "asset":  # the asset's tag in words, not its row id
            f = dataclasses.replace(f, basis_value=request_obj.asset.tag)
        flag = RedFlag.objects.create(
            request=request_obj, basis=f.basis, basis_value=f.basis_value[:200], window_days=window.days,
            window_start=f.window_start, window_end=f.window_end, total=f.total, threshold=f.threshold,
            threshold_kind=f.threshold_kind, legal_basis=f.legal_basis[:300],
            explanation=explain(f, request_obj, related),
        )
        flag.related_requests.set(f.related_ids)
        flags.append(flag)
    return flags


def redflag_review(*, flag: RedFlag, actor: User, finding: str, note: str, request=None) -> RedFlag:
    """The Inspektorat marks a flag reviewed with its finding and a note (required). A later review replaces
    the finding; the audit trail keeps every one."""
    if finding not in RedFlagFinding.values:
        raise RequestError("invalid_choice", _("Pilih temuan telaah."), "finding")
    note = (note or "").strip()
    if not note:
        raise RequestError("required", _("Catatan telaah wajib diisi."), "note")
    if len(note) > MAX_NOTE:
        raise RequestError("too_long", _("Catatan telaah terlalu panjang (maksimal %(n)s karakter).") % {"n": MAX_NOTE},
                           "note")
    with transaction.atomic():
        acting = authorize_flag_review(user=actor)
        locked = RedFlag.objects.select_for_update().get(pk=flag.pk)
        before = {"finding": locked.finding, "review_note": locked.review_note,
                  "reviewed_by": locked.reviewed_by_id}
        locked.finding, locked.review_note = finding, note
        locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
        locked.save(update_fields=["finding", "review_note", "reviewed_by", "reviewed_at"])
        audit_record(actor=actor, action="red_flag.reviewed", obj=locked, capacity=acting.capacity_label,
                     before=before, after={"finding": finding, "review_note": note, "reviewed_by": actor.pk,
                                           "request": locked.request_id, "on": local_date().isoformat()},
                     request=request)
    for name in ("finding", "review_note", "reviewed_by", "reviewed_at"):
        setattr(flag, name, getattr(locked, name))
    return flag


__all__ = ["flags_detect", "redflag_review", "explain"]
