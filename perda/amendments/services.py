"""Writes for amending regulations: start an amendment draft from a regulation in the JDIH, and link an
imported amending regulation to the regulation it amends. Keyword-only, audited, in one transaction each."""
from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workflows.services.audit import audit_record

from ..models import Amendment, AmendmentSource, DasarHukumRank, Regulation
from ..services.draft_access import clean_text, lock_draft
from .render import amendment_title, base_full, konsiderans_seed

BULAN = ("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober",
         "november", "desember")


class AmendmentError(ValidationError):
    """Refused (message in Indonesian); nothing written."""


def long_date(text: str | None) -> dt.date | None:
    """"10 Februari 2026" → 2026-02-10 (None when it is not such a date)."""
    m = re.search(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text or "")
    if not m or m.group(2).lower() not in BULAN:
        return None
    return dt.date(int(m.group(3)), BULAN.index(m.group(2).lower()) + 1, int(m.group(1)))


def amendment_start(*, actor, base: Regulation, drafter=None, pemrakarsa=None, propemperda_year: int | None = None,
                    outside_propemperda_reason: str = "", ordinal: str = "", request=None,
                    capacity: str = "") -> Regulation:
    """A new "Perubahan atas …" draft of ``base``: its text in force today, copied with the same provision
    identities so that Pasal I can be written from what the drafter changes; the title, the first
    konsiderans and the dasar hukum (the base's, then the base itself) of an amending regulation."""
    from ..policy import require_may_draft
    from ..samples import snapshot_write
    from ..services import editor as svc
    from ..snapshot import regulation_meta
    from .selectors import consolidated

    if not base.is_enacted:
        raise AmendmentError(_("Hanya peraturan yang telah diundangkan yang dapat diubah."))
    pemrakarsa = pemrakarsa or base.pemrakarsa
    if not getattr(actor, "is_superuser", False):
        require_may_draft(actor, base)
    today = dt.date.today()
    current = consolidated(base, on=None)
    base_meta = regulation_meta(base)
    with transaction.atomic():
        reason = outside_propemperda_reason
        if propemperda_year is None and not reason:
            reason = _("Perubahan atas %(base)s.") % {"base": base_full(base_meta)}
        reg = svc.regulation_create(
            actor=actor, kind=base.kind, title=amendment_title(base_meta, ordinal), pemrakarsa=pemrakarsa,
            drafter=drafter or actor, propemperda_year=propemperda_year, outside_propemperda_reason=reason,
            evaluasi_kind=base.evaluasi_kind, request=request,
        )
        Regulation.objects.filter(pk=reg.pk).update(amends=base)
        reg.amends = base
        base_snapshot = {"body": current["body"]}
        Amendment.objects.create(regulation=reg, source=AmendmentSource.DRAFTED, ordinal=ordinal,
                                 base_snapshot=base_snapshot)
        dasar = list(base.dasar_hukum.live().order_by("order", "id"))
        # One audit event for the copy (below), not one per provision: rows written directly.
        snapshot_write(regulation=reg, actor=actor, bulk=True, snapshot={
            "konsiderans": [{"uid": str(uuid.uuid4()), "text": konsiderans_seed(base_meta)}],
            "dasar_hukum": [{"uid": str(uuid.uuid4()), "text": d.text, "rank": d.rank,
                             "enacted_on": d.enacted_on.isoformat() if d.enacted_on else None}
                            for d in dasar] + [{
                "uid": str(uuid.uuid4()), "text": base_full(base_meta) + ";",
                "rank": DasarHukumRank.PERDA_KOTA if base.kind == "perda" else DasarHukumRank.PERWALI,
                "enacted_on": base.enacted_on.isoformat() if base.enacted_on else None}],
            "body": _strip_num(current["body"]),
        })
        audit_record(actor=actor, action="perda.amendment.start", obj=reg, capacity=capacity,
                     after={"base": base.pk, "title": reg.title, "on": today.isoformat()}, request=request)
    return reg


def _strip_num(body: list[dict]) -> list[dict]:
    """Provisions do not store numbers: the amendment numbering (7A, 1a) comes from the base at render time."""
    return [dict({k: v for k, v in n.items() if k not in ("num", "history")},
                 children=_strip_num(n.get("children") or [])) for n in body]


