"""Moving a draft through its formation stages (DOMAIN.md §4).

Every function here is a service in the house sense: keyword-only, one transaction, the formation row locked
(``select_for_update``), the policy checked (``perda.policy``), the FSM transition called, a ``StageRecord``
and an audit event written, a ``Version`` frozen where the law makes the text matter, and the viewflow task
of the stage completed so that ``FormationFlow`` addresses the next task to the next position.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from workflows.formatting import tanggal as _tanggal
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.acting import Acting
from workflows.models import User
from workflows.policy import Denied
from workflows.services.audit import audit_record

from .. import policy
from ..models import Formation, Regulation, StageRecord, Version
from ..states import RECORDABLE, Outcome, Stage
from .task_notice import formation_task_announce, formation_task_settle

log = logging.getLogger(__name__)

ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class FormationError(ValidationError):
    """Refused input (Indonesian message), shown on the form with what the user typed."""


# --- helpers --------------------------------------------------------------------------------------------

def attachment_validate(upload: UploadedFile | None) -> str:
    """Sniff the upload's content (not its name) and return its extension; raise ``FormationError``."""
    if upload is None:
        return ""
    import filetype

    if upload.size > ATTACHMENT_MAX_BYTES:
        raise FormationError(_("Berkas terlalu besar (paling besar 20 MB)."), code="too_large")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ATTACHMENT_TYPES:
        raise FormationError(
            _("Lampiran harus berupa PDF atau hasil pindai JPG/PNG (isi berkas tidak dikenali sebagai salah satunya)."),
            code="bad_type",
        )
    return ATTACHMENT_TYPES[kind.mime]


def _lock(formation: Formation) -> Formation:
    return Formation.objects.select_for_update().select_related("regulation").get(pk=formation.pk)


def _freeze(*, regulation: Regulation, label: str, actor: User | None, request=None, strict: bool,
            acting: Acting | None = None) -> Version | None:
    """Freeze the text through ``perda.services.versions.version_freeze``. ``strict``: structural errors refuse the action
    (a submission); otherwise (an outside party's result) the record is kept without a version."""
    from ..checks import ChecksFailed
    from .versions import version_freeze

    try:
        return version_freeze(regulation=regulation, label=label, actor=actor, request=request,
                              capacity=acting.capacity_label if acting else "")
    except ChecksFailed as exc:
        if strict:
            messages = [getattr(p, "message", str(p)) for p in getattr(exc, "problems", [])]
            raise FormationError(
                [_("Rancangan belum dapat diajukan; perbaiki dahulu:")] + messages, code="checks_failed"
            ) from exc
        log.warning("formation: version not frozen for %s: %s", regulation.pk, exc)
        return None


def _state(formation: Formation) -> dict[str, Any]:
    return {"stage": formation.stage, "stage_since": formation.stage_since}


def _record(
    *, formation: Formation, stage: str, outcome: str, received_on: dt.date, acting: Acting | None, actor: User | None,
    document_number: str = "", attachment: UploadedFile | None = None, note: str = "", version: Version | None = None,
) -> StageRecord:
    record = StageRecord(
        formation=formation, stage=stage, outcome=outcome, received_on=received_on,
        document_number=document_number.strip(), note=note.strip(), version=version, recorded_by=actor,
        capacity=acting.capacity_label if acting else "",
    )
    if attachment is not None:
        record.attachment_name = (attachment.name or "")[:255]
        record.attachment.save(attachment.name or "lampiran", attachment, save=False)
    record.save()
    return record


