"""A repair request's PDFs as signable documents (``workflows.signing.registry``).

Whose document it is decides who signs, whoever holds or acts for that position today (Plh/Plt included):

* the decision letter — the official whose decision closed the approval (approval or rejection);
* the forwarding letter — the official who forwarded the request to the province;
* the payment documents — the official of the latest step in them: the bendahara for the SPP, the PA/KPA for
  the SPM, the Kuasa BUD for the SP2D. A later step renders a new version that its own official signs, so
  these signatures do not freeze the document kind (``final=False``); the two letters are final once signed.
"""
from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from workflows.formatting import rupiah
from workflows.models import GeneratedDocument, GeneratedDocumentStatus
from workflows.signing.registry import SignableKind, SourcePdf, register

from .models import DecisionOutcome, RepairRequest
from .pdf import KIND_DECISION, KIND_FORWARDING, KIND_SPP

KEY_PREFIX = "budget_requests."


def _latest_ready(obj: RepairRequest, kind: str) -> SourcePdf | None:
    doc = (GeneratedDocument.objects.filter(content_type=ContentType.objects.get_for_model(RepairRequest),
                                            object_id=str(obj.pk), kind=kind).defer("html").first())
    if doc is None or doc.status != GeneratedDocumentStatus.READY or not doc.file:
        return None
    with doc.file.open("rb") as handle:
        data = handle.read()
    return SourcePdf(pdf=data, sha256=hashlib.sha256(data).hexdigest(), generated_document=doc)


def _decider_position(obj: RepairRequest):
    final = [d for d in obj.decisions.select_related("position").order_by("pk") if d.revision == obj.revision
             and d.outcome in (DecisionOutcome.APPROVE, DecisionOutcome.REJECT)]
    return final[-1].position if final else None


def _forwarder_position(obj: RepairRequest):
    forward = obj.decisions.filter(outcome=DecisionOutcome.FORWARD).select_related("position").order_by("pk").last()
    return forward.position if forward else None


def _payment_position(obj: RepairRequest):
    latest = obj.payment_documents.filter(refused=False).select_related("position").order_by("pk").last()
    return latest.position if latest else None


def _metadata(obj: RepairRequest) -> list[tuple[str, str]]:
    return [(_("Nomor permohonan"), obj.number or str(obj.pk)), (_("Unit"), str(obj.org_unit)),
            (_("Nilai"), rupiah(obj.amount))]


def _title(label):
    return lambda obj: f"{label} — {obj.number or obj.pk}"


def _kind(kind: str, label, signer_position, reason, *, final: bool) -> SignableKind:
    number = lambda obj: (obj.number or str(obj.pk)).replace("/", "-")  # noqa: E731
    return SignableKind(
        key=KEY_PREFIX + kind, label=label, model=RepairRequest, source=lambda obj: _latest_ready(obj, kind),
        signer_position=signer_position, title=_title(label), metadata=_metadata,
        back_url=lambda obj: reverse("budget_requests:request_detail", args=[obj.pk]), reason=reason, final=final,
        filename=lambda obj: f"{kind}-{number(obj)}.pdf",
    )


def connect() -> None:
    register(_kind(KIND_DECISION, _l("Surat keputusan"), _decider_position, _l("Keputusan"), final=True))
    register(_kind(KIND_FORWARDING, _l("Surat penerusan ke Provinsi"), _forwarder_position, _l("Penerusan"),
                   final=True))
    register(_kind(KIND_SPP, _l("Dokumen pembayaran (SPP/SPM/SP2D)"), _payment_position, _l("Pembayaran"),
                   final=False))


def signing_key(kind: str) -> str:
    return KEY_PREFIX + kind
