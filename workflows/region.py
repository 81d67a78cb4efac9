"""The region this installation serves: its name, kind (kota or kabupaten), province and capital, read from one
settings group (``settings.PAMONG_REGION``, from the environment, with Kota Tangerang Selatan as the default).

Every page and document that names the region takes the words from here, so another city or regency runs the
same code with its own settings. Documents imported from other regions keep the region printed in them (the
regulation's own metadata); this is only the installation's own region.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

# Kind of region -> (the word before its name, the head of the region's title). UU 23/2014 Ps. 59: a kota is
# led by a wali kota, a kabupaten by a bupati.
KINDS = {
    "kota": ("Kota", "Wali Kota"),
    "kabupaten": ("Kabupaten", "Bupati"),
}
# The head of a region by the word its printed name opens with: a province (an imported Peraturan Gubernur) is
# led by a gubernur.
HEAD_BY_LEVEL = {**{label.lower(): head for label, head in KINDS.values()}, "provinsi": "Gubernur"}


@dataclass(frozen=True)
class Region:
    kind: str
    name: str
    province: str
    capital: str
    province_capital: str = ""
    formation_law: str = ""
    code: str = ""  # Kemendagri area code, "36.74"

    @property
    def nik_prefix(self) -> str:
        """"3674": the region's area code as it opens its residents' NIK (province and kota/kabupaten)."""
        digits = self.code.replace(".", "")
        if not (len(digits) == 4 and digits.isdigit()):
            raise ValueError(f"PAMONG_REGION_CODE must be a kota/kabupaten code like '36.74', not {self.code!r}")
        return digits

    @property
    def kind_label(self) -> str:
        """"Kota" or "Kabupaten"."""
        return KINDS[self.kind][0]

    @property
    def full_name(self) -> str:
        """"Kota Tangerang Selatan"."""
        return f"{self.kind_label} {self.name}"

    @property
    def head_title(self) -> str:
        """"Wali Kota" or "Bupati"."""
        return KINDS[self.kind][1]

    @property
    def head_office(self) -> str:
        """"Wali Kota Tangerang Selatan", "Bupati Tangerang"."""
        return f"{self.head_title} {self.name}"

    @property
    def province_full(self) -> str:
        """"Provinsi Banten"."""
        return f"Provinsi {self.province}"

    @property
    def province_government(self) -> str:
        """"Pemerintah Provinsi Banten"."""
        return f"Pemerintah Provinsi {self.province}"

    @property
    def governor(self) -> str:
        """"Gubernur Banten"."""
        return f"Gubernur {self.province}"


def current_region() -> Region:
    """The installation's region from ``settings.PAMONG_REGION`` (read on each call, so tests may override it)."""
    conf = settings.PAMONG_REGION
    kind = str(conf.get("kind", "kota")).strip().lower()
    if kind not in KINDS:
        raise ValueError(f"PAMONG_REGION_KIND must be one of {sorted(KINDS)}, not {kind!r}")
    name = str(conf["name"]).strip()
    return Region(kind=kind, name=name, province=str(conf["province"]).strip(),
                  capital=str(conf.get("capital") or name).strip(),
                  province_capital=str(conf.get("province_capital") or "").strip(),
                  formation_law=str(conf.get("formation_law") or "").strip(),
                  code=str(conf.get("code") or "").strip())


def head_title_of(region_name: str = "") -> str:
    """The head of the region named as printed: "Kabupaten Donggala" → "Bupati", "Provinsi Bali" → "Gubernur",
    "Kota Surabaya" (or a name without its level) → "Wali Kota"; blank → the installation's own head."""
    name = (region_name or "").strip()
    if not name:
        return current_region().head_title
    return HEAD_BY_LEVEL.get(name.partition(" ")[0].lower(), KINDS["kota"][1])