def flow_advance(*, formation: Formation, actor: User | None) -> None:
    """Complete the open task of ``FormationFlow`` so the flow routes to the task of the new stage.

    The caller has already checked the policy (viewflow does not enforce permissions on code calls).
    """
    if formation.process_id is None:
        return
    from viewflow.workflow.status import STATUS

    task = (
        formation.process.task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED])
        .exclude(flow_task_type__in=["START", "END"]).order_by("-pk").first()
    )
    if task is None:
        return
    if actor is None:
        raise ValueError("flow_advance needs the acting user")
    with task.activation() as activation:
        if task.status == STATUS.NEW:
            activation.assign(actor)
        elif task.status == STATUS.ASSIGNED and task.owner_id != actor.pk:
            activation.reassign(actor)  # the task is closed by whoever actually acted
        if activation.task.status == STATUS.ASSIGNED:
            activation.start(None)
        activation.execute()
    formation_task_settle(formation=formation)
    formation_task_announce(formation=formation)


def _audit(*, actor, acting: Acting | None, action: str, formation: Formation, before, request=None, reason="",
           extra: dict | None = None) -> None:
    after = _state(formation) | (extra or {})
    audit_record(
        actor=actor, action=action, obj=formation.regulation, capacity=acting.capacity_label if acting else "",
        before=before, after=after, reason=reason, request=request,
    )


# --- services -------------------------------------------------------------------------------------------

def formation_start(*, regulation: Regulation, actor: User | None, request=None) -> Formation:
    """Open the formation of a new draft and start ``FormationFlow``. A Perwali has no Propemperda stage:
    it starts in penyusunan."""
    from ..flows import FormationFlow

    with transaction.atomic():
        existing = Formation.objects.filter(regulation=regulation).first()
        if existing is not None:
            return existing
        formation = Formation.objects.create(regulation=regulation, stage_since=timezone.localdate())
        if regulation.kind == "perwali":
            formation.start_drafting(on=timezone.localdate())
            formation.save()
        audit_record(actor=actor, action="formation.start", obj=regulation, after=_state(formation), request=request)
        FormationFlow.start.run(formation=formation)
        formation_task_announce(formation=formation)
    formation.refresh_from_db()
    return formation


def formation_start_drafting(*, formation: Formation, actor: User, on: dt.date | None = None, request=None) -> Formation:
    """Perencanaan → penyusunan: the draft is in the Propemperda (or its urgency reason is recorded)."""
    with transaction.atomic():
        formation = _lock(formation)
        acting = policy.require_bagian_hukum(actor)
        policy.require_stage(formation, Stage.PERENCANAAN)
        before = _state(formation)
        on = on or timezone.localdate()
        formation.start_drafting(on=on)
        formation.save()
        _record(formation=formation, stage=Stage.PERENCANAAN, outcome=Outcome.MULAI, received_on=on,
                acting=acting, actor=actor)
        _audit(actor=actor, acting=acting, action="formation.start_drafting", formation=formation, before=before,
               request=request)
        flow_advance(formation=formation, actor=actor)
    return formation


def formation_submit(*, formation: Formation, actor: User, on: dt.date | None = None, note: str = "",
                     request=None) -> Version:
    """Penyusunan → harmonisasi: the pemrakarsa submits; the structural checks must pass; a version is frozen."""
    with transaction.atomic():
        formation = _lock(formation)
        acting = policy.require_may_draft(actor, formation.regulation)
        policy.require_stage(formation, Stage.PENYUSUNAN)
        before = _state(formation)
        on = on or timezone.localdate()
        version = _freeze(regulation=formation.regulation, label=_("Diajukan untuk pengharmonisasian"), actor=actor,
                          request=request, strict=True, acting=acting)
        formation.submit_harmonisasi(on=on)
        formation.save()
        _record(formation=formation, stage=Stage.PENYUSUNAN, outcome=Outcome.DIAJUKAN, received_on=on,
                acting=acting, actor=actor, note=note, version=version)
        _audit(actor=actor, acting=acting, action="formation.submit", formation=formation, before=before,
               request=request, extra={"version": version.seq})
        flow_advance(formation=formation, actor=actor)
    return version


