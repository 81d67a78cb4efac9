"""Public consultation (UU 12/2011 Ps. 96 as amended by UU 13/2022): the right to be heard, to have the input
considered, and to get an answer (MK 91/PUU-XVIII/2020).

Bagian Hukum opens a consultation on a frozen version; anyone comments on a Pasal or ayat of that version
(no login, throttled per address); Bagian Hukum records a disposition with a reason for every comment; the
public page shows each comment with its answer; the report PDF lists them per provision.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.models import User
from workflows.region import current_region
from workflows.services.audit import audit_record

from .. import policy
from ..models import Consultation, Disposition, PublicComment, Version
from ..selectors import commentable_provisions
from ..states import Stage
from .formation import FormationError

COMMENT_MAX_CHARS = 5000


class Throttled(FormationError):
    """Too many comments from one address in a short time."""


def _rate() -> tuple[int, int]:
    """(count, seconds) from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_comment"]`` ("5/minute")."""
    spec = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {}).get("public_comment", "5/minute")
    count, period = spec.split("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
    return int(count), seconds


def ip_hash(ip: str) -> str:
    """A salted hash of the address: enough to throttle and spot floods, not to identify anyone."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


def _contact_ok(contact: str) -> bool:
    """An e-mail address, or something with at least 6 digits (a phone number in any common notation)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            return False
        return True
    return sum(ch.isdigit() for ch in contact) >= 6


def consultation_open(*, version: Version, actor: User, opens_on: dt.date, closes_on: dt.date, note: str = "",
                      request=None) -> Consultation:
    """Open a public consultation on ``version`` from ``opens_on`` to ``closes_on`` (inclusive)."""
    if closes_on < opens_on:
        raise FormationError(_("Tanggal penutupan tidak boleh sebelum tanggal pembukaan."), code="bad_dates")
    if closes_on < timezone.localdate():
        raise FormationError(_("Tanggal penutupan sudah lewat."), code="closed")
    with transaction.atomic():
        acting = policy.require_bagian_hukum(actor)
        formation = getattr(version.regulation, "formation", None)
        if formation is not None and formation.stage in (Stage.SELESAI, Stage.DITARIK):
            raise FormationError(_("Rancangan ini sudah selesai atau ditarik."), code="inactive")
        consultation = Consultation.objects.create(
            version=version, opens_on=opens_on, closes_on=closes_on, opened_by=actor,
            capacity=acting.capacity_label, note=note.strip(),
        )
        audit_record(actor=actor, action="consultation.open", obj=version.regulation, capacity=acting.capacity_label,
                     after={"consultation": consultation.pk, "version": version.seq, "opens_on": opens_on,
                            "closes_on": closes_on}, request=request)
    return consultation


def comment_submit(*, consultation: Consultation, name: str, contact: str, text: str,
                   provision_uid: str | uuid.UUID | None = None, ip: str = "",
                   today: dt.date | None = None) -> PublicComment:
    """A member of the public gives input on a provision (or the draft in general). Stored as typed (escaped
    when shown). Refused when the consultation is not open, the fields are empty, or the address has sent
    too many comments in the last minute."""
    name, contact, text = (name or "").strip(), (contact or "").strip(), (text or "").strip()
    problems = {}
    if not name:
        problems["name"] = _("Nama wajib diisi.")
    if not contact:
        problems["contact"] = _("Surel atau nomor telepon wajib diisi (tidak ditampilkan).")
    elif not _contact_ok(contact):
        problems["contact"] = _("Isi alamat surel atau nomor telepon yang dapat dihubungi.")
    if not text:
        problems["text"] = _("Masukan wajib diisi.")
    elif len(text) > COMMENT_MAX_CHARS:
        problems["text"] = _("Masukan terlalu panjang (paling banyak %(n)s karakter).") % {"n": COMMENT_MAX_CHARS}
    if problems:
        raise FormationError(problems)
    if not consultation.is_open(today):
        raise FormationError(_("Konsultasi publik ini tidak sedang dibuka."), code="closed")
    label = ""
    if provision_uid:
        provision_uid = str(provision_uid)
        match = [p for p in commentable_provisions(consultation.version.snapshot) if p.uid == provision_uid]
        if not match:
            raise FormationError(_("Ketentuan yang dipilih tidak ada dalam rancangan ini."), code="bad_provision")
        label = match[0].label
    hashed = ip_hash(ip) if ip else ""
    if hashed:
        limit, seconds = _rate()
        key = f"perda:comment:{hashed}"
        cache.add(key, 0, timeout=seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds)
            count = 1
        if count > limit:
            raise Throttled(_("Terlalu banyak masukan dari alamat Anda dalam waktu singkat. Coba lagi sebentar lagi."),
                            code="throttled")
    with transaction.atomic():
        comment = PublicComment.objects.create(
            consultation=consultation, provision_uid=provision_uid or None, provision_label=label, name=name[:200],
            contact=contact[:200], text=text, ip_hash=hashed,
        )
        audit_record(actor=None, action="consultation.comment", obj=consultation.version.regulation,
                     after={"comment": comment.pk, "consultation": consultation.pk, "provision": label or "umum"})
    return comment


def comment_dispose(*, comment: PublicComment, actor: User, disposition: str, reason: str,
                    request=None) -> PublicComment:
    """Record what was done with a comment (accepted / partly / not accepted) and why. The reason is shown
    publicly beside the comment. A disposition may be revised; the audit trail keeps every earlier one."""
    reason = (reason or "").strip()
    if disposition not in (Disposition.ACCEPTED, Disposition.PARTLY, Disposition.NOT_ACCEPTED):
        raise FormationError({"disposition": _("Pilih tindak lanjut: diterima, diterima sebagian, atau tidak diterima.")})
    if not reason:
        raise FormationError({"reason": _("Alasan wajib diisi: warga berhak mendapat penjelasan.")})
    with transaction.atomic():
        acting = policy.require_bagian_hukum(actor)
        comment = PublicComment.objects.select_for_update().select_related("consultation__version__regulation").get(
            pk=comment.pk)
        before = {"disposition": comment.disposition, "reason": comment.disposition_reason}
        comment.disposition = disposition
        comment.disposition_reason = reason
        comment.decided_by = actor
        comment.decided_capacity = acting.capacity_label
        comment.decided_at = timezone.now()
        comment.save()
        audit_record(actor=actor, action="consultation.dispose", obj=comment.consultation.version.regulation,
                     capacity=acting.capacity_label, before=before,
                     after={"comment": comment.pk, "disposition": disposition, "reason": reason}, request=request)
    return comment


def consultation_report_html(*, consultation: Consultation) -> str:
    from django.template.loader import render_to_string

    from ..selectors import comments_by_provision

    groups = comments_by_provision(consultation)
    counts = {d: 0 for d in Disposition.values}
    for group in groups:
        for c in group["comments"]:
            counts[c.disposition] += 1
    return render_to_string("perda/consultation_report_pdf.html", {
        "consultation": consultation, "regulation": consultation.version.regulation, "groups": groups,
        "counts": [(Disposition(k).label, v) for k, v in counts.items()],
        "city": current_region().full_name, "generated_at": timezone.now(),
    })


def consultation_report_request(*, consultation: Consultation, actor: User):
    """Ask for the consultation report PDF through ``workflows.services.documents``: the HTML is built now,
    the PDF in a Celery task; an unchanged report reuses the document already made."""
    from workflows.services.documents import document_request

    from ..reports import REPORT_KIND, REPORT_RENDERER

    return document_request(obj=consultation, kind=REPORT_KIND, renderer=REPORT_RENDERER, actor=actor,
                            filename=f"laporan-konsultasi-{consultation.pk}.pdf")


def consultation_report_pdf(*, consultation_id: int) -> tuple[bytes, str]:
    """The consultation report rendered synchronously with ``workflows.pdf.render_pdf`` (tests, scripts).
    Returns (pdf bytes, sha256)."""
    from workflows.pdf import render_pdf

    consultation = Consultation.objects.select_related("version__regulation").get(pk=consultation_id)
    pdf = render_pdf(consultation_report_html(consultation=consultation))
    return pdf, hashlib.sha256(pdf).hexdigest()