def amendment_import_link(*, regulation: Regulation, parsed: dict[str, Any], actor, request=None,
                          capacity: str = "") -> Amendment:
    """Record an imported amending regulation's instructions and link it to the regulation it amends (found
    in the JDIH by kind, number and year). Its own number and dates are kept when the draft has none."""
    amends = parsed.get("amends")
    if not amends:
        raise AmendmentError(_("Teks ini bukan peraturan perubahan."))
    base = (Regulation.objects.filter(kind=amends["kind"], number=_int(amends["number"]), year=amends["year"])
            .exclude(pk=regulation.pk).order_by("pk").first())
    penutup = parsed.get("penutup") or {}
    with transaction.atomic():
        fields: dict[str, Any] = {"amends": base}
        if regulation.number is None and _int(parsed.get("number")) is not None:
            fields["number"] = _int(parsed.get("number"))
            fields["year"] = parsed.get("year")
        if regulation.enacted_on is None and long_date(penutup.get("tanggal_ditetapkan")):
            fields["enacted_on"] = long_date(penutup.get("tanggal_ditetapkan"))
        if regulation.promulgated_on is None and long_date(penutup.get("tanggal_diundangkan")):
            fields["promulgated_on"] = long_date(penutup.get("tanggal_diundangkan"))
        Regulation.objects.filter(pk=regulation.pk).update(**fields)
        for k, v in fields.items():
            setattr(regulation, k, v)
        in_force = long_date(parsed.get("pasal_ii")) if "tanggal diundangkan" not in (parsed.get("pasal_ii") or "") else None
        amendment, _created = Amendment.objects.update_or_create(regulation=regulation, defaults={
            "source": AmendmentSource.IMPORTED, "ordinal": amends.get("ordinal", ""),
            "instructions": parsed.get("instructions", []), "pasal_ii": parsed.get("pasal_ii", ""),
            "in_force_on": in_force,
        })
        audit_record(actor=actor, action="perda.amendment.import", obj=regulation, capacity=capacity,
                     after={"base": base.pk if base else None, "instructions": len(amendment.instructions)},
                     request=request)
    return amendment


def _int(value) -> int | None:
    try:
        return int(str(value).lstrip("0") or "0") if value not in (None, "") else None
    except ValueError:
        return None


def amendment_lampiran_save(*, actor, regulation: Regulation, op: str, target: str, title: str = "",
                            text: str = "", uid: str | None = None, request=None) -> dict[str, Any]:
    """Add (``uid`` None) or change one change of the base's Lampiran in an amendment draft: ``op`` "ubah" (the
    Lampiran is replaced by the draft's own), "tambah" (a new Lampiran after the last) or "hapus". ``target`` is
    the base's Lampiran number ("I", "II"; empty for its only, unnumbered Lampiran). Pasal I's instruction is
    written from it; the title and text become the draft's own Lampiran."""
    from .lampiran import OPS, RE_ROMAN, normalise_target

    with transaction.atomic():
        reg, capacity = lock_draft(regulation, actor=actor)
        amendment = _drafted_amendment(reg)
        entries = list(amendment.lampiran or [])
        target = normalise_target(target)
        title, text = " ".join(clean_text(title).split()), clean_text(text)
        if op not in OPS:
            raise AmendmentError(_("Pilih perubahan lampiran: diubah, ditambah, atau dihapus."))
        if target and not RE_ROMAN.match(target):
            raise AmendmentError(_("Nomor lampiran ditulis dengan angka Romawi, mis. \"I\" atau \"II\"."))
        if op == "tambah" and not target:
            raise AmendmentError(_("Lampiran yang ditambahkan harus bernomor, mis. \"III\"."))
        if op != "hapus" and not (title and text):
            raise AmendmentError(_("Judul dan isi lampiran baru wajib diisi."))
        if any(e["target"] == target and e["uid"] != uid for e in entries):
            raise AmendmentError(_("Perubahan untuk %(lampiran)s sudah ada.") % {
                "lampiran": f"Lampiran {target}" if target else "Lampiran"})
        before = next((e for e in entries if e["uid"] == uid), None)
        if uid is not None and before is None:
            raise AmendmentError(_("Perubahan lampiran tidak ditemukan."))
        entry = {"uid": uid or str(uuid.uuid4()), "op": op, "target": target,
                 "title": title if op != "hapus" else "", "text": text if op != "hapus" else ""}
        entries = [entry if e["uid"] == entry["uid"] else e for e in entries] if before else entries + [entry]
        Amendment.objects.filter(pk=amendment.pk).update(lampiran=entries)
        audit_record(actor=actor, action="perda.amendment.lampiran", obj=reg, capacity=capacity,
                     before=before, after=entry, request=request)
    return entry


def amendment_lampiran_remove(*, actor, regulation: Regulation, uid: str, request=None) -> None:
    """Drop one change of the base's Lampiran from an amendment draft (its instruction leaves Pasal I)."""

    with transaction.atomic():
        reg, capacity = lock_draft(regulation, actor=actor)
        amendment = _drafted_amendment(reg)
        entries = list(amendment.lampiran or [])
        before = next((e for e in entries if e["uid"] == uid), None)
        if before is None:
            raise AmendmentError(_("Perubahan lampiran tidak ditemukan."))
        Amendment.objects.filter(pk=amendment.pk).update(lampiran=[e for e in entries if e["uid"] != uid])
        audit_record(actor=actor, action="perda.amendment.lampiran_remove", obj=reg, capacity=capacity,
                     before=before, request=request)


def _drafted_amendment(regulation: Regulation) -> Amendment:
    amendment = Amendment.objects.select_for_update().filter(regulation=regulation).first()
    if amendment is None or amendment.source != AmendmentSource.DRAFTED:
        raise AmendmentError(_("Hanya rancangan perubahan yang disusun di Pamong yang dapat mengubah lampiran "
                               "peraturan yang diubah."))
    return amendment