# outcome -> (transition method name, needs a date argument)
_TRANSITIONS: dict[tuple[str, str], str] = {
    (Stage.HARMONISASI, Outcome.SELESAI): "finish_harmonisasi",
    (Stage.HARMONISASI, Outcome.DIKEMBALIKAN): "return_from_harmonisasi",
    (Stage.PEMBAHASAN_1, Outcome.SELESAI): "finish_pembahasan_1",
    (Stage.FASILITASI, Outcome.SESUAI): "finish_fasilitasi",
    (Stage.FASILITASI, Outcome.ADA_TEMUAN): "return_from_fasilitasi",
    (Stage.PEMBAHASAN_2, Outcome.DISETUJUI): "approve_jointly",
    (Stage.PENYERAHAN, Outcome.DITERIMA): "receive_by_walikota",
    (Stage.EVALUASI, Outcome.SESUAI): "pass_evaluasi",
    (Stage.EVALUASI, Outcome.TIDAK_SESUAI): "fail_evaluasi",
    (Stage.PERBAIKAN_EVALUASI, Outcome.DIPERBAIKI): "fix_evaluasi",
    (Stage.NOREG, Outcome.DIKIRIM): "send_for_noreg",
    (Stage.NOREG, Outcome.DITERBITKAN): "receive_noreg",
}
# Outcomes whose document number is the fact itself (cannot be left empty).
_NEEDS_NUMBER = {(Stage.NOREG, Outcome.DITERBITKAN), (Stage.PEMBAHASAN_2, Outcome.DISETUJUI)}


def formation_record(
    *, formation: Formation, actor: User, outcome: str, received_on: dt.date, document_number: str = "",
    attachment: UploadedFile | None = None, note: str = "", request=None,
) -> StageRecord:
    """Bagian Hukum records an outside party's result (Berita Acara harmonisasi, DPRD decision, fasilitasi
    findings, evaluasi result, noreg) with the document received; the FSM moves accordingly and the text
    at that moment is frozen as a version."""
    attachment_validate(attachment)
    with transaction.atomic():
        formation = _lock(formation)
        acting = policy.require_bagian_hukum(actor)
        stage = formation.stage
        if outcome not in RECORDABLE.get(stage, ()):
            raise FormationError(
                _("Hasil \"%(outcome)s\" tidak dapat dicatat pada tahap %(stage)s.")
                % {"outcome": outcome, "stage": formation.get_stage_display()}, code="bad_outcome",
            )
        if received_on > timezone.localdate():
            raise FormationError(_("Tanggal dokumen tidak boleh di masa depan."), code="future_date")
        if received_on < formation.stage_since:
            raise FormationError(
                _("Tanggal dokumen tidak boleh sebelum tahap ini dimulai (%(date)s).")
                % {"date": _tanggal(formation.stage_since)}, code="early_date",
            )
        if (stage, outcome) in _NEEDS_NUMBER and not document_number.strip():
            raise FormationError(_("Nomor dokumen wajib diisi untuk hasil ini."), code="number_required")
        if (stage, outcome) == (Stage.NOREG, Outcome.DITERBITKAN) and formation.noreg_sent_on is None:
            raise FormationError(_("Catat dahulu tanggal pengiriman rancangan kepada Gubernur untuk noreg."),
                                 code="noreg_not_sent")
        if (stage, outcome) == (Stage.NOREG, Outcome.DIKIRIM) and formation.noreg_sent_on is not None:
            raise FormationError(_("Pengiriman untuk noreg sudah dicatat."), code="noreg_already_sent")
        before = _state(formation)
        getattr(formation, _TRANSITIONS[(stage, outcome)])(on=received_on)
        formation.save()
        if (stage, outcome) == (Stage.NOREG, Outcome.DITERBITKAN):
            regulation = formation.regulation
            regulation.noreg = document_number.strip()
            regulation.save(update_fields=["noreg", "updated_at"])
        label = _("%(stage)s: %(outcome)s") % {"stage": Stage(stage).label, "outcome": Outcome(outcome).label}
        version = _freeze(regulation=formation.regulation, label=label[:200], actor=actor, request=request,
                          strict=False, acting=acting)
        record = _record(formation=formation, stage=stage, outcome=outcome, received_on=received_on, acting=acting,
                         actor=actor, document_number=document_number, attachment=attachment, note=note,
                         version=version)
        _audit(actor=actor, acting=acting, action="formation.record", formation=formation, before=before,
               request=request, extra={"outcome": outcome, "document_number": record.document_number,
                                       "record": record.pk})
        flow_advance(formation=formation, actor=actor)
    return record


