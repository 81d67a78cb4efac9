"""Paying an approved repair as Permendagri 77/2020 lays it out (DOMAIN.md §6).

LS (paid straight to the vendor), four acts by four officials, each a task of ``RepairFlow`` addressed to the
position that acts for the DPA the envelope belongs to:

1. ``payment_spp_submit`` — the Bendahara Pengeluaran (Pembantu), or the PPTK who prepares the SPP-LS
   material, prepares the SPP-LS: number, date, the vendor (name, NPWP, bank and account) and the taxes
   withheld (PPN, PPh), in whole rupiah;
2. ``payment_spp_verify`` / ``payment_spp_refuse`` — the PPK-SKPD verifies it, or sends it back with a reason;
3. ``payment_spm_issue`` / ``payment_spm_refuse`` — the PA/KPA signs the SPM, or refuses it back to the SPP;
4. ``payment_sp2d_issue`` / ``payment_sp2d_refuse`` — the Kuasa BUD at BPKAD issues the SP2D (the ledger turns
   the commitment into spending here, once), or refuses the SPM back to the PA/KPA.

UP (the bendahara's Uang Persediaan): ``payment_up_spend`` — the bendahara pays the repair from the UP cash
against its evidence (bukti); the ledger turns the commitment into spending here. There is no SPP for a single
repair paid from UP: it is accounted in the bendahara's SPJ and the UP is replenished by an SPP-GU for the
whole batch (``request_close`` records that the SPJ is done).

Each act is one transaction: the authority check (the user acts today for the step's position, in their
capacity — definitif, Plh or Plt), then the state check, the FSM transition, the ``PaymentDocument`` (append
only), the ledger movement where there is one, the audit event and the flow task.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.acting import local_date
from workflows.models import User

from ..models import PaymentDocument, PaymentDocumentKind as K, PaymentRoute, RepairRequest, RequestState as S
from ..policy import authorize_payment_step
from .errors import RequestError
from .ledger import envelope_pay
from .summaries import figures_apply, request_figures
from .requests import _clean_text, _denials, _emit, _finish_task, _lock, _snapshot, _sync, _task_scope

MAX_NUMBER = 64


@dataclass(frozen=True)
class Step:
    node: str  # the RepairFlow task this act completes
    state: str  # the state the request waits in
    kind: str  # PaymentDocumentKind
    route: str  # PaymentRoute
    event: str


SPP = Step("spp", S.APPROVED, K.SPP, PaymentRoute.LS, "spp_submitted")
VERIFY = Step("verify", S.SPP_SUBMITTED, K.VERIFICATION, PaymentRoute.LS, "spp_verified")
SPM = Step("spm", S.SPP_VERIFIED, K.SPM, PaymentRoute.LS, "spm_issued")
SP2D = Step("sp2d", S.SPM_ISSUED, K.SP2D, PaymentRoute.LS, "paid")
UP = Step("up_spend", S.APPROVED, K.UP_SPEND, PaymentRoute.UP, "paid")
STEPS = {s.node: s for s in (SPP, VERIFY, SPM, SP2D, UP)}


def _clean_number(value: str, *, field: str, label: str) -> str:
    value = _clean_text(value, field=field, label=label)
    if len(value) > MAX_NUMBER:
        raise RequestError("too_long", _("%(label)s terlalu panjang (maksimal %(n)s karakter).")
                           % {"label": label, "n": MAX_NUMBER}, field)
    return value


def _clean_date(value, *, field: str = "issued_on") -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise RequestError("invalid_date", _("Tanggal tidak valid."), field)
    if value > local_date():
        raise RequestError("future_date", _("Tanggal tidak boleh di masa depan."), field)
    return value


def _clean_rupiah(value, *, field: str, label: str) -> int:
    """A whole rupiah amount that may be zero (a tax not withheld)."""
    if value in (None, ""):
        return 0
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if text.lower().startswith("rp"):
            text = text[2:]
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
        if not re.fullmatch(r"[0-9]{1,15}", text):
            raise RequestError("amount_not_numeric", _("%(label)s harus berupa bilangan bulat rupiah.")
                               % {"label": label}, field)
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RequestError("amount_not_numeric", _("%(label)s harus berupa bilangan bulat rupiah.")
                           % {"label": label}, field)
    return value


def _clean_npwp(value: str) -> str:
    """An NPWP of 15 digits (the old form, 99.999.999.9-999.999) or 16 (the NIK-based form since 2024)."""
    value = _clean_text(value, field="payee_npwp", label=_("NPWP penerima"))
    digits = re.sub(r"[.\-\s]", "", value)
    if not re.fullmatch(r"[0-9]{15,16}", digits):
        raise RequestError("invalid_npwp", _("NPWP harus 15 atau 16 digit angka."), "payee_npwp")
    return value


def _clean_account(value: str) -> str:
    value = _clean_text(value, field="bank_account", label=_("Nomor rekening"))
    if not re.fullmatch(r"[0-9][0-9.\-\s]{4,38}[0-9]", value) or not 6 <= len(re.sub(r"\D", "", value)) <= 20:
        raise RequestError("invalid_account", _("Nomor rekening harus 6–20 digit angka."), "bank_account")
    return value


def _last_date(obj: RepairRequest) -> dt.date | None:
    """The date of the latest act the next one may not precede (the approval, or the newest document)."""
    last = obj.payment_documents.order_by("-pk").values_list("issued_on", flat=True).first()
    return last or (local_date(obj.decided_at) if obj.decided_at else None)


def _act(*, step: Step, request_obj: RepairRequest, actor: User, issued_on: dt.date | None, number: str = "",
         reason: str = "", refuse: bool = False, fields: dict | None = None, request=None) -> RepairRequest:
    attempted = f"payment.{step.node}" + (".refuse" if refuse else "")
    with _denials(actor=actor, obj=request_obj, attempted=attempted, request=request):
        with _task_scope(request_obj, [step.node], required=False) as activation:
            obj = _lock(request_obj)
            # Who first: an outsider learns nothing about the request's state.
            acting = authorize_payment_step(user=actor, request_obj=obj, step=step.node)
            if obj.state != step.state or obj.payment_route != step.route:
                raise RequestError("wrong_state", _("Permohonan ini tidak sedang menunggu tindakan ini (status: "
                                                    "%(state)s).") % {"state": obj.get_state_display()})
            on = issued_on or local_date()
            earliest = _last_date(obj)
            if earliest and on < earliest:
                raise RequestError("invalid_date", _("Tanggal tidak boleh sebelum tindakan sebelumnya (%(d)s).")
                                   % {"d": earliest.strftime("%d-%m-%Y")}, "issued_on")
            before = _snapshot(obj)
            figures = request_figures(obj)
            doc = PaymentDocument.objects.create(
                request=obj, kind=step.kind, refused=refuse, reason=reason, number=number, issued_on=on,
                signer=actor, signer_name=actor.get_full_name() or actor.username, position=acting.position,
                capacity_label=acting.capacity_label, amount=obj.amount, **(fields or {}))
            entry = None
            if refuse:
                {VERIFY: obj.refuse_spp, SPM: obj.refuse_spm, SP2D: obj.refuse_sp2d}[step]()
                obj.status_note = reason
                event = f"{step.kind}_refused"
            else:
                if step in (SP2D, UP):
                    docs = {d.kind: d for d in obj.payment_documents.filter(refused=False).order_by("pk")}
                    entry = envelope_pay(
                        envelope=obj.envelope, amount=obj.amount, request_obj=obj, actor=actor,
                        spp=getattr(docs.get(K.SPP), "number", ""), spm=getattr(docs.get(K.SPM), "number", ""),
                        sp2d=number if step is SP2D else "", paid_on=on, capacity=acting.capacity_label,
                        request=request, note=_("Bukti %(n)s") % {"n": number} if step is UP else "")
                    obj.paid_at = timezone.now()
                {SPP: obj.submit_spp, VERIFY: obj.verify_spp, SPM: obj.issue_spm, SP2D: obj.issue_sp2d,
                 UP: obj.spend_from_up}[step]()
                obj.status_note = ""
                event = step.event
            obj.save()
            figures_apply(before=figures, after=request_figures(obj))
            from workflows.services.audit import audit_record

            audit_record(actor=actor, action=f"repair_request.{event}", obj=obj, capacity=acting.capacity_label,
                         before=before, reason=reason,
                         after={**_snapshot(obj), "document": doc.pk, "kind": step.kind, "number": number,
                                "issued_on": on.isoformat(), "position": acting.position.pk,
                                "entry": entry.pk if entry else None, **(fields or {})},
                         request=request)
            _finish_task(activation, actor, request, obj)
            _emit(obj, event, actor, document=doc.pk)
    _sync(request_obj, obj)
    return request_obj


def payment_spp_submit(*, request_obj: RepairRequest, actor: User, number: str, issued_on: dt.date, payee_name: str,
                       payee_npwp: str, bank_name: str, bank_account: str, ppn=0, pph=0, pph_article: str = "",
                       contract_number: str = "", contract_date: dt.date | None = None, evidence: str = "",
                       request=None) -> RepairRequest:
    """The SPP-LS for an approved LS request, with the vendor paid, the taxes withheld and (when there is one)
    the contract and its evidence, which SIPD asks for when the SPP is keyed in."""
    number = _clean_number(number, field="number", label=_("Nomor SPP"))
    issued_on = _clean_date(issued_on)
    fields = {
        "payee_name": _clean_text(payee_name, field="payee_name", label=_("Nama penerima"))[:200],
        "payee_npwp": _clean_npwp(payee_npwp),
        "bank_name": _clean_text(bank_name, field="bank_name", label=_("Bank"))[:100],
        "bank_account": _clean_account(bank_account),
        "ppn": _clean_rupiah(ppn, field="ppn", label=_("PPN")),
        "pph": _clean_rupiah(pph, field="pph", label=_("PPh")),
        "pph_article": (pph_article or "").strip()[:32],
        "contract_number": (contract_number or "").strip()[:MAX_NUMBER],
        "contract_date": _clean_date(contract_date, field="contract_date") if contract_date else None,
        "evidence": (evidence or "").strip()[:200],
    }
    if fields["ppn"] + fields["pph"] >= request_obj.amount:
        raise RequestError("taxes_too_large", _("Potongan pajak tidak boleh sama dengan atau melebihi nilai bruto."),
                           "pph")
    return _act(step=SPP, request_obj=request_obj, actor=actor, issued_on=issued_on, number=number, fields=fields,
                request=request)


def payment_spp_verify(*, request_obj: RepairRequest, actor: User, issued_on: dt.date | None = None,
                       request=None) -> RepairRequest:
    """The PPK-SKPD found the SPP complete and correct."""
    issued_on = _clean_date(issued_on) if issued_on else None
    return _act(step=VERIFY, request_obj=request_obj, actor=actor, issued_on=issued_on, request=request)


def payment_spp_refuse(*, request_obj: RepairRequest, actor: User, reason: str, request=None) -> RepairRequest:
    """The PPK-SKPD sends the SPP back to the bendahara with the reason."""
    reason = _clean_text(reason, field="reason", label=_("Alasan"))
    return _act(step=VERIFY, request_obj=request_obj, actor=actor, issued_on=None, reason=reason, refuse=True,
                request=request)


def payment_spm_issue(*, request_obj: RepairRequest, actor: User, number: str, issued_on: dt.date,
                      request=None) -> RepairRequest:
    """The PA/KPA signs the SPM-LS."""
    number = _clean_number(number, field="number", label=_("Nomor SPM"))
    return _act(step=SPM, request_obj=request_obj, actor=actor, issued_on=_clean_date(issued_on), number=number,
                request=request)


def payment_spm_refuse(*, request_obj: RepairRequest, actor: User, reason: str, request=None) -> RepairRequest:
    """The PA/KPA refuses to sign the SPM: the SPP goes back to the bendahara with the reason."""
    reason = _clean_text(reason, field="reason", label=_("Alasan"))
    return _act(step=SPM, request_obj=request_obj, actor=actor, issued_on=None, reason=reason, refuse=True,
                request=request)


def payment_sp2d_issue(*, request_obj: RepairRequest, actor: User, number: str, issued_on: dt.date,
                       request=None) -> RepairRequest:
    """The Kuasa BUD issues the SP2D: the commitment becomes spending."""
    number = _clean_number(number, field="number", label=_("Nomor SP2D"))
    return _act(step=SP2D, request_obj=request_obj, actor=actor, issued_on=_clean_date(issued_on), number=number,
                request=request)


def payment_sp2d_refuse(*, request_obj: RepairRequest, actor: User, reason: str, request=None) -> RepairRequest:
    """The Kuasa BUD refuses the SPM: it goes back to the PA/KPA with the reason."""
    reason = _clean_text(reason, field="reason", label=_("Alasan"))
    return _act(step=SP2D, request_obj=request_obj, actor=actor, issued_on=None, reason=reason, refuse=True,
                request=request)


def payment_up_spend(*, request_obj: RepairRequest, actor: User, bukti_number: str, issued_on: dt.date,
                     payee_name: str, request=None) -> RepairRequest:
    """The bendahara pays an approved UP request from the UP cash against its evidence (kuitansi/nota)."""
    number = _clean_number(bukti_number, field="number", label=_("Nomor bukti"))
    fields = {"payee_name": _clean_text(payee_name, field="payee_name", label=_("Nama penerima"))[:200]}
    return _act(step=UP, request_obj=request_obj, actor=actor, issued_on=_clean_date(issued_on), number=number,
                fields=fields, request=request)


def payment_record(*, request_obj: RepairRequest, actor: User, step: str, refuse: bool = False, data: dict,
                   request=None) -> RepairRequest:
    """One payment act named by its step (``spp``, ``verify``, ``spm``, ``sp2d``, ``up_spend``), from a form's or
    the API's cleaned data (``number``, ``issued_on``, ``reason`` and the SPP's vendor fields)."""
    if step not in STEPS or (refuse and step not in ("verify", "spm", "sp2d")):
        raise RequestError("invalid_choice", _("Langkah pembayaran tidak dikenal."), "step")
    common = dict(request_obj=request_obj, actor=actor, request=request)
    if refuse:
        refuse_fn = {"verify": payment_spp_refuse, "spm": payment_spm_refuse, "sp2d": payment_sp2d_refuse}[step]
        return refuse_fn(reason=data.get("reason", ""), **common)
    if step == "spp":
        return payment_spp_submit(
            number=data.get("number", ""), issued_on=data.get("issued_on"), payee_name=data.get("payee_name", ""),
            payee_npwp=data.get("payee_npwp", ""), bank_name=data.get("bank_name", ""),
            bank_account=data.get("bank_account", ""), ppn=data.get("ppn") or 0, pph=data.get("pph") or 0,
            pph_article=data.get("pph_article", ""), contract_number=data.get("contract_number", ""),
            contract_date=data.get("contract_date"), evidence=data.get("evidence", ""), **common)
    if step == "verify":
        return payment_spp_verify(issued_on=data.get("issued_on"), **common)
    if step == "up_spend":
        return payment_up_spend(bukti_number=data.get("number", ""), issued_on=data.get("issued_on"),
                                payee_name=data.get("payee_name", ""), **common)
    issue = payment_spm_issue if step == "spm" else payment_sp2d_issue
    return issue(number=data.get("number", ""), issued_on=data.get("issued_on"), **common)


__all__ = [
    "STEPS", "payment_record", "payment_sp2d_issue", "payment_sp2d_refuse", "payment_spm_issue", "payment_spm_refuse",
    "payment_spp_refuse", "payment_spp_submit", "payment_spp_verify", "payment_up_spend",
]
