"""The IT asset register: create one asset, or import many from CSV (all-or-nothing)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.models import OrgUnit, User
from workflows.services.audit import audit_record

from ..models import Asset, AssetKind, OwnerAuthority
from .errors import RequestError

CSV_COLUMNS = ("tag", "kind", "description", "location", "org_unit", "owner_authority", "technical_owner")
REQUIRED_COLUMNS = ("tag", "kind", "description", "org_unit")


@dataclass
class AssetImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def asset_create(*, actor: User | None, tag: str, kind: str, description: str, org_unit: OrgUnit,
                 location: str = "", owner_authority: str = OwnerAuthority.KOTA,
                 technical_owner: OrgUnit | None = None, request=None) -> Asset:
    tag = (tag or "").strip()
    if not tag:
        raise RequestError("required", _("Nomor aset wajib diisi."), "tag")
    if kind not in AssetKind.values:
        raise RequestError("invalid_kind", _("Jenis aset tidak dikenal."), "kind")
    if owner_authority not in OwnerAuthority.values:
        raise RequestError("invalid_owner", _("Pemilik aset harus 'kota' atau 'provinsi'."), "owner_authority")
    if not (description or "").strip():
        raise RequestError("required", _("Uraian aset wajib diisi."), "description")
    with transaction.atomic():
        if Asset.objects.filter(tag=tag).exists():
            raise RequestError("duplicate", _("Nomor aset %(tag)s sudah terdaftar.") % {"tag": tag}, "tag")
        asset = Asset.objects.create(tag=tag, kind=kind, description=description.strip(), location=location.strip(),
                                     org_unit=org_unit, owner_authority=owner_authority,
                                     technical_owner=technical_owner)
        audit_record(actor=actor, action="asset.created", obj=asset,
                     after={"tag": tag, "kind": kind, "org_unit": org_unit.code, "owner": owner_authority},
                     request=request)
    return asset


def _decode(file) -> str:
    data = file.read() if hasattr(file, "read") else file
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RequestError("bad_encoding", _("Berkas CSV tidak dapat dibaca (gunakan UTF-8)."))


def asset_import_csv(*, file, actor: User | None, request=None) -> AssetImportResult:
    """Create or update assets from CSV rows (columns ``CSV_COLUMNS``; ``org_unit`` and ``technical_owner``
    are unit codes; ``;`` or ``,`` separated). Every row is checked first; if any row is wrong nothing is
    written and ``result.errors`` lists (row number, Indonesian message) — row 1 is the header."""
    text = _decode(file)
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    result = AssetImportResult()
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        result.errors.append((1, _("Kolom wajib tidak ada: %(cols)s.") % {"cols": ", ".join(missing)}))
        return result
    rows = []
    for row in reader:
        rows.append({(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k})
    if not rows:
        result.errors.append((1, _("Berkas CSV tidak berisi baris data.")))
        return result
    units = {u.code: u for u in OrgUnit.objects.filter(
        code__in={r.get("org_unit") for r in rows} | {r.get("technical_owner") for r in rows if r.get("technical_owner")}
    )}
    existing = {a.tag: a for a in Asset.objects.filter(tag__in=[r.get("tag") for r in rows])}
    seen: set[str] = set()
    planned = []
    for number, row in enumerate(rows, start=2):
        problems = []
        tag = row.get("tag", "")
        if not tag:
            problems.append(_("nomor aset kosong"))
        elif tag in seen:
            problems.append(_("nomor aset %(tag)s muncul lebih dari sekali") % {"tag": tag})
        seen.add(tag)
        kind = row.get("kind", "").lower()
        if kind not in AssetKind.values:
            problems.append(_("jenis '%(kind)s' tidak dikenal (pilihan: %(choices)s)")
                            % {"kind": kind, "choices": ", ".join(AssetKind.values)})
        if not row.get("description"):
            problems.append(_("uraian kosong"))
        unit = units.get(row.get("org_unit", ""))
        if unit is None:
            problems.append(_("unit '%(code)s' tidak ditemukan") % {"code": row.get("org_unit", "")})
        owner = (row.get("owner_authority") or OwnerAuthority.KOTA).lower()
        if owner not in OwnerAuthority.values:
            problems.append(_("pemilik '%(owner)s' harus 'kota' atau 'provinsi'") % {"owner": owner})
        tech = None
        if row.get("technical_owner"):
            tech = units.get(row["technical_owner"])
            if tech is None:
                problems.append(_("pemilik teknis '%(code)s' tidak ditemukan") % {"code": row["technical_owner"]})
        if problems:
            result.errors.append((number, _("Baris %(n)s: %(problems)s.") % {"n": number, "problems": "; ".join(problems)}))
            continue
        planned.append((tag, dict(kind=kind, description=row["description"], location=row.get("location", ""),
                                  org_unit=unit, owner_authority=owner, technical_owner=tech)))
    if result.errors:
        return result
    with transaction.atomic():
        for tag, values in planned:
            asset = existing.get(tag)
            if asset is None:
                Asset.objects.create(tag=tag, **values)
                result.created += 1
            else:
                for name, value in values.items():
                    setattr(asset, name, value)
                asset.save()
                result.updated += 1
        audit_record(actor=actor, action="asset.imported", obj=None, stream="budget_requests.asset:import",
                     after={"created": result.created, "updated": result.updated, "rows": len(planned)},
                     request=request)
    return result