def formation_withdraw(*, formation: Formation, actor: User, reason: str, agreement: str = "",
                       received_on: dt.date | None = None, attachment: UploadedFile | None = None,
                       request=None) -> Formation:
    """Withdraw a draft: freely before pembahasan tingkat I, afterwards only with a recorded joint agreement,
    never after persetujuan bersama."""
    attachment_validate(attachment)
    if not reason.strip():
        raise FormationError(_("Alasan penarikan wajib diisi."), code="reason_required")
    with transaction.atomic():
        formation = _lock(formation)
        acting = policy.require_bagian_hukum(actor)
        policy.check_withdrawal(formation, agreement)
        before = _state(formation)
        stage = formation.stage
        formation.withdraw(reason=reason.strip(), agreement=agreement.strip())
        formation.save()
        _record(formation=formation, stage=stage, outcome=Outcome.DITARIK,
                received_on=received_on or timezone.localdate(), acting=acting, actor=actor,
                document_number=agreement, attachment=attachment, note=reason)
        _audit(actor=actor, acting=acting, action="formation.withdraw", formation=formation, before=before,
               request=request, reason=reason)
        flow_advance(formation=formation, actor=actor)
    return formation


def formation_publish(*, formation: Formation, actor: User, request=None) -> Formation:
    """Penyebarluasan: publish the enacted regulation in the JDIH listing; the formation is complete.
    Refused while the frozen PDF is still rendering, or while the metadata Permenkumham 8/2019 requires is
    incomplete (``perda.metadata.missing_metadata``; the refusal names the missing fields)."""
    with transaction.atomic():
        formation = _lock(formation)
        acting = policy.require_bagian_hukum(actor)
        policy.require_stage(formation, Stage.PENYEBARLUASAN)
        if not formation.regulation.enacted_pdf_sha256:
            raise FormationError(_("PDF resmi peraturan ini masih dibuat; coba lagi sebentar lagi."),
                                 code="pdf_pending")
        from ..metadata import missing_metadata

        missing = missing_metadata(formation.regulation)
        if missing:
            raise FormationError(
                _("Metadata dokumen hukum belum lengkap (Permenkumham 8/2019); lengkapi dahulu: %(fields)s.")
                % {"fields": ", ".join(str(rule.label) for rule in missing)}, code="metadata_incomplete",
            )
        before = _state(formation)
        formation.publish()
        formation.save()
        _record(formation=formation, stage=Stage.PENYEBARLUASAN, outcome=Outcome.DIPUBLIKASIKAN,
                received_on=timezone.localdate(), acting=acting, actor=actor)
        _audit(actor=actor, acting=acting, action="formation.publish", formation=formation, before=before,
               request=request)
        flow_advance(formation=formation, actor=actor)
    return formation


def denied_record(*, actor: User, formation: Formation | None, action: str, denied: Denied, request=None) -> None:
    """Write the audit event of a refused action (``<thing>.denied``)."""
    with transaction.atomic():
        audit_record(
            actor=actor if getattr(actor, "is_authenticated", False) else None, action=f"{action}.denied",
            obj=formation.regulation if formation else None, reason=f"{denied.code}: {denied.message}",
            request=request,
        )


# --- deadlines: reminders and escalation ---------------------------------------------------------------

