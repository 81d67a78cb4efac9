"""The versioned list of sub kegiatan and kode rekening an envelope may be charged to.

Codes follow Permendagri 90/2019 and its updates (Kepmendagri 050-5889/2021 as amended). The list is data
(``data/kodefikasi.json``), not code: it carries its version label, the regulations each code comes from and,
per code, whether it still needs confirming against the region's DPA. Only the subset this product uses is
shipped (maintenance and replacement of IT equipment by kecamatan, kelurahan and Diskominfo); a region adds
the codes of its own DPA by editing the file and raising the version.

An envelope records the version it was validated against (``Envelope.code_list_version``), so a later list
that drops or renames a code does not silently change what an existing envelope meant.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from workflows.models import OrgUnit

from .errors import RequestError

DATA_FILE = Path(__file__).resolve().parent / "data" / "kodefikasi.json"


@dataclass(frozen=True)
class SubKegiatan:
    code: str
    name: str
    program: str
    kegiatan: str
    unit_kinds: tuple[str, ...]
    unit_codes: tuple[str, ...]
    source: str
    needs_confirmation: bool

    def fits(self, unit: OrgUnit) -> bool:
        """Whether a unit of this kind (or this code) may budget under the sub kegiatan."""
        return unit.kind in self.unit_kinds or unit.code in self.unit_codes


@dataclass(frozen=True)
class Rekening:
    code: str
    name: str
    kind: str  # "pemeliharaan" (belanja barang dan jasa) or "modal" (belanja modal)
    source: str
    needs_confirmation: bool


@dataclass(frozen=True)
class CodeList:
    version: str
    label: str
    sources: dict[str, dict]
    sub_kegiatan: dict[str, SubKegiatan]
    rekening: dict[str, Rekening]

    def source_title(self, key: str) -> str:
        return self.sources.get(key, {}).get("title", key)


def _parse(raw: dict) -> CodeList:
    subs = {
        row["code"]: SubKegiatan(
            code=row["code"], name=row["name"], program=row.get("program", ""), kegiatan=row.get("kegiatan", ""),
            unit_kinds=tuple(row.get("unit_kinds", ())), unit_codes=tuple(row.get("unit_codes", ())),
            source=row["source"], needs_confirmation=bool(row.get("needs_confirmation", True)))
        for row in raw["sub_kegiatan"]
    }
    accounts = {
        row["code"]: Rekening(code=row["code"], name=row["name"], kind=row["kind"], source=row["source"],
                              needs_confirmation=bool(row.get("needs_confirmation", True)))
        for row in raw["rekening"]
    }
    for entry in [*subs.values(), *accounts.values()]:
        if entry.source not in raw["sources"]:
            raise ValueError(f"code {entry.code} cites unknown source {entry.source}")
    return CodeList(version=raw["version"], label=raw["label"], sources=raw["sources"], sub_kegiatan=subs,
                    rekening=accounts)


@lru_cache(maxsize=1)
def code_list() -> CodeList:
    """The shipped list (read once per process)."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return _parse(json.load(fh))


def validate_codes(*, org_unit: OrgUnit, sub_kegiatan: str, account_code: str) -> tuple[str, str]:
    """The cleaned (sub kegiatan, kode rekening) pair, or ``RequestError`` with an Indonesian message on the
    offending field. Used by the envelope service, its admin form and the API alike."""
    codes = code_list()
    sub = (sub_kegiatan or "").strip()
    account = (account_code or "").strip()
    if not sub:
        raise RequestError("required", _("Sub kegiatan wajib diisi."), "sub_kegiatan")
    entry = codes.sub_kegiatan.get(sub)
    if entry is None:
        raise RequestError(
            "unknown_sub_kegiatan",
            _("Sub kegiatan %(code)s tidak ada dalam daftar kodefikasi %(version)s (Permendagri 90/2019 dan "
              "perubahannya). Periksa penulisan kodenya, mis. 7.01.01.2.09.0006.")
            % {"code": sub, "version": codes.version}, "sub_kegiatan")
    if not entry.fits(org_unit):
        raise RequestError(
            "sub_kegiatan_not_for_unit",
            _("Sub kegiatan %(code)s (%(name)s) bukan untuk %(unit)s.")
            % {"code": sub, "name": entry.name, "unit": org_unit}, "sub_kegiatan")
    if not account:
        raise RequestError("required", _("Kode rekening wajib diisi."), "account_code")
    if account not in codes.rekening:
        raise RequestError(
            "unknown_account_code",
            _("Kode rekening %(code)s tidak ada dalam daftar kodefikasi %(version)s (Permendagri 90/2019 dan "
              "perubahannya). Gunakan kode sub rincian objek lengkap, mis. 5.1.02.03.02.0405.")
            % {"code": account, "version": codes.version}, "account_code")
    return sub, account


def sub_kegiatan_choices(org_unit: OrgUnit | None = None) -> list[tuple[str, str]]:
    subs = code_list().sub_kegiatan.values()
    return [(s.code, f"{s.code} — {s.name}") for s in subs if org_unit is None or s.fits(org_unit)]


def rekening_choices() -> list[tuple[str, str]]:
    return [(r.code, f"{r.code} — {r.name}") for r in code_list().rekening.values()]
