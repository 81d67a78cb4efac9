"""Which asset and which kelurahan a complaint is about, from what the reporter wrote.

In order, the first that answers wins:

1. an asset number (``Asset.tag``): the one the source sent, or one written in the title, location or text;
2. the location text against the registered assets' locations, among the assets of the complaint's kind (in
   the named kelurahan when there is one): one clear best match;
3. the kelurahan's name (official name or an alias, spelling variants ignored) sent by the source or written in
   the location: the kelurahan only, with its single asset of the complaint's kind if it has exactly one.

The asset register holds no coordinates, so coordinates are kept on the complaint for the operator but do not
take part. Nothing matched: the complaint goes to the Diskominfo queue.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from workflows.models import OrgUnit, OrgUnitKind

from ..models import Asset, AssetKind
from .models import ComplaintCategory, MatchBasis

# Asset kinds a complaint category is about.
CATEGORY_ASSET_KINDS = {
    ComplaintCategory.CCTV: (AssetKind.CCTV,),
    ComplaintCategory.WIFI_PUBLIK: (AssetKind.WIFI_PUBLIK, AssetKind.NETWORK),
    ComplaintCategory.PERANGKAT_KANTOR: (AssetKind.PC, AssetKind.PRINTER, AssetKind.KIOSK, AssetKind.NETWORK,
                                         AssetKind.SERVER),
}
TAG_TOKEN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+")
WORD = re.compile(r"[a-z0-9]{3,}")
# Words too common in Indonesian addresses to tell two places apart.
STOP_WORDS = frozenset({"jalan", "jln", "dekat", "depan", "samping", "kelurahan", "kecamatan", "kota", "tangerang",
                        "selatan", "gedung", "kantor", "yang", "dan", "untuk", "rusak", "mati", "tidak"})
MIN_LOCATION_SCORE = 2


@dataclass(frozen=True)
class Match:
    asset: Asset | None
    org_unit: OrgUnit | None
    basis: str


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (text or "").lower())


def _words(text: str) -> set[str]:
    return set(WORD.findall((text or "").lower())) - STOP_WORDS


def _by_tag(codes: list[str]) -> Asset | None:
    wanted = [c.strip().upper() for c in codes if c and c.strip()]
    if not wanted:
        return None
    found = {a.tag.upper(): a for a in Asset.objects.filter(tag__in=wanted, is_active=True).select_related("org_unit")}
    return next((found[c] for c in wanted if c in found), None)


def _kelurahan_named(texts: list[str]) -> OrgUnit | None:
    """The kelurahan whose name or alias is one of ``texts`` or appears in them (longest name first, so
    "Lengkong Gudang Timur" is not read as "Lengkong Gudang")."""
    names: list[tuple[str, OrgUnit]] = []
    for unit in OrgUnit.objects.filter(kind=OrgUnitKind.KELURAHAN, is_active=True):
        for name in [unit.name, *(unit.aliases or [])]:
            if _squash(name):
                names.append((_squash(name), unit))
    names.sort(key=lambda pair: -len(pair[0]))
    squashed = [_squash(t) for t in texts if t]
    for text in squashed:
        for name, unit in names:
            if text == name:
                return unit
    for text in squashed:
        for name, unit in names:
            if name in text:
                return unit
    return None


def _by_location(candidates: list[Asset], location: str) -> Asset | None:
    words = _words(location)
    if not words:
        return None
    scored = sorted(((len(words & _words(f"{a.location} {a.description}")), a) for a in candidates),
                    key=lambda pair: -pair[0])
    if not scored or scored[0][0] < MIN_LOCATION_SCORE:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # two places fit equally: let the operator choose
    return scored[0][1]


def match_complaint(*, category: str, asset_code: str = "", title: str = "", location: str = "",
                    description: str = "", kelurahan: str = "") -> Match:
    """The asset and kelurahan of a complaint (see the module docstring). At most four queries."""
    asset = _by_tag([asset_code, *TAG_TOKEN.findall(f"{title} {location} {description}")])
    if asset is not None:
        return Match(asset, asset.org_unit, MatchBasis.ASSET_CODE)
    unit = _kelurahan_named([kelurahan, location])
    kinds = CATEGORY_ASSET_KINDS.get(category, ())
    candidates: list[Asset] = []
    if kinds:
        qs = Asset.objects.filter(kind__in=kinds, is_active=True).select_related("org_unit")
        if unit is not None:
            qs = qs.filter(org_unit=unit)
        candidates = list(qs[:500])
    asset = _by_location(candidates, location)
    if asset is not None:
        return Match(asset, asset.org_unit, MatchBasis.LOCATION)
    if unit is not None:
        primary = [a for a in candidates if a.kind == kinds[0]] if kinds else []
        return Match(primary[0] if len(primary) == 1 else None, unit, MatchBasis.KELURAHAN)
    return Match(None, None, MatchBasis.NONE)