def reminder_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "PERDA_DEADLINE_REMINDER_DAYS", 2))


def formation_check_deadlines(*, today: dt.date | None = None) -> list:
    """Remind the responsible positions ``reminder_days()`` before a running deadline falls due, and escalate
    to them and the Kabag Hukum once it has passed. Each notice is sent once per deadline (``DeadlineNotice``),
    so the periodic task may run as often as it likes. Returns the notices written."""
    from django.urls import reverse

    from workflows.models import PositionKind
    from workflows.services.notify import notify_position

    from ..models import DeadlineNotice, NoticeKind
    from ..policy import position_of_kind
    from ..selectors import DeadlineRules, formation_deadlines
    from ..states import TERMINAL

    today = today or timezone.localdate()
    written = []
    rules = DeadlineRules()
    formations = Formation.objects.exclude(stage__in=TERMINAL).select_related("regulation")
    for formation in formations:
        for deadline in formation_deadlines(formation, rules):
            left = deadline.days_left(today)
            if left < 0:
                kind = NoticeKind.ESCALATION
            elif left <= reminder_days():
                kind = NoticeKind.REMINDER
            else:
                continue
            kinds = list(deadline.responsible)
            if kind == NoticeKind.ESCALATION and PositionKind.KABAG_HUKUM not in kinds:
                kinds.append(PositionKind.KABAG_HUKUM)
            with transaction.atomic():
                notice, created = DeadlineNotice.objects.get_or_create(
                    formation=formation, deadline_code=deadline.code, due_on=deadline.due, kind=kind,
                )
                if not created:
                    continue
                due = _tanggal(deadline.due)
                if kind == NoticeKind.REMINDER:
                    subject = _("Tenggat %(name)s: %(due)s") % {"name": deadline.name, "due": due}
                    body = _("%(reg)s — tenggat %(name)s jatuh pada %(due)s (%(left)s hari lagi). Dasar: %(basis)s") % {
                        "reg": formation.regulation, "name": deadline.name, "due": due, "left": left,
                        "basis": deadline.legal_basis}
                else:
                    subject = _("Lewat tenggat: %(name)s") % {"name": deadline.name}
                    body = _("%(reg)s — tenggat %(name)s telah lewat pada %(due)s. Dasar: %(basis)s") % {
                        "reg": formation.regulation, "name": deadline.name, "due": due, "basis": deadline.legal_basis}
                    if deadline.key in ("penetapan", "penetapan_evaluasi"):
                        body += " " + _("Bila tidak ditandatangani, Peraturan Daerah ini sah dan wajib diundangkan "
                                        "dengan kalimat \"Peraturan Daerah ini dinyatakan sah.\"")
                if deadline.alt_due:
                    body += " " + _("Dua dasar hukum menghitung berbeda (perlu dikonfirmasi): %(own)s dalam "
                                    "%(kind)s, %(alt)s dalam %(alt_kind)s.") % {
                        "own": _tanggal(deadline.own_due), "kind": deadline.day_kind_label,
                        "alt": _tanggal(deadline.alt_due), "alt_kind": deadline.alt_day_kind_label}
                url = reverse("perda:formation_detail", args=[formation.regulation_id])
                recipients = []
                for pkind in kinds:
                    position = (policy.pemrakarsa_position(formation.regulation) if pkind == PositionKind.PEMRAKARSA
                                else position_of_kind(pkind))
                    if position is None:
                        continue
                    for n in notify_position(position=position, subject=subject[:200], body=body, url=url,
                                             obj=formation.regulation, at=today):
                        recipients.append({"user": n.recipient_id, "capacity": n.capacity})
                notice.recipients = recipients
                notice.save(update_fields=["recipients"])
                audit_record(actor=None, action=f"formation.deadline.{kind}", obj=formation.regulation,
                             after={"code": deadline.code, "due": deadline.due, "recipients": recipients})
                written.append(notice)
    return written
