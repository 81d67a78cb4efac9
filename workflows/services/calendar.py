"""Writing the calendar's data: extra days off (cuti bersama, regional days off), working-day overrides.

Every write is audited (stream ``workflows.calendar``) and clears the calendar's in-process cache, both at
once and again when the transaction commits, so the next deadline computed in this process sees it.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import calendar
from ..models import DayKind, LegalDeadline, NonWorkingDay, NonWorkingDayKind, User, WorkingDayOverride
from .audit import audit_record

CALENDAR_STREAM = "workflows.calendar"
DEFAULT_CUTI_BERSAMA_FILE = Path(__file__).resolve().parent.parent / "data" / "cuti_bersama.json"


def _invalidate() -> None:
    calendar.clear_cache()
    transaction.on_commit(calendar.clear_cache)


def _snapshot(row: NonWorkingDay | WorkingDayOverride) -> dict[str, Any]:
    data = {"date": row.date, "name": row.name, "legal_basis": row.legal_basis, "is_active": row.is_active}
    if isinstance(row, NonWorkingDay):
        data.update(kind=row.kind, to_confirm=row.to_confirm)
    return data


def non_working_day_set(
    *,
    date: dt.date,
    kind: str,
    name: str,
    legal_basis: str = "",
    to_confirm: bool = False,
    is_active: bool = True,
    actor: User | None = None,
    reason: str = "",
    request=None,
) -> NonWorkingDay:
    """Create or update the extra day off on ``date`` (matched by date). Writes nothing when unchanged.

    Cancelling a day off (an SKB amendment removing a cuti bersama) is ``is_active=False``: rows are not
    deleted.
    """
    if kind not in NonWorkingDayKind.values:
        raise ValidationError(_("Jenis hari libur tidak dikenal."), code="invalid_kind")
    if not name.strip():
        raise ValidationError(_("Nama hari libur wajib diisi."), code="name_required")
    wanted = {"kind": kind, "name": name.strip(), "legal_basis": legal_basis.strip(),
              "to_confirm": to_confirm, "is_active": is_active}
    with transaction.atomic():
        row = NonWorkingDay.objects.select_for_update().filter(date=date).first()
        if row is None:
            row = NonWorkingDay.objects.create(date=date, **wanted)
            audit_record(actor=actor, action="calendar.non_working_day.create", obj=row, stream=CALENDAR_STREAM,
                         after=_snapshot(row), reason=reason, request=request)
        elif any(getattr(row, field) != value for field, value in wanted.items()):
            before = _snapshot(row)
            for field, value in wanted.items():
                setattr(row, field, value)
            row.save()
            audit_record(actor=actor, action="calendar.non_working_day.update", obj=row, stream=CALENDAR_STREAM,
                         before=before, after=_snapshot(row), reason=reason, request=request)
        else:
            return row
        _invalidate()
    return row


def working_day_override_set(
    *,
    date: dt.date,
    name: str,
    legal_basis: str = "",
    is_active: bool = True,
    actor: User | None = None,
    reason: str = "",
    request=None,
) -> WorkingDayOverride:
    """Declare ``date`` a working day although the national holiday list says otherwise (or undo it)."""
    if not name.strip():
        raise ValidationError(_("Keterangan wajib diisi."), code="name_required")
    wanted = {"name": name.strip(), "legal_basis": legal_basis.strip(), "is_active": is_active}
    with transaction.atomic():
        row = WorkingDayOverride.objects.select_for_update().filter(date=date).first()
        if row is None:
            row = WorkingDayOverride.objects.create(date=date, **wanted)
            audit_record(actor=actor, action="calendar.working_day_override.create", obj=row,
                         stream=CALENDAR_STREAM, after=_snapshot(row), reason=reason, request=request)
        elif any(getattr(row, field) != value for field, value in wanted.items()):
            before = _snapshot(row)
            for field, value in wanted.items():
                setattr(row, field, value)
            row.save()
            audit_record(actor=actor, action="calendar.working_day_override.update", obj=row,
                         stream=CALENDAR_STREAM, before=before, after=_snapshot(row), reason=reason,
                         request=request)
        else:
            return row
        _invalidate()
    return row


def cuti_bersama_entries(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows described by a cuti bersama file's content (see ``workflows/data/cuti_bersama.json``)."""
    rows = []
    for block in data["years"]:
        for day in block["days"]:
            date = dt.date.fromisoformat(day["date"])
            if date.year != block["year"]:
                raise ValidationError(f"{day['date']} is listed under {block['year']}")
            rows.append({
                "date": date,
                "kind": day.get("kind", NonWorkingDayKind.CUTI_BERSAMA),
                "name": day["name"],
                "legal_basis": day.get("legal_basis", block["legal_basis"]),
                "to_confirm": bool(day.get("to_confirm") or block.get("legal_basis_to_confirm")),
            })
    return rows


