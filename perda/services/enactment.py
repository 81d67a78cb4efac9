"""Penetapan (signing), the "dinyatakan sah" rule, and pengundangan (promulgation with gazette number), which
freezes the enacted text and its PDF with their hashes.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from workflows.formatting import tanggal as _tanggal
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.acting import Acting
from workflows.region import current_region
from workflows.models import Position, PositionKind, User

from .. import policy
from ..models import Formation, Regulation, Version
from ..states import Outcome, Stage
from .formation import FormationError, _audit, _freeze, _lock, _record, _state, flow_advance


def signer_title_for(acting: Acting) -> str:
    """"WALI KOTA TANGERANG SELATAN" or "Plt. WALI KOTA TANGERANG SELATAN" by capacity (the region's head)."""
    prefix = {"plt": "Plt. ", "plh": "Plh. "}.get(acting.capacity, "")
    return f"{prefix}{current_region().head_office.upper()}"


def _person_name(user: User) -> str:
    # Lampiran II: the signer's name in capitals, without academic titles (the user's name is data).
    return (user.get_full_name() or user.username).upper()


def penetapan_due(formation: Formation) -> dt.date | None:
    """The last day the Wali Kota may sign a Perda before it becomes valid without signature.

    30 days from persetujuan bersama, or for a Perda that goes through evaluasi from the Gubernur's evaluasi
    decision (Permendagri 80/2015 Pasal 102 ayat (3)); None for a Perwali or before the clock starts. Where two
    laws count the days differently (UU 12/2011 "hari", UU 23/2014 "Hari"), the later date applies: a Perda is
    printed "dinyatakan sah" only when its clock ran out under every reading."""
    from ..selectors import penetapan_deadline

    deadline = penetapan_deadline(formation)
    return deadline.latest_due if deadline else None


def formation_enact(*, formation: Formation, actor: User, signed_on: dt.date, request=None) -> Formation:
    """The Wali Kota signs (menetapkan). Signed after the penetapan deadline has passed under every reading
    (``penetapan_due``) → marked "dinyatakan sah"."""
    with transaction.atomic():
        formation = _lock(formation)
        acting = policy.require_walikota(actor)
        policy.require_stage(formation, Stage.PENETAPAN)
        if signed_on > timezone.localdate():
            raise FormationError(_("Tanggal penetapan tidak boleh di masa depan."), code="future_date")
        if signed_on < formation.stage_since:
            raise FormationError(_("Tanggal penetapan tidak boleh sebelum tahap penetapan dimulai."), code="early_date")
        before = _state(formation)
        due = penetapan_due(formation)
        late = due is not None and signed_on > due
        regulation = Regulation.objects.select_for_update().get(pk=formation.regulation_id)
        regulation.enacted_on = signed_on
        regulation.dinyatakan_sah = late
        regulation.signer_name = _person_name(actor)
        regulation.signer_title = signer_title_for(acting)
        regulation.save(update_fields=["enacted_on", "dinyatakan_sah", "signer_name", "signer_title", "updated_at"])
        formation.enact(on=signed_on)
        formation.save()
        _record(formation=formation, stage=Stage.PENETAPAN,
                outcome=Outcome.DINYATAKAN_SAH if late else Outcome.DITETAPKAN,
                received_on=signed_on, acting=acting, actor=actor,
                note=_("Ditandatangani setelah lewat tenggat %(due)s: dinyatakan sah.") % {"due": due} if late else "")
        _audit(actor=actor, acting=acting, action="formation.enact", formation=formation, before=before,
               request=request, extra={"signed_on": signed_on, "dinyatakan_sah": late, "due": due})
        flow_advance(formation=formation, actor=actor)
    return formation


def formation_declare_valid(*, formation: Formation, actor: User, on: dt.date | None = None,
                            request=None) -> Formation:
    """The Wali Kota did not sign within 30 days of persetujuan bersama (of the evaluasi decision, for an evaluated
    Perda; ``penetapan_due``): the Perda is valid anyway and goes to pengundangan with "Peraturan Daerah ini
    dinyatakan sah." (UU 12/2011 Ps. 79; UU 23/2014 Ps. 242). Recorded by Bagian Hukum."""
    on = on or timezone.localdate()
    with transaction.atomic():
        formation = _lock(formation)
        acting = policy.require_bagian_hukum(actor)
        policy.require_stage(formation, Stage.PENETAPAN)
        due = penetapan_due(formation)
        if due is None and not formation.is_perwali:
            raise FormationError(_("Tenggat penetapan belum berjalan: keputusan evaluasi Gubernur belum dicatat."),
                                 code="no_clock")
        if due is None:
            raise FormationError(_("Aturan \"dinyatakan sah\" hanya berlaku bagi Peraturan Daerah."), code="not_perda")
        if on <= due:
            raise FormationError(
                _("Tenggat penetapan (%(due)s) belum lewat; Wali Kota masih dapat menandatangani.")
                % {"due": _tanggal(due)}, code="not_late",
            )
        before = _state(formation)
        regulation = Regulation.objects.select_for_update().get(pk=formation.regulation_id)
        regulation.dinyatakan_sah = True
        regulation.enacted_on = on
        regulation.signer_name = ""
        regulation.save(update_fields=["dinyatakan_sah", "enacted_on", "signer_name", "updated_at"])
        formation.enact(on=on)
        formation.save()
        _record(formation=formation, stage=Stage.PENETAPAN, outcome=Outcome.DINYATAKAN_SAH, received_on=on,
                acting=acting, actor=actor,
                note=_("Tidak ditandatangani sampai %(due)s.") % {"due": _tanggal(due)})
        _audit(actor=actor, acting=acting, action="formation.declare_valid", formation=formation, before=before,
               request=request, extra={"due": due})
        flow_advance(formation=formation, actor=actor)
    return formation


def _perwali_has_penjelasan(regulation: Regulation) -> bool:
    from ..models import Provision

    if regulation.penjelasan_umum.strip():
        return True
    return (Provision.objects.filter(regulation=regulation, removed_at__isnull=True, kind__in=("pasal", "ayat"))
            .exclude(penjelasan__regex=r"^\s*$").exists())


def _next_number(kind: str, year: int, field: str) -> int:
    current = Regulation.objects.filter(kind=kind, year=year, imported_from_text=False).aggregate(m=Max(field))["m"]
    return (current or 0) + 1


def formation_promulgate(*, formation: Formation, actor: User, promulgated_on: dt.date,
                         number: int | None = None, gazette_number: int | None = None,
                         request=None) -> Formation:
    """The Sekda promulgates (mengundangkan): a Perda in the Lembaran Daerah (its penjelasan in the Tambahan),
    a Perwali in the Berita Daerah. Assigns the regulation's number and year and the gazette number (the next
    free ones unless given), freezes the enacted version, and queues the frozen PDF (rendered once, hashed)."""
    with transaction.atomic():
        formation = _lock(formation)
        acting = policy.require_sekda(actor)
        policy.require_stage(formation, Stage.PENGUNDANGAN)
        if promulgated_on > timezone.localdate():
            raise FormationError(_("Tanggal pengundangan tidak boleh di masa depan."), code="future_date")
        regulation = Regulation.objects.select_for_update().get(pk=formation.regulation_id)
        if regulation.enacted_on and promulgated_on < regulation.enacted_on:
            raise FormationError(_("Tanggal pengundangan tidak boleh sebelum tanggal penetapan."), code="early_date")
        # One promulgation at a time city-wide: the Sekda post's row serializes number assignment.
        Position.objects.select_for_update().filter(kind=PositionKind.SEKDA).first()
        year = promulgated_on.year
        taken = Regulation.objects.filter(kind=regulation.kind, year=year, imported_from_text=False).exclude(pk=regulation.pk)
        number = number or _next_number(regulation.kind, year, "number")
        gazette_number = gazette_number or _next_number(regulation.kind, year, "gazette_number")
        if taken.filter(number=number).exists():
            raise FormationError(_("Nomor %(n)s tahun %(y)s sudah dipakai.") % {"n": number, "y": year},
                                 code="number_taken")
        if taken.filter(gazette_number=gazette_number).exists():
            raise FormationError(_("Nomor Lembaran/Berita Daerah %(n)s tahun %(y)s sudah dipakai.")
                                 % {"n": gazette_number, "y": year}, code="gazette_taken")
        before = _state(formation)
        regulation.number = number
        regulation.year = year
        regulation.gazette_number = gazette_number
        if regulation.kind == "perda" or _perwali_has_penjelasan(regulation):
            # A Perda's penjelasan goes in the Tambahan Lembaran Daerah; a Perwali's, when it has one, in the
            # Tambahan Berita Daerah (Perpres 1/2007 Pasal 22 ayat (2) and (3)).
            regulation.tambahan_number = _next_number(regulation.kind, year, "tambahan_number")
        regulation.promulgated_on = promulgated_on
        regulation.sekda_name = _person_name(actor)
        regulation.save()
        version = _freeze(regulation=regulation, label=_("Diundangkan"), actor=actor, request=request, strict=False,
                          acting=acting)
        if version is None:  # the enacted text must be frozen even if a warning-level problem slipped through
            from .versions import version_freeze

            version = version_freeze(regulation=regulation, label=_("Diundangkan"), actor=actor, request=request,
                                     allow_errors=True)
        Regulation.objects.filter(pk=regulation.pk).update(enacted_version=version)
        formation.promulgate(on=promulgated_on)
        formation.save()
        gazette = _("Lembaran Daerah") if regulation.kind == "perda" else _("Berita Daerah")
        _record(formation=formation, stage=Stage.PENGUNDANGAN, outcome=Outcome.DIUNDANGKAN,
                received_on=promulgated_on, acting=acting, actor=actor, version=version,
                document_number=f"{gazette} {year} Nomor {gazette_number}")
        _audit(actor=actor, acting=acting, action="formation.promulgate", formation=formation, before=before,
               request=request, extra={"number": number, "year": year, "gazette_number": gazette_number,
                                       "version": version.seq, "version_sha256": version.sha256})
        flow_advance(formation=formation, actor=actor)
        regulation_id = regulation.pk
        transaction.on_commit(lambda: _queue_pdf(regulation_id))
    return formation


def _queue_pdf(regulation_id: int) -> None:
    from ..tasks import enacted_pdf_render

    enacted_pdf_render.delay(regulation_id)


def render_version_pdf(version: Version) -> bytes:
    """The official PDF of a frozen version (the Lampiran II renderer of ``perda.render.pdf``)."""
    from ..render.pdf import version_pdf

    return version_pdf(version)


def enacted_pdf_freeze(*, regulation_id: int) -> str:
    """Render the enacted version's PDF once, store it and its SHA-256. Idempotent: returns the stored hash
    when the PDF is already frozen."""
    regulation = Regulation.objects.get(pk=regulation_id)
    if regulation.enacted_pdf_sha256:
        return regulation.enacted_pdf_sha256
    if regulation.enacted_version_id is None:
        raise FormationError(_("Peraturan ini belum diundangkan."), code="not_promulgated")
    version = Version.objects.get(pk=regulation.enacted_version_id)
    pdf = render_version_pdf(version)  # rendered outside the transaction: WeasyPrint takes seconds
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        regulation = Regulation.objects.select_for_update().get(pk=regulation_id)
        if regulation.enacted_pdf_sha256:
            return regulation.enacted_pdf_sha256
        kind = "perda" if regulation.kind == "perda" else "perwali"
        regulation.enacted_pdf.save(f"{kind}-{regulation.year}-{regulation.number}.pdf", ContentFile(pdf), save=False)
        regulation.enacted_pdf_sha256 = digest
        regulation.save(update_fields=["enacted_pdf", "enacted_pdf_sha256", "updated_at"])
        from workflows.services.audit import audit_record

        audit_record(actor=None, action="perda.enacted_pdf.freeze", obj=regulation,
                     after={"sha256": digest, "version": version.seq, "bytes": len(pdf)})
    return digest
