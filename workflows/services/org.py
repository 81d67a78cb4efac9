"""Loading an organisation file (the tree of units and their positions) and assigning people to positions."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Assignment, Capacity, OrgUnit, OrgUnitKind, Position, User
from .audit import audit_record


@dataclass
class OrgLoadResult:
    units: int = 0
    positions: int = 0
    created: list[str] = field(default_factory=list)


def _upsert_unit(*, spec: dict[str, Any], kind: str, parent: OrgUnit | None, result: OrgLoadResult) -> OrgUnit:
    path = f"{parent.path}/{spec['code']}" if parent else spec["code"]
    unit, created = OrgUnit.objects.update_or_create(
        code=spec["code"],
        defaults={
            "name": spec["name"],
            "kind": spec.get("kind", kind),
            "parent": parent,
            "path": path,
            "depth": (parent.depth + 1) if parent else 0,
            "aliases": spec.get("aliases", []),
            "kemendagri_code": spec.get("kemendagri_code", ""),
            "is_active": True,
        },
    )
    result.units += 1
    if created:
        result.created.append(unit.code)
    return unit


def _upsert_position(*, code: str, kind: str, title: str, unit: OrgUnit, result: OrgLoadResult) -> Position:
    position, _created = Position.objects.update_or_create(
        code=code, defaults={"kind": kind, "title": title, "org_unit": unit, "is_active": True}
    )
    result.positions += 1
    return position


@transaction.atomic
def org_load(*, data: dict[str, Any]) -> OrgLoadResult:
    """Create or update the org tree and its positions from an organisation file's content. Idempotent.

    Units and positions are matched by code, so loading the same file twice changes nothing and loading an
    updated file renames or moves units in place (nothing is deleted: units missing from the file stay).
    """
    result = OrgLoadResult()
    city = _upsert_unit(spec=data["city"], kind=OrgUnitKind.KOTA, parent=None, result=result)
    for spec in data["city"].get("positions", []):
        _upsert_position(code=spec["code"], kind=spec["kind"], title=spec["title"], unit=city, result=result)

    def load_offices(specs: list[dict[str, Any]], parent: OrgUnit) -> None:
        for spec in specs:
            unit = _upsert_unit(spec=spec, kind=OrgUnitKind.PERANGKAT_DAERAH, parent=parent, result=result)
            for pos in spec.get("positions", []):
                _upsert_position(code=pos["code"], kind=pos["kind"], title=pos["title"], unit=unit, result=result)
            load_offices(spec.get("children", []), unit)

    load_offices(data.get("offices", []), city)

    templates = data.get("position_templates", {})
    for kec_spec in data.get("kecamatan", []):
        kecamatan = _upsert_unit(spec=kec_spec, kind=OrgUnitKind.KECAMATAN, parent=city, result=result)
        for kind, title in templates.get("kecamatan", []):
            _upsert_position(
                code=f"{kind.replace('_', '-')}-{kecamatan.code}", kind=kind,
                title=title.format(name=kecamatan.name), unit=kecamatan, result=result,
            )
        for kel_spec in kec_spec.get("kelurahan", []):
            kelurahan = _upsert_unit(spec=kel_spec, kind=OrgUnitKind.KELURAHAN, parent=kecamatan, result=result)
            for kind, title in templates.get("kelurahan", []):
                _upsert_position(
                    code=f"{kind.replace('_', '-')}-{kelurahan.code}", kind=kind,
                    title=title.format(name=kelurahan.name), unit=kelurahan, result=result,
                )
    return result


def org_load_file(*, path: str | Path) -> OrgLoadResult:
    with open(path, encoding="utf-8") as fh:
        return org_load(data=json.load(fh))


def assignment_create(
    *,
    position: Position,
    user: User,
    capacity: str = Capacity.DEFINITIF,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    decree: str = "",
    note: str = "",
    actor: User | None = None,
) -> Assignment:
    """Assign a person to a position (definitif) or appoint them Plt/Plh for a date range."""
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), code="invalid_range")
    if capacity == Capacity.PLH and ends_on is None:
        raise ValidationError(_("Penugasan Plh. harus memiliki tanggal selesai."), code="plh_needs_end")
    with transaction.atomic():
        assignment = Assignment.objects.create(
            position=position, user=user, capacity=capacity, starts_on=starts_on, ends_on=ends_on,
            decree=decree, note=note,
        )
        audit_record(
            actor=actor, action="assignment.create", obj=assignment, stream=f"workflows.position:{position.pk}",
            after={"user": user.username, "capacity": capacity, "starts_on": starts_on,
                   "ends_on": ends_on, "decree": decree},
        )
    return assignment


def assignment_end(
    *,
    assignment: Assignment,
    ends_on: dt.date | None,
    note: str | None = None,
    actor: User | None = None,
    reason: str = "",
    request=None,
) -> Assignment:
    """Set (or clear) the last day of an assignment and optionally its note; nothing else of it changes.

    Who held a position when is history: the person, position, capacity and start stay as created (a wrong
    assignment is ended and a new one created). A Plh. assignment always keeps an end date.
    """
    with transaction.atomic():
        row = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if ends_on is not None and ends_on < row.starts_on:
            raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), code="invalid_range")
        if row.capacity == Capacity.PLH and ends_on is None:
            raise ValidationError(_("Penugasan Plh. harus memiliki tanggal selesai."), code="plh_needs_end")
        new_note = row.note if note is None else note
        if row.ends_on == ends_on and row.note == new_note:
            return row
        before = {"ends_on": row.ends_on, "note": row.note}
        row.ends_on = ends_on
        row.note = new_note
        row.save(update_fields=["ends_on", "note"])
        audit_record(
            actor=actor, action="assignment.end", obj=row, stream=f"workflows.position:{row.position_id}",
            before=before, after={"ends_on": ends_on, "note": new_note}, reason=reason, request=request,
        )
    return row
