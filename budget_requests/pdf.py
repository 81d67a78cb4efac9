"""PDF documents of a repair request, rendered by ``workflows.services.documents`` in a Celery task.

Renderers (``obj -> html``, passed by dotted path to ``document_request``):

* ``decision_letter`` — kind ``keputusan``: the decision (approval or rejection) with the route, who decided
  in which capacity under which rule of the delegation matrix;
* ``payment_request`` — kind ``spp``: the payment documents (LS: SPP-LS, verification, SPM-LS, SP2D; UP: the
  evidence of the spend from UP), the amount in figures (``rupiah_sen``) and in words (``terbilang``), each
  signed by its official in their capacity;
* ``forwarding_letter`` — kind ``penerusan``: the "Surat Penerusan" of a request on a province-owned asset to
  the Gubernur Banten (u.p. the Biro concerned).

``can_view(user, obj)`` is the download hook: whoever may see the request may download its documents.
``on_request_event`` requests the documents when the events happen (connected in ``apps.ready``).
The HTML holds no "generated at" time, so the same content is rendered once (documents are cached by hash).
"""
from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string

from workflows.formatting import rupiah, rupiah_sen, tanggal, terbilang
from workflows.region import current_region
from workflows.tasks import RETRY

from .models import DecisionOutcome, RepairRequest, RequestState

logger = logging.getLogger(__name__)

KIND_DECISION = "keputusan"
KIND_SPP = "spp"
KIND_FORWARDING = "penerusan"
RENDERERS = {
    KIND_DECISION: "budget_requests.pdf.decision_letter",
    KIND_SPP: "budget_requests.pdf.payment_request",
    KIND_FORWARDING: "budget_requests.pdf.forwarding_letter",
}


def _load(obj: RepairRequest) -> RepairRequest:
    return (
        RepairRequest.objects.select_related("org_unit", "org_unit__parent", "asset", "envelope", "requester",
                                             "requester_position")
        .prefetch_related("decisions__actor", "decisions__rule", "quotes", "ledger_entries", "payment_documents")
        .get(pk=obj.pk)
    )


def _letter_number(obj: RepairRequest, code: str) -> str:
    return f"{code}/{obj.number or obj.pk}"


def _units(obj: RepairRequest) -> list[str]:
    units = []
    unit = obj.org_unit
    while unit is not None and unit.kind in ("kelurahan", "kecamatan"):
        units.append(str(unit).upper())
        unit = unit.parent
    return list(reversed(units))


def _context(obj: RepairRequest) -> dict:
    final = [d for d in obj.decisions.all() if d.revision == obj.revision]
    return {
        "obj": obj,
        "city": current_region().full_name,
        "region": current_region(),
        "units": _units(obj),
        "amount_figures": rupiah_sen(obj.amount),
        "amount_short": rupiah(obj.amount),
        "amount_words": terbilang(obj.amount).capitalize(),
        "decisions": final,
        "last": final[-1] if final else None,
    }


def decision_letter(obj: RepairRequest) -> str:
    obj = _load(obj)
    ctx = _context(obj)
    ctx["approved"] = obj.state in (RequestState.APPROVED, RequestState.SPP_SUBMITTED, RequestState.SPP_VERIFIED,
                                    RequestState.SPM_ISSUED, RequestState.PAID, RequestState.CLOSED)
    ctx["number"] = _letter_number(obj, "KEP")
    ctx["date"] = tanggal(obj.decided_at) if obj.decided_at else ""
    return render_to_string("budget_requests/pdf_decision.html", ctx)


def payment_request(obj: RepairRequest) -> str:
    """The payment documents of the request with the officials who signed each, in their capacity: for LS the
    SPP-LS (vendor, NPWP, bank, taxes withheld, net), its verification, the SPM-LS and the SP2D, refusals
    included; for UP the evidence of the spend from the UP cash (there is no SPP of its own)."""
    from .models import PaymentDocumentKind as K, PaymentRoute

    obj = _load(obj)
    ctx = _context(obj)
    docs = list(obj.payment_documents.select_related("position").order_by("pk"))
    current = {d.kind: d for d in docs if not d.refused}
    spp = current.get(K.SPP) or current.get(K.UP_SPEND)
    ctx.update({
        "is_ls": obj.payment_route == PaymentRoute.LS,
        "documents": docs,
        "refusals": [d for d in docs if d.refused],
        "spp": spp,
        "signed": [current[k] for k in (K.SPP, K.VERIFICATION, K.SPM, K.SP2D, K.UP_SPEND) if k in current],
        "net_figures": rupiah_sen(spp.net_amount) if spp else "",
        "number": spp.number if spp else _letter_number(obj, "SPP"),
        "date": tanggal(spp.issued_on) if spp else "",
    })
    return render_to_string("budget_requests/pdf_spp.html", ctx)


def forwarding_letter(obj: RepairRequest) -> str:
    obj = _load(obj)
    ctx = _context(obj)
    ctx["number"] = _letter_number(obj, "PNR")
    ctx["date"] = tanggal(obj.forwarded_at or obj.submitted_at or obj.created_at)
    region = current_region()
    ctx["addressee"] = region.governor
    ctx["attention"] = f"Kepala Biro Administrasi Pembangunan Setda {region.province_full}"
    ctx["forward"] = next((d for d in obj.decisions.all() if d.outcome == DecisionOutcome.FORWARD), None)
    return render_to_string("budget_requests/pdf_forwarding.html", ctx)


def can_view(user, obj: RepairRequest) -> bool:
    from .selectors import may_view_request

    return may_view_request(user, obj)


def request_document(obj: RepairRequest, kind: str, actor=None):
    from workflows.services.documents import document_request

    number = (obj.number or str(obj.pk)).replace("/", "-")
    return document_request(obj=obj, kind=kind, renderer=RENDERERS[kind], actor=actor,
                            filename=f"{kind}-{number}.pdf")


EVENT_DOCUMENTS = {
    "approved": (KIND_DECISION,),
    "spp_submitted": (KIND_SPP,),
    "spm_issued": (KIND_SPP,),
    "rejected": (KIND_DECISION,),
    "paid": (KIND_SPP,),
    "forwarded_to_province": (KIND_FORWARDING,),
}


def on_request_event(sender, request_id: int, event: str, actor_id: int | None = None, **kwargs) -> None:
    """Queue the documents of an event; the HTML is built and the PDF rendered in the worker, so an approval's
    response does not wait for them."""
    kinds = EVENT_DOCUMENTS.get(event)
    if not kinds or not getattr(settings, "BUDGET_DOCUMENTS_ON_EVENTS", True):
        return
    try:
        request_documents_task.delay(request_id, list(kinds), actor_id)
    except Exception:  # noqa: BLE001 - a broker hiccup must never undo or block the decision itself
        logger.exception("queueing %s documents for repair request %s failed", kinds, request_id)


@shared_task(name="budget_requests.request_documents", max_retries=5, **RETRY)
def request_documents_task(request_id: int, kinds: list[str], actor_id: int | None = None) -> list[int]:
    """Request (render the HTML of, and queue the PDF of) each document kind; idempotent through the content
    hash of ``document_request``."""
    from workflows.models import User

    obj = RepairRequest.objects.filter(pk=request_id).first()
    if obj is None:
        return []
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return [request_document(obj, kind, actor).pk for kind in kinds]


def connect() -> None:
    from .signals import request_event

    request_event.connect(on_request_event, dispatch_uid="budget_requests.pdf")