def cuti_bersama_load(*, data: dict[str, Any], actor: User | None = None) -> int:
    """Load cuti bersama rows from a file's content; returns how many rows were created or changed.

    Idempotent: rows are matched by date, unchanged rows are not touched, nothing is deleted.
    """
    changed = 0
    with transaction.atomic():
        for entry in cuti_bersama_entries(data):
            before = NonWorkingDay.objects.filter(date=entry["date"]).values("updated_at").first()
            row = non_working_day_set(actor=actor, reason=_("Dimuat dari berkas cuti bersama"), **entry)
            if before is None or before["updated_at"] != row.updated_at:
                changed += 1
    return changed


def cuti_bersama_load_file(*, path: str | Path | None = None, actor: User | None = None) -> int:
    """Load ``path`` (default ``settings.PAMONG_CUTI_BERSAMA_FILE`` or the shipped file)."""
    path = path or getattr(settings, "PAMONG_CUTI_BERSAMA_FILE", DEFAULT_CUTI_BERSAMA_FILE)
    with open(path, encoding="utf-8") as fh:
        return cuti_bersama_load(data=json.load(fh), actor=actor)


LEGAL_DEADLINE_TEXT_FIELDS = ("name", "legal_basis", "counts_from", "to_confirm", "note", "article", "wording",
                              "day_definition", "alt_reading")


def _deadline_snapshot(rule: LegalDeadline) -> dict[str, Any]:
    return {f: getattr(rule, f) for f in ("code", "name", "days", "day_kind", "alt_day_kind", "legal_basis",
                                          "counts_from", "effective_from", "to_confirm", "note", "article",
                                          "wording", "day_definition", "alt_reading")}


def _check_readings(*, day_kind: str, alt_day_kind: str, to_confirm: bool) -> None:
    if alt_day_kind and alt_day_kind not in DayKind.values:
        raise ValidationError(_("Jenis hari (bacaan lain) tidak dikenal."), code="invalid_day_kind")
    if alt_day_kind and alt_day_kind != day_kind and not to_confirm:
        raise ValidationError(
            _("Tenggat yang dihitung berbeda oleh dua dasar hukum harus ditandai \"perlu dikonfirmasi\"."),
            code="alt_reading_to_confirm",
        )


def legal_deadline_create(
    *,
    code: str,
    name: str,
    days: int,
    day_kind: str,
    legal_basis: str,
    counts_from: str,
    effective_from: dt.date,
    to_confirm: bool = False,
    note: str = "",
    article: str = "",
    wording: str = "",
    day_definition: str = "",
    alt_day_kind: str = "",
    alt_reading: str = "",
    actor: User | None = None,
    request=None,
) -> LegalDeadline:
    """Add a deadline rule, or a new version of one in force from ``effective_from`` (a law change).

    ``article``, ``wording`` and ``day_definition`` say why the days are counted as ``day_kind`` says;
    ``alt_day_kind`` and ``alt_reading`` record a second reading when two laws count the deadline differently
    (the rule must then be ``to_confirm``)."""
    if days <= 0:
        raise ValidationError(_("Jumlah hari harus lebih dari nol."), code="days_positive")
    if day_kind not in DayKind.values:
        raise ValidationError(_("Jenis hari tidak dikenal."), code="invalid_day_kind")
    if alt_day_kind == day_kind:
        alt_day_kind = ""
    _check_readings(day_kind=day_kind, alt_day_kind=alt_day_kind, to_confirm=to_confirm)
    if LegalDeadline.objects.filter(code=code, effective_from=effective_from).exists():
        raise ValidationError(_("Tenggat dengan kode dan tanggal berlaku ini sudah ada."), code="duplicate")
    with transaction.atomic():
        rule = LegalDeadline.objects.create(
            code=code, name=name, days=days, day_kind=day_kind, legal_basis=legal_basis,
            counts_from=counts_from, effective_from=effective_from, to_confirm=to_confirm, note=note,
            article=article, wording=wording, day_definition=day_definition, alt_day_kind=alt_day_kind,
            alt_reading=alt_reading,
        )
        audit_record(actor=actor, action="calendar.legal_deadline.create", obj=rule, stream=CALENDAR_STREAM,
                     after=_deadline_snapshot(rule), request=request)
    return rule


def legal_deadline_update(*, rule: LegalDeadline, actor: User | None = None, request=None, **changes: Any) -> LegalDeadline:
    """Correct the descriptive fields of a rule (name, basis, counting event, to-confirm flag, note).

    The number of days, their kind, the code and the start of validity never change in place: a different
    rule is a new row with its own ``effective_from``, so running deadlines keep the rule they started under.
    """
    unknown = set(changes) - set(LEGAL_DEADLINE_TEXT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Jumlah hari, jenis hari, kode dan tanggal berlaku tidak dapat diubah; buat aturan baru."),
            code="immutable_fields",
        )
    with transaction.atomic():
        row = LegalDeadline.objects.select_for_update().get(pk=rule.pk)
        before = _deadline_snapshot(row)
        for field, value in changes.items():
            setattr(row, field, value)
        _check_readings(day_kind=row.day_kind, alt_day_kind=row.alt_day_kind, to_confirm=row.to_confirm)
        if _deadline_snapshot(row) == before:
            return row
        row.save(update_fields=list(changes))
        audit_record(actor=actor, action="calendar.legal_deadline.update", obj=row, stream=CALENDAR_STREAM,
                     before=before, after=_deadline_snapshot(row), request=request)
    return row
